"""A write's or a find's filter holding `_id` (equality or `$in`) reads those documents by primary key.

mongoeco turns a filter into a primary-key lookup only when it is exactly
`{_id: value}`. The compare-and-set of our workflow engine (`_id`, `_cls`,
`state`, `revision`), mongoengine's `save(save_condition=…)` and a page's
`{_id: {$in: [...]}}` all become JSON predicates over the whole namespace.

Why it is equivalent: documents are stored under `storage_key = repr(canonical_document_id(_id))`,
so for an ObjectId or a string — whose only equal values are the same ObjectId
or the same string — every document the filter can match is among the rows of
the storage keys of the filter's ids (both ObjectId classes, bson's and
mongoeco's subclass, are looked up). Those few documents are then matched
against the whole filter by mongoeco's own matcher (`QueryEngine.match_plan`,
the engine's reference semantics, which its own fallback paths use), and a find
hands them to the same Python pipeline (sort, skip, limit, projection) its
fallback uses. Rows come in storage-key order, the order of mongoeco's scan of
the namespace. Other id types (numbers, documents) keep mongoeco's path.
"""

from dataclasses import replace

from bson import ObjectId
from mongoeco.core.filtering import QueryEngine
from mongoeco.core.query_plan import (
    AllCondition,
    AndCondition,
    EqualsCondition,
    ExistsCondition,
    GreaterThanCondition,
    GreaterThanOrEqualCondition,
    InCondition,
    LessThanCondition,
    LessThanOrEqualCondition,
    MatchAll,
    ModCondition,
    NotCondition,
    NotEqualsCondition,
    NotInCondition,
    OrCondition,
    RegexCondition,
    SizeCondition,
    TypeCondition,
)
from mongoeco.engines._sqlite_connection import sqlite_read_scope
from mongoeco.engines.semantic_core import FiniteDocumentScan
from mongoeco.types import ObjectId as MongoecoObjectId

# Nodes whose matching needs nothing but the document (no $expr variables, collation, geo or text).
_PLAIN_NODES = (
    AllCondition,
    AndCondition,
    EqualsCondition,
    ExistsCondition,
    GreaterThanCondition,
    GreaterThanOrEqualCondition,
    InCondition,
    LessThanCondition,
    LessThanOrEqualCondition,
    MatchAll,
    ModCondition,
    NotCondition,
    NotEqualsCondition,
    NotInCondition,
    OrCondition,
    RegexCondition,
    SizeCondition,
    TypeCondition,
)
_CHUNK = 500  # bound parameters per lookup, well under SQLite's limit


def is_plain(plan) -> bool:
    """Whether `plan` uses only nodes that match on the document alone."""
    if type(plan) not in _PLAIN_NODES:
        return False
    if isinstance(plan, NotCondition):
        return is_plain(plan.clause)
    if isinstance(plan, (AndCondition, OrCondition)):
        return all(is_plain(clause) for clause in plan.clauses)
    return True


def _keyed(values) -> bool:
    return bool(values) and all(type(value) is str or isinstance(value, ObjectId) for value in values)


def keyed_ids(plan) -> tuple | None:
    """Return the `_id` values the plan requires one of (ObjectIds or strings only), or None."""
    if isinstance(plan, EqualsCondition) and plan.field == "_id":
        values = (plan.value,)
    elif isinstance(plan, InCondition) and plan.field == "_id":
        values = tuple(plan.values)
    elif isinstance(plan, AndCondition):
        found = [ids for ids in (keyed_ids(clause) for clause in plan.clauses) if ids is not None]
        return min(found, key=len) if found else None
    else:
        return None
    return values if _keyed(values) else None


def storage_keys(engine, ids) -> list[str]:
    """Return every storage key a document with one of `ids` can be stored under."""
    keys = set()
    for value in ids:
        keys.add(engine._storage_key(value))
        if isinstance(value, ObjectId):
            keys.add(engine._storage_key(ObjectId(value.binary)))
            keys.add(engine._storage_key(MongoecoObjectId(value.binary)))
    return sorted(keys)


def load_by_ids(engine, conn, db_name: str, coll_name: str, ids) -> list[tuple[str, dict]]:
    """Return (storage_key, document) of the stored documents with one of `ids`, in storage-key order."""
    rows = []
    keys = storage_keys(engine, ids)
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        rows.extend(
            conn.execute(
                "SELECT storage_key, document FROM documents "
                f"WHERE db_name = ? AND coll_name = ? AND storage_key IN ({marks})",
                (db_name, coll_name, *chunk),
            ).fetchall()
        )
    rows.sort(key=lambda row: row[0])
    return [(key, engine._deserialize_document(payload)) for key, payload in rows]


def select_first_by_id(select):
    """Return `select` (the first document a write's filter matches) reading `_id` filters by primary key."""

    def select_first(self, db_name, coll_name, plan, *, hint=None, context=None):
        ids = keyed_ids(plan) if hint is None and is_plain(plan) else None
        if ids is None:
            return select(self, db_name, coll_name, plan, hint=hint, context=context)
        conn = self._require_connection(context)
        with self._bind_connection(conn), sqlite_read_scope(conn):
            for storage_key, document in load_by_ids(self, conn, db_name, coll_name, ids):
                if QueryEngine.match_plan(document, plan):
                    return storage_key, document
        return None

    return select_first


def scan_by_id(open_scan):
    """Return `open_scan` (a find's document source) reading `_id` filters by primary key."""

    def open_scan_documents(self, reader):
        semantics = reader.semantics
        ids = None
        if (
            semantics.text_query is None
            and semantics.collation is None
            and semantics.hint is None
            and not self._is_profile_namespace(reader.coll_name)
        ):
            ids = keyed_ids(semantics.query_plan)
        if ids is None:
            return open_scan(self, reader)
        conn = self._require_connection(reader.context)
        with self._bind_connection(conn), sqlite_read_scope(conn):
            documents = [document for _key, document in load_by_ids(self, conn, reader.db_name, reader.coll_name, ids)]
        # What mongoeco's own fallback does with the documents it decoded (filter, sort, skip, limit, projection).
        python_semantics = replace(semantics, compiled_query=None)
        if semantics.sort is None:
            return FiniteDocumentScan(iter(documents), python_semantics)
        return self._finalize_scan_source(iter(documents), python_semantics)

    return open_scan_documents
