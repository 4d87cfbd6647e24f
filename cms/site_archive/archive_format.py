"""What an archive holds: a zip of one JSON-lines file per collection, every GridFS file's bytes, and a manifest.

    manifest.json                       format, CMS version, schema number, counts, indexes, sha256 of every member
    collections/<collection>.jsonl      one document per line, canonical extended JSON (types and dates exact)
    gridfs/<bucket>/chunks.jsonl        one line per chunk: the chunk document without its bytes, and their length
    gridfs/<bucket>/files/<file id>     the bytes of one file, its chunks in order

Zip because a reader can check every member before writing anything and read
members one by one (no whole-database in memory), and every platform opens it.
"""

import hashlib
import importlib.metadata
import re

from bson import ObjectId, json_util
from bson.binary import UuidRepresentation
from bson.codec_options import CodecOptions, DatetimeConversion

from cms import migrations

FORMAT = "alliance-cms-site-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Documents are read and written exactly as stored: no time zone added, UUIDs and out-of-range dates left alone.
CODEC_OPTIONS = CodecOptions(
    tz_aware=False,
    uuid_representation=UuidRepresentation.UNSPECIFIED,
    datetime_conversion=DatetimeConversion.DATETIME_AUTO,
)
# Canonical (not relaxed) extended JSON keeps int32/int64/double apart and dates to the millisecond.
JSON_OPTIONS = json_util.JSONOptions(
    json_mode=json_util.JSONMode.CANONICAL,
    tz_aware=False,
    uuid_representation=UuidRepresentation.UNSPECIFIED,
    datetime_conversion=DatetimeConversion.DATETIME_AUTO,
)
# What stays behind, and why. Everything else the database holds goes along, found by listing its collections,
# so a collection added by a later version is never silently left out.
LEFT_OUT = {
    "login_sessions": "a restored site logs everyone out: browser sessions are bound to the old installation",
    "login_failures": "throttling counters of failed logins are short-lived and would lock people out after a restore",
    "background_leases": "which process runs the scheduler and mail sender belongs to the old installation's processes",
    "cache_generations": "the page cache's change counter is the old installation's; a restored site starts afresh",
}
CHUNKS_SUFFIX = ".chunks"
# Collection names we write into: what MongoDB allows, minus anything that could leave the archive's folder.
COLLECTION_NAME = re.compile(r"^(?!system\.)[A-Za-z0-9_][A-Za-z0-9_.-]{0,119}$")


class ArchiveError(Exception):
    """An archive that can't be written or read: the message says why; nothing was written to the database."""


def cms_version() -> str:
    """Return this CMS's installed version."""
    try:
        return importlib.metadata.version("alliance-cms")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def schema_number(db) -> int:
    """Return the database's schema number: its highest applied migration (0 when none is)."""
    return migrations.current_number(db)


def known_schema_number() -> int | None:
    """Return the number of this CMS's newest migration, or None without any."""
    return max((migration.number for migration in migrations.load()), default=None)


def collection_member(name: str) -> str:
    """Return the archive member holding collection `name`'s documents."""
    return f"collections/{name}.jsonl"


def chunks_member(bucket: str) -> str:
    """Return the archive member listing GridFS bucket `bucket`'s chunks."""
    return f"gridfs/{bucket}/chunks.jsonl"


def file_member(bucket: str, file_id) -> str:
    """Return the archive member holding the bytes of GridFS file `file_id` (an ObjectId by its hex, else a digest)."""
    if isinstance(file_id, ObjectId):
        key = str(file_id)
    else:
        key = "id-" + hashlib.sha256(to_json(file_id).encode()).hexdigest()[:40]
    return f"gridfs/{bucket}/files/{key}"


def to_json(value) -> str:
    """Return `value` as one line of canonical extended JSON."""
    return json_util.dumps(value, json_options=JSON_OPTIONS, ensure_ascii=False)


def from_json(line: str):
    """Return the value one line of canonical extended JSON holds."""
    return json_util.loads(line, json_options=JSON_OPTIONS)


def is_bucket_chunks(name: str) -> bool:
    """Whether collection `name` is a GridFS bucket's chunks (its files travel as bytes, not as documents)."""
    return name.endswith(CHUNKS_SUFFIX) and len(name) > len(CHUNKS_SUFFIX)
