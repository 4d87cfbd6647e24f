"""`cms import`: an archive made by `cms export`, checked in full, then written into an empty database.

Nothing is written until the whole archive has been read once: every member's
SHA-256 and size against the manifest, every line parsed, every count
matched. A member that changes between that reading and the writing is
noticed too (its checksum is taken again while writing), but by then the
database holds part of the archive: the message says so.
"""

import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from pymongo.errors import PyMongoError

from cms.site_archive.archive_format import (
    CODEC_OPTIONS,
    COLLECTION_NAME,
    FORMAT,
    FORMAT_VERSION,
    LEFT_OUT,
    MANIFEST,
    ArchiveError,
    chunks_member,
    collection_member,
    from_json,
    known_schema_number,
)

BATCH_DOCUMENTS = 500
BATCH_BYTES = 8 * 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# What a damaged zip member raises while it is read (bad CRC, broken deflate stream, cut short).
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, UnicodeDecodeError)


def occupied_collections(db) -> list[str]:
    """Return the collections of `db` that hold documents (an import needs none; the left-out kinds don't count)."""
    return sorted(
        name
        for name in db.list_collection_names()
        if not name.startswith("system.") and name not in LEFT_OUT and db[name].find_one({}, {"_id": 1}) is not None
    )


def verify_archive(path) -> dict:
    """Read the whole archive at `path` and return its manifest; raise ArchiveError at the first thing that is wrong."""
    with _opened(path) as archive:
        manifest = _manifest(archive)
        for member in sorted(manifest["members"]):
            _read_member(archive, manifest, member)
    return manifest


def import_site(db, path, ensure_indexes: Callable[[], None]) -> dict:
    """Write the archive at `path` into the empty database `db`; return {collection or bucket: count written}.

    Refuses (ArchiveError, nothing written) a database holding data and an archive
    that is not intact. `ensure_indexes` creates the CMS's own indexes; they and
    the archive's other indexes exist before the first document is inserted.
    """
    _refuse_occupied(db)
    manifest = verify_archive(path)
    _refuse_occupied(db)  # again: the reading may have taken a while
    counts = {}
    try:
        with _opened(path) as archive:
            ensure_indexes()
            _create_indexes(db, manifest)
            for name, described in sorted(manifest["collections"].items()):
                counts[name] = _insert_documents(db, archive, manifest, name, described["member"])
            for bucket, described in sorted(manifest["buckets"].items()):
                counts[f"{bucket} (files)"] = _insert_chunks(db, archive, manifest, bucket)
    except (ArchiveError, PyMongoError) as error:
        raise ArchiveError(
            f"The import stopped part-way ({error}); the database now holds part of the archive. "
            "Empty it (a fresh data directory, or drop the database) before importing again."
        ) from error
    return counts


def _refuse_occupied(db) -> None:
    occupied = occupied_collections(db)
    if occupied:
        raise ArchiveError(
            "The database is not empty: "
            + ", ".join(occupied)
            + " hold data. Import into a fresh data directory (or an empty MongoDB database); nothing was written."
        )


@contextmanager
def _opened(path) -> Iterator[zipfile.ZipFile]:
    if not Path(path).is_file():
        raise ArchiveError(f"{path} is not a file.")
    try:
        with zipfile.ZipFile(path) as archive:
            yield archive
    except zipfile.BadZipFile as error:
        raise ArchiveError(f"{path} is not a site archive, or it is damaged or cut short ({error}).") from None


def _manifest(archive: zipfile.ZipFile) -> dict:
    names = [info.filename for info in archive.infolist() if not info.is_dir()]
    if MANIFEST not in names:
        raise ArchiveError(f"This zip file is not a site archive: it has no {MANIFEST}.")
    if len(names) != len(set(names)):
        raise ArchiveError("The archive names a member twice; it is not one that `cms export` wrote.")
    try:
        manifest = from_json(archive.read(MANIFEST).decode("utf-8"))
    except _DAMAGE as error:
        raise ArchiveError(f"The archive's {MANIFEST} is damaged ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"This zip file is not a site archive: its {MANIFEST} is not an Alliance CMS manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(
            f"The archive has format version {manifest.get('format_version')!r}; "
            f"this CMS reads version {FORMAT_VERSION}. Import it with the CMS version that wrote it "
            f"({manifest.get('cms_version', 'unknown')})."
        )
    _check_schema(manifest)
    _check_structure(manifest)
    listed = set(manifest["members"])
    present = set(names) - {MANIFEST}
    if listed - present:
        raise ArchiveError("The archive lacks members its manifest lists: " + ", ".join(sorted(listed - present)[:10]))
    if present - listed:
        raise ArchiveError(
            "The archive holds members its manifest does not list: " + ", ".join(sorted(present - listed)[:10])
        )
    return manifest


def _check_schema(manifest: dict) -> None:
    schema, known = manifest.get("schema"), known_schema_number()
    if not isinstance(schema, int) or schema < 0:
        raise ArchiveError("The archive's manifest has no valid schema number.")
    if known is not None and schema > known:
        raise ArchiveError(
            f"The archive's data has schema {schema}, newer than this CMS knows ({known}): "
            f"install the CMS version that wrote it ({manifest.get('cms_version', 'unknown')}) or a newer one."
        )


def _check_structure(manifest: dict) -> None:
    members, collections, buckets = manifest.get("members"), manifest.get("collections"), manifest.get("buckets")
    if not all(isinstance(part, dict) for part in (members, collections, buckets)):
        raise ArchiveError("The archive's manifest lacks its members, collections or buckets.")
    for member, described in members.items():
        if not (
            isinstance(described, dict)
            and _SHA256.match(str(described.get("sha256")))
            and isinstance(described.get("size"), int)
        ):
            raise ArchiveError(f"The manifest's entry for {member} has no valid checksum and size.")
    for name, described in collections.items():
        if not (COLLECTION_NAME.match(name) and isinstance(described, dict)):
            raise ArchiveError(f"The manifest names a collection {name!r} that can't be written.")
        if described.get("member") != collection_member(name) or described["member"] not in members:
            raise ArchiveError(f"The manifest's collection {name} has no member.")
        if not isinstance(described.get("documents"), int) or not isinstance(described.get("indexes", []), list):
            raise ArchiveError(f"The manifest's collection {name} has no document count.")
    for bucket, described in buckets.items():
        if not (COLLECTION_NAME.match(bucket + ".chunks") and isinstance(described, dict)):
            raise ArchiveError(f"The manifest names a file bucket {bucket!r} that can't be written.")
        if described.get("member") != chunks_member(bucket) or described["member"] not in members:
            raise ArchiveError(f"The manifest's file bucket {bucket} has no chunk list.")
        if not all(isinstance(described.get(key), int) for key in ("files", "chunks")):
            raise ArchiveError(f"The manifest's file bucket {bucket} has no counts.")


class _Reader(io.RawIOBase):
    """Reads one member, taking its SHA-256 and size; check() compares them with the manifest's."""

    def __init__(self, archive: zipfile.ZipFile, manifest: dict, member: str):
        super().__init__()
        self.member = member
        self.expected = manifest["members"][member]
        self._stream = archive.open(member)
        self._sha256 = hashlib.sha256()
        self._size = 0

    def readable(self) -> bool:
        """A reader reads."""
        return True

    def close(self) -> None:
        """Close the member (a member left open would keep the archive file open)."""
        self._stream.close()
        super().close()

    def readinto(self, buffer) -> int:
        """Fill `buffer` from the member (all of it unless the member ends); return how many bytes came."""
        try:
            data = self._stream.read(len(buffer))
        except _DAMAGE as error:
            raise ArchiveError(f"The archive's member {self.member} is damaged ({error}).") from None
        self._sha256.update(data)
        self._size += len(data)
        buffer[: len(data)] = data
        return len(data)

    def lines(self) -> Iterator[tuple[int, object]]:
        """Yield (line number, parsed value) of a JSON-lines member."""
        buffered = io.BufferedReader(self, buffer_size=1024 * 1024)
        for number, raw in enumerate(iter(buffered.readline, b""), start=1):
            try:
                yield number, from_json(raw.decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as error:
                raise ArchiveError(f"Line {number} of {self.member} is not valid JSON ({error}).") from None
        buffered.detach()

    def check(self) -> None:
        """Raise ArchiveError unless everything read matches the manifest's checksum and size (reading the rest)."""
        while self.read(1024 * 1024):
            pass
        self.close()
        if self._size != self.expected["size"] or self._sha256.hexdigest() != self.expected["sha256"]:
            raise ArchiveError(
                f"The archive's member {self.member} does not match its checksum in the manifest: "
                "the archive was changed or damaged."
            )


def _read_member(archive: zipfile.ZipFile, manifest: dict, member: str) -> None:
    with _Reader(archive, manifest, member) as reader:
        _read_lines(reader, manifest, member)
        reader.check()


def _read_lines(reader: "_Reader", manifest: dict, member: str) -> None:
    collection = next((name for name, entry in manifest["collections"].items() if entry["member"] == member), None)
    bucket = next((name for name, entry in manifest["buckets"].items() if entry["member"] == member), None)
    if collection is not None:
        count = 0
        for number, document in reader.lines():
            if not isinstance(document, dict) or "_id" not in document:
                raise ArchiveError(f"Line {number} of {member} is not a document.")
            count += 1
        expected = manifest["collections"][collection]["documents"]
        if count != expected:
            raise ArchiveError(f"{member} holds {count} documents, its manifest says {expected}.")
    elif bucket is not None:
        _read_chunk_list(reader, manifest, bucket)


def _read_chunk_list(reader: _Reader, manifest: dict, bucket: str) -> None:
    prefix = f"gridfs/{bucket}/files/"
    sizes: dict[str, int] = {}
    chunks, previous = 0, None
    for number, line in reader.lines():
        member = line.get("member") if isinstance(line, dict) else None
        if not (
            isinstance(member, str)
            and member.startswith(prefix)
            and member in manifest["members"]
            and isinstance(line.get("chunk"), dict)
            and isinstance(line.get("bytes"), int)
            and line["bytes"] >= 0
        ):
            raise ArchiveError(f"Line {number} of {reader.member} is not a chunk of a file in the archive.")
        if member != previous and member in sizes:
            # The import reads each file's member once, front to back: its chunks must be listed together.
            raise ArchiveError(f"Line {number} of {reader.member} lists {member} apart from its other chunks.")
        previous = member
        sizes[member] = sizes.get(member, 0) + line["bytes"]
        chunks += 1
    files = {member for member in manifest["members"] if member.startswith(prefix)}
    described = manifest["buckets"][bucket]
    if chunks != described["chunks"] or len(files) != described["files"]:
        raise ArchiveError(f"{reader.member} does not list the chunks and files its manifest counts.")
    for member in files:
        if sizes.get(member, 0) != manifest["members"][member]["size"]:
            raise ArchiveError(f"{reader.member} does not account for every byte of {member}.")


def _create_indexes(db, manifest: dict) -> None:
    described = [(name, entry.get("indexes", [])) for name, entry in manifest["collections"].items()]
    described += [(f"{bucket}.chunks", entry.get("indexes", [])) for bucket, entry in manifest["buckets"].items()]
    for name, indexes in described:
        collection = db[name]
        existing = set(collection.index_information()) if name in db.list_collection_names() else set()
        for index in indexes:
            if index.get("name") in existing:
                continue  # the CMS's own (ensure_indexes made it just now)
            options = {key: value for key, value in index.get("options", {}).items() if key != "name"}
            collection.create_index([tuple(pair) for pair in index["key"]], name=index["name"], **options)


def _insert_documents(db, archive: zipfile.ZipFile, manifest: dict, name: str, member: str) -> int:
    collection = db.get_collection(name, codec_options=CODEC_OPTIONS)
    batch, size, count = [], 0, 0
    with _Reader(archive, manifest, member) as reader:
        for _number, document in reader.lines():
            batch.append(document)
            size += len(str(document))  # a rough measure, enough to keep a batch well below the server's limit
            if len(batch) >= BATCH_DOCUMENTS or size >= BATCH_BYTES:
                collection.insert_many(batch, ordered=True)
                count += len(batch)
                batch, size = [], 0
        if batch:
            collection.insert_many(batch, ordered=True)
            count += len(batch)
        reader.check()
    return count


def _insert_chunks(db, archive: zipfile.ZipFile, manifest: dict, bucket: str) -> int:
    chunks = db.get_collection(f"{bucket}.chunks", codec_options=CODEC_OPTIONS)
    with _Reader(archive, manifest, chunks_member(bucket)) as listing, ExitStack() as open_file:
        current: _Reader | None = None
        batch, size = [], 0
        for _number, line in listing.lines():
            if current is None or current.member != line["member"]:
                if current is not None:
                    current.check()
                current = open_file.enter_context(_Reader(archive, manifest, line["member"]))
            data = current.read(line["bytes"])
            if len(data) != line["bytes"]:
                raise ArchiveError(f"{line['member']} is shorter than its chunks say.")
            chunk = line["chunk"]
            chunk["data"] = data  # back in its place: the export kept the key, with null for the bytes
            batch.append(chunk)
            size += len(data)
            if len(batch) >= BATCH_DOCUMENTS or size >= BATCH_BYTES:
                chunks.insert_many(batch, ordered=True)
                batch, size = [], 0
        if batch:
            chunks.insert_many(batch, ordered=True)
        if current is not None:
            current.check()
        listing.check()
    return manifest["buckets"][bucket]["files"]
