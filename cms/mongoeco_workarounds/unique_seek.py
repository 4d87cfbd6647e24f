"""Compound unique indexes are checked by seeking their SQLite expression index, not by decoding every document.

mongoeco checks a unique index on insert and update with an index lookup only
for single-field indexes; any other index is checked by decoding every stored
document in Python and comparing index keys (`_validate_document_against_unique_indexes`,
the `_load_documents` loop). mongoengine prefixes `_cls` to the indexes of an
inherited document, so every unique index of ours is compound: each save costs
O(collection size).

Why the seek finds every duplicate the loop finds: mongoeco creates each ordered
index as a SQLite expression index on (db_name, coll_name, type, value per field)
(`index_expressions_sql`). We seek on the leading fields whose value in the new
document is one string or one ObjectId. A stored document is a duplicate when
`bson_equality_key` of its value equals ours field by field; for a string or an
ObjectId that means the same type and the same text (no other BSON type equals
them), which is exactly the type/value pair the index holds, provided no
document has an array on the path — so the seek is used only when mongoeco's
own `_unique_index_uses_multikey_values` says so, and never for collations.
The candidates are then compared with mongoeco's own key function (`_index_value`),
as the loop does, so the remaining fields (numbers, dates, missing) keep its
semantics. mongoeco's validation still runs for everything else (the `_id`,
the other indexes) with the seeked indexes hidden from it, and the refusal it
would have raised first is the one raised.
"""

import re
from contextvars import ContextVar

from bson import ObjectId
from mongoeco.core.codec import DocumentCodec
from mongoeco.core.filtering import QueryEngine
from mongoeco.engines.sqlite_query import index_expressions_sql
from mongoeco.engines.virtual_indexes import document_in_virtual_index
from mongoeco.errors import DuplicateKeyError

# (engine, db_name, coll_name, names of the unique indexes already checked by seek) during one validation.
_HIDDEN: ContextVar[tuple | None] = ContextVar("mongoeco_workarounds_hidden_unique", default=None)
_INDEX_NAME = re.compile(r"^Duplicate key for unique index '(.*)': ")


def seek_values(document: dict, fields: list[str]) -> list[tuple[str, str]]:
    """Return the (type, value) pairs of the leading `fields` whose value is one string or one ObjectId."""
    pairs = []
    for field in fields:
        values = QueryEngine.extract_values(document, field)
        if len(values) != 1:
            break
        value = values[0]
        if type(value) is str:
            pairs.append(("", value))
        elif isinstance(value, ObjectId):
            payload = DocumentCodec.encode(value)[DocumentCodec._MARKER]
            pairs.append((payload[DocumentCodec._TYPE], payload[DocumentCodec._VALUE]))
        else:
            break
    return pairs


def seekable(engine, db_name: str, coll_name: str, document: dict, index) -> list[tuple[str, str]]:
    """Return the seek values for a compound unique index mongoeco would check by scanning, or [] to leave it."""
    if not index["unique"] or len(index["fields"]) < 2 or index.get("collation") is not None:
        return []
    if not index.get("physical_name") or not document_in_virtual_index(document, index):
        return []
    if engine._unique_index_uses_multikey_values(db_name, coll_name, document, index):
        return []
    return seek_values(document, index["fields"])


def seek_sql(fields: list[str], pairs: list[tuple[str, str]], exclude_storage_key: str | None) -> tuple[str, list]:
    """Return the SELECT that seeks the expression index on the leading fields (same expressions, so SQLite uses it)."""
    conditions, params = [], []
    for field, (type_name, value) in zip(fields, pairs):
        type_sql, value_sql = index_expressions_sql(field)
        conditions.append(f"{type_sql} = ? AND {value_sql} = ?")
        params.extend([type_name, value])
    sql = "SELECT storage_key, document FROM documents WHERE db_name = ? AND coll_name = ? AND " + " AND ".join(
        conditions
    )
    if exclude_storage_key is not None:
        sql += " AND storage_key != ?"
        params.append(exclude_storage_key)
    return sql, params


def seek_conflict(engine, db_name, coll_name, document, index, pairs, exclude_storage_key) -> DuplicateKeyError | None:
    """Return the error mongoeco's scan would raise for `index`, looking only at the seeked candidates."""
    fields = index["fields"]
    sql, params = seek_sql(fields, pairs, exclude_storage_key)
    key = tuple(engine._index_value(document, field) for field in fields)
    for _storage_key, payload in engine._require_connection().execute(sql, (db_name, coll_name, *params)):
        existing = engine._deserialize_document(payload)
        if not document_in_virtual_index(existing, index):
            continue
        if tuple(engine._index_value(existing, field) for field in fields) == key:
            # The same message and context as mongoeco's loop gives.
            return engine._unique_key_error(
                f"Duplicate key for unique index '{index['name']}': {fields}={key!r}",
                f"{db_name}.{coll_name}",
                document,
                index=index,
                conflict=key,
            )
    return None


def hide_seeked_indexes(load_indexes):
    """Return `load_indexes` that leaves out the indexes already checked by seek during this validation."""

    def load_indexes_without_seeked(self, db_name, coll_name):
        indexes = load_indexes(self, db_name, coll_name)
        hidden = _HIDDEN.get()
        if hidden is not None and hidden[0] is self and hidden[1:3] == (db_name, coll_name):
            return [index for index in indexes if index["name"] not in hidden[3]]
        return indexes

    return load_indexes_without_seeked


def check_compound_unique_by_seek(validate):
    """Return `validate` (mongoeco's unique-index check) with compound unique indexes checked by index seek."""

    def validate_with_seek(
        self, db_name, coll_name, document, *, exclude_storage_key=None, skip_id_check=False, scan_payload_id=False
    ):
        order, seeked, first_conflict = {}, set(), None
        for position, index in enumerate(self._load_indexes(db_name, coll_name)):
            order[index["name"]] = position
            pairs = seekable(self, db_name, coll_name, document, index)
            if not pairs:
                continue
            seeked.add(index["name"])
            if first_conflict is None:
                conflict = seek_conflict(self, db_name, coll_name, document, index, pairs, exclude_storage_key)
                if conflict is not None:
                    first_conflict = (position, conflict)
        token = _HIDDEN.set((self, db_name, coll_name, frozenset(seeked))) if seeked else None
        try:
            validate(
                self,
                db_name,
                coll_name,
                document,
                exclude_storage_key=exclude_storage_key,
                skip_id_check=skip_id_check,
                scan_payload_id=scan_payload_id,
            )
        except DuplicateKeyError as error:
            # mongoeco raises for the `_id` first, then for the indexes in their order: keep that order.
            named = _INDEX_NAME.match(str(error))
            if first_conflict is not None and named and order.get(named.group(1), -1) > first_conflict[0]:
                raise first_conflict[1] from None
            raise
        finally:
            if token is not None:
                _HIDDEN.reset(token)
        if first_conflict is not None:
            raise first_conflict[1]

    return validate_with_seek
