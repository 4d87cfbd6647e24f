"""`cms export`: every collection the CMS owns, and every GridFS file's bytes, streamed into one archive file."""

import hashlib
import os
import shutil
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from cms.site_archive.archive_format import (
    CODEC_OPTIONS,
    FORMAT,
    FORMAT_VERSION,
    LEFT_OUT,
    MANIFEST,
    ArchiveError,
    chunks_member,
    cms_version,
    collection_member,
    file_member,
    is_bucket_chunks,
    schema_number,
    to_json,
)

_EXISTS = "{} exists already; choose another name, or pass --force to replace it."
BATCH = 200  # documents per round trip; small enough that a batch of big documents stays in bounds


class _HashingWriter:
    """Writes into a zip member while counting its bytes and taking their SHA-256."""

    def __init__(self, stream):
        self._stream = stream
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self._stream.write(data)
        self.sha256.update(data)
        self.size += len(data)


def export_site(db, path: str | os.PathLike, force: bool = False) -> dict:
    """Write the whole site in `db` to the archive `path`; return its manifest. An existing file needs `force`.

    The archive is written beside `path` under a temporary name and moved into
    place when complete, so a failed export never leaves a half archive under
    the chosen name. It holds the site's personal data and password hashes:
    it is created readable by its owner only.
    """
    target = Path(path)
    if target.exists() and not force:
        raise ArchiveError(_EXISTS.format(target))
    if target.is_dir():
        raise ArchiveError(f"{target} is a directory; give the archive file's name.")
    if not target.parent.is_dir():
        raise ArchiveError(f"The folder {target.parent} does not exist.")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(descriptor)  # mkstemp made it 0600; zipfile reopens it by name
    try:
        with zipfile.ZipFile(temporary, "w", allowZip64=True) as archive:
            manifest = _write_site(db, archive)
            archive.writestr(_member_info(MANIFEST, compressed=True), to_json(manifest).encode())
        _move_into_place(temporary, target, force)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return manifest


def _move_into_place(temporary: str, target: Path, force: bool) -> None:
    if force:
        os.replace(temporary, target)
        return
    try:
        # A hard link never replaces: a file that appeared meanwhile under the name is kept.
        os.link(temporary, target)
    except FileExistsError:
        raise ArchiveError(_EXISTS.format(target)) from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise ArchiveError(
                f"{target} exists already; choose another name, or pass --force to replace it."
            ) from None
        shutil.move(temporary, target)
        return
    os.unlink(temporary)


def _member_info(name: str, compressed: bool) -> zipfile.ZipInfo:
    # Documents compress well; stored files (PDFs, images, office files) are compressed already.
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    info.external_attr = 0o600 << 16
    return info


def _write_site(db, archive: zipfile.ZipFile) -> dict:
    members: dict[str, dict] = {}
    collections: dict[str, dict] = {}
    buckets: dict[str, dict] = {}
    left_out: dict[str, str] = {}
    for name in sorted(db.list_collection_names()):
        if name.startswith("system."):
            continue
        if name in LEFT_OUT:
            left_out[name] = LEFT_OUT[name]
            continue
        collection = db.get_collection(name, codec_options=CODEC_OPTIONS)
        indexes = _indexes(collection)
        if is_bucket_chunks(name):
            bucket = name.removesuffix(".chunks")
            buckets[bucket] = {**_write_bucket(db, bucket, archive, members), "indexes": indexes}
            continue
        member = collection_member(name)
        with archive.open(_member_info(member, compressed=True), "w", force_zip64=True) as stream:
            writer = _HashingWriter(stream)
            count = 0
            for document in collection.find({}, batch_size=BATCH):
                writer.write(to_json(document).encode() + b"\n")
                count += 1
        members[member] = {"sha256": writer.sha256.hexdigest(), "size": writer.size}
        collections[name] = {"documents": count, "member": member, "indexes": indexes}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "cms_version": cms_version(),
        "schema": schema_number(db),
        "created": datetime.now(UTC).replace(tzinfo=None),
        "database": db.name,
        "collections": collections,
        "buckets": buckets,
        "left_out": left_out,
        "members": members,
    }


def _indexes(collection) -> list[dict]:
    # Recorded so that the import creates them before inserting (building a unique index over existing documents
    # is slow on the embedded engine), including indexes no mongoengine model declares (GridFS', migrations').
    described = []
    for name, information in collection.index_information().items():
        if name == "_id_":
            continue
        options = {key: value for key, value in information.items() if key not in ("key", "v", "ns")}
        described.append({"name": name, "key": [list(pair) for pair in information["key"]], "options": options})
    return described


def _write_bucket(db, bucket: str, archive: zipfile.ZipFile, members: dict) -> dict:
    """Write each file's bytes as a member of its own, and the chunk documents (without bytes) to the chunk list."""
    chunks = db.get_collection(f"{bucket}.chunks", codec_options=CODEC_OPTIONS)
    files = db.get_collection(f"{bucket}.files", codec_options=CODEC_OPTIONS)
    # Ids only, so memory grows with the number of files, never with their bytes. Chunks without a
    # file document (a crash between the two writes) go along too: the archive holds what is stored.
    file_ids = {document["_id"] for document in files.find({}, {"_id": 1})}
    file_ids.update(chunks.distinct("files_id"))
    counted = {"files": 0, "chunks": 0, "bytes": 0}
    with tempfile.TemporaryFile() as listing:
        listed = _HashingWriter(listing)
        for file_id in sorted(file_ids, key=to_json):
            member = file_member(bucket, file_id)
            with archive.open(_member_info(member, compressed=False), "w", force_zip64=True) as stream:
                writer = _HashingWriter(stream)
                for chunk in chunks.find({"files_id": file_id}, sort=[("n", 1)], batch_size=4):
                    data = bytes(chunk.get("data") or b"")
                    chunk["data"] = None  # the key keeps its place; the bytes are in the file's member
                    writer.write(data)
                    listed.write(to_json({"member": member, "chunk": chunk, "bytes": len(data)}).encode() + b"\n")
                    counted["chunks"] += 1
            members[member] = {"sha256": writer.sha256.hexdigest(), "size": writer.size}
            counted["files"] += 1
            counted["bytes"] += writer.size
        listing.seek(0)
        member = chunks_member(bucket)
        with archive.open(_member_info(member, compressed=True), "w", force_zip64=True) as stream:
            shutil.copyfileobj(listing, stream)
        members[member] = {"sha256": listed.sha256.hexdigest(), "size": listed.size}
    return {**counted, "member": member}
