"""Workarounds for measured gaps of mongoeco 4.11, the embedded database. All of them live here.

1. Inserts scan the whole collection. `SQLiteEngine._validate_document_against_unique_indexes`
   is called with `scan_payload_id=True` on every insert and then decodes every
   stored document to compare `_id`s, so an insert costs O(collection size)
   (1.4 ms empty, ~200 ms at 10,000 documents; the audit log alone grows by one
   entry per login). For an ObjectId or string `_id` the exact storage-key lookup
   the method does first already finds a duplicate, so the scan adds nothing:
   we skip it for those `_id` types and keep it for every other (numeric ids,
   documents, arrays), where equal values can have different storage keys.
   Duplicates stay refused: tests/test_mongoeco_workarounds.py checks it.
   Remove once mongoeco does the key lookup alone; bench/embedded_growth.py
   shows the difference (`--without-workaround`).
"""

from bson import ObjectId
from mongoeco.engines.sqlite import SQLiteEngine

_original_validate = SQLiteEngine._validate_document_against_unique_indexes


def _validate_without_id_scan(
    self, db_name, coll_name, document, *, exclude_storage_key=None, skip_id_check=False, scan_payload_id=False
):
    if scan_payload_id and isinstance(document.get("_id"), (ObjectId, str)):
        scan_payload_id = False
    return _original_validate(
        self,
        db_name,
        coll_name,
        document,
        exclude_storage_key=exclude_storage_key,
        skip_id_check=skip_id_check,
        scan_payload_id=scan_payload_id,
    )


def apply() -> None:
    """Install the workarounds (idempotent)."""
    SQLiteEngine._validate_document_against_unique_indexes = _validate_without_id_scan


def remove() -> None:
    """Restore mongoeco's own behaviour (for the benchmark's comparison)."""
    SQLiteEngine._validate_document_against_unique_indexes = _original_validate


apply()
