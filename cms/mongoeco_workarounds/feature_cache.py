"""The planner's "no document has X at field f" answers survive a write whose documents don't have X there.

mongoeco's SQLite planner asks, per collection and field, whether any document
has an array, a float, a tagged BSON type or a DBRef on the path (full SQL
scans), and caches the answers — but drops all of them on every write, so each
write makes the next read and the next unique check scan again.

Why keeping some is equivalent: an answer "no document has X" can only become
wrong through a document that now has X. After an insert or update we run the
very probe mongoeco ran (the same SQL predicate) restricted to the rows just
written; if none has X, the answer is still true and is put back. A delete
can't give any document X, so its "no" answers all stay. The answer "every
document holds a date at f" (datetime_sort) is a "no" too — no document holds
anything else — and is kept the same way. "Yes" answers and
kinds of answer not listed here are dropped as mongoeco drops them. The write
holds the engine's lock throughout, so no other write can slip in between.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from mongoeco.core.codec import DocumentCodec
from mongoeco.engines.sqlite_query import json_path_for_field, path_array_prefixes


def _literal(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"


def _tagged_type(field: str) -> str:
    return _literal(json_path_for_field(field) + f'."{DocumentCodec._MARKER}".{DocumentCodec._TYPE}')


def probe_predicate(kind: str) -> tuple[str, list] | None:
    """Return the SQL predicate (on `document`) of mongoeco's feature probe `kind`, or None for kinds not kept."""
    name, _, field = kind.partition(":")
    if name == "top_level_array":
        return f"json_type(document, {_literal(json_path_for_field(field))}) = 'array'", []
    if name == "contains_real_numeric":
        return f"json_type(document, {_literal(json_path_for_field(field))}) = 'real'", []
    if name == "traverses_array":
        prefixes = path_array_prefixes(field)
        if not prefixes:
            return None
        tests = [f"json_type(document, {_literal(json_path_for_field(prefix))}) = 'array'" for prefix in prefixes]
        return "(" + " OR ".join(tests) + ")", []
    if name == "traverses_dbref":
        parts = field.split(".")
        prefixes = [".".join(parts[:length]) for length in range(1, len(parts))]
        if not prefixes:
            return None
        return "(" + " OR ".join(f"json_extract(document, {_tagged_type(p)}) = 'dbref'" for p in prefixes) + ")", []
    if name == "uniform_scalar_sort_type":
        # Kept only as "every document holds a date here" (cms.mongoeco_workarounds.datetime_sort):
        # contradicted by a written document that doesn't.
        return f"COALESCE(json_extract(document, {_tagged_type(field)}), '') != 'datetime'", []
    if name == "tagged_type":
        field, _, value_type = field.rpartition(":")
        return f"json_extract(document, {_tagged_type(field)}) = ?", [value_type]
    return None


# (engine, {feature key: False}) collecting the "no" answers a write drops, while that write runs.
_DROPPED: ContextVar[tuple | None] = ContextVar("mongoeco_workarounds_dropped_answers", default=None)


def _kept(key, value) -> bool:
    # "No document has X" answers, and "every document holds a date at f" (a no: no document holds anything else).
    return value is False or (value == "datetime" and key[2].startswith("uniform_scalar_sort_type:"))


def collect_dropped_answers(invalidate):
    """Return `invalidate` (the feature cache's reset) remembering the "no" answers it drops during a kept write."""

    def invalidate_collection_features_cache(self, db_name=None, coll_name=None):
        dropped = _DROPPED.get()
        if dropped is not None and dropped[0] is self:
            dropped[1].update(
                (key, value)
                for key, value in list(self._collection_features_cache.items())
                if _kept(key, value) and (db_name is None or coll_name is None or key[:2] == (db_name, coll_name))
            )
        return invalidate(self, db_name, coll_name)

    return invalidate_collection_features_cache


@contextmanager
def _collecting(engine):
    answers = {}
    token = _DROPPED.set((engine, answers))
    try:
        yield answers
    finally:
        _DROPPED.reset(token)


def _restore(engine, db_name, coll_name, answers: dict, written_keys: list[str]) -> None:
    cache = engine._collection_features_cache
    conn = engine._require_connection()
    for key in answers:
        if key[:2] != (db_name, coll_name):
            continue  # another collection's answers (a reset of every collection) are not ours to judge
        probe = probe_predicate(key[2])
        if key in cache or probe is None:
            continue
        if written_keys:
            predicate, params = probe
            marks = ", ".join("?" for _ in written_keys)
            row = conn.execute(
                f"SELECT 1 FROM documents WHERE db_name = ? AND coll_name = ? AND storage_key IN ({marks}) "
                f"AND {predicate} LIMIT 1",
                (db_name, coll_name, *written_keys, *params),
            ).fetchone()
            if row is not None:
                continue
        cache[key] = answers[key]


def keep_after_insert(insert):
    """Return `insert` (one document) keeping the "no" answers the inserted document doesn't contradict."""

    def insert_document(self, db_name, coll_name, document, *args, **kwargs):
        with self._lock:
            with _collecting(self) as answers:
                outcome = insert(self, db_name, coll_name, document, *args, **kwargs)
            _restore(self, db_name, coll_name, answers, [self._storage_key(document.get("_id"))])
            return outcome

    return insert_document


def keep_after_update(update):
    """Return `update` (one document) keeping the "no" answers the written document doesn't contradict."""

    def update_with_operation(self, db_name, coll_name, *args, **kwargs):
        with self._lock:
            with _collecting(self) as answers:
                outcome = update(self, db_name, coll_name, *args, **kwargs)
            written = outcome.after_document
            if written is not None and "_id" in written:
                _restore(self, db_name, coll_name, answers, [self._storage_key(written["_id"])])
            elif outcome.result.modified_count == 0 and not outcome.result.did_upsert:
                _restore(self, db_name, coll_name, answers, [])
            return outcome

    return update_with_operation


def keep_after_delete(delete):
    """Return `delete` (one document) keeping every "no" answer: removing a document can't make one wrong."""

    def delete_matching_document(self, db_name, coll_name, *args, **kwargs):
        with self._lock:
            with _collecting(self) as answers:
                outcome = delete(self, db_name, coll_name, *args, **kwargs)
            _restore(self, db_name, coll_name, answers, [])
            return outcome

    return delete_matching_document
