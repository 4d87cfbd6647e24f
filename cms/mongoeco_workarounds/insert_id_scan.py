"""Inserts check a duplicate ObjectId or string `_id` by primary key, not by decoding the collection.

`SQLiteEngine._validate_document_against_unique_indexes` is called with
`scan_payload_id=True` on every insert and then decodes every stored document
to compare `_id`s, so an insert costs O(collection size). For an ObjectId or
string `_id` the exact storage-key lookup the method does first already finds
a duplicate (equal values of these types have equal storage keys), so the scan
adds nothing: it is skipped for those types and kept for every other (numbers,
documents, arrays), where equal values can have different storage keys.
"""

from bson import ObjectId


def skip_id_scan_for_keyed_ids(validate):
    """Return `validate` (mongoeco's unique-index check) without the `_id` scan for ObjectId and string ids."""

    def validate_without_id_scan(
        self, db_name, coll_name, document, *, exclude_storage_key=None, skip_id_check=False, scan_payload_id=False
    ):
        if scan_payload_id and isinstance(document.get("_id"), (ObjectId, str)):
            scan_payload_id = False
        return validate(
            self,
            db_name,
            coll_name,
            document,
            exclude_storage_key=exclude_storage_key,
            skip_id_check=skip_id_check,
            scan_payload_id=scan_payload_id,
        )

    return validate_without_id_scan
