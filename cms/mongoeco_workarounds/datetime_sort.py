"""A sort on a field that holds a date in every document walks the field's index, as a number or text sort does.

mongoeco sorts in SQL by a CASE over every BSON type followed by the value,
which no index matches: SQLite evaluates the filter on every document of the
collection, sorts all matches in a temporary B-tree and only then takes the
page (a list of 20 costs as much as a list of all). mongoeco already has the
fast form — ORDER BY the field's scalar index, so SQLite walks the index in
order and stops after the page — but offers it only when its probe finds
that every document holds a number, or every one a string, or every one a
boolean there (`_field_has_uniform_scalar_sort_type_in_collection`). Dates
(our `modified`, by which every list is sorted) are not among them.

Why adding dates is equivalent: mongoeco stores a date as a tagged ISO-8601
text ('2026-11-26T12:00:00' or with '.ffffff'), which is also what its index
entries and its value expression hold. For years 1 to 9999 (all a Python
datetime can hold), zero-padded ISO texts order as their dates do: equal up
to the seconds, the one without a fraction is the earlier and the shorter.
When every document holds a date at the field, mongoeco's CASE gives all the
same type bucket, so its order is the order of those texts. The answer is
cached by mongoeco with the other "uniform type" answers, which every write
drops (a write may store another type there).
"""

from mongoeco.core.codec import DocumentCodec
from mongoeco.engines.sqlite_query import json_path_for_field

DATE = "datetime"


def _all_dates(engine, db_name: str, coll_name: str, field: str) -> bool:
    path = json_path_for_field(field) + f'."{DocumentCodec._MARKER}".{DocumentCodec._TYPE}'
    literal = "'" + path.replace("'", "''") + "'"
    total, dates = (
        engine._require_connection()
        .execute(
            f"SELECT COUNT(*), SUM(CASE WHEN json_extract(document, {literal}) = ? THEN 1 ELSE 0 END) "
            "FROM documents WHERE db_name = ? AND coll_name = ?",
            (DATE, db_name, coll_name),
        )
        .fetchone()
    )
    return bool(total) and total == dates


def dates_sort_by_index(uniform_type):
    """Return mongoeco's uniform-type probe answering "datetime" where every document holds a date at the field."""

    def uniform_scalar_sort_type(self, db_name, coll_name, field):
        found = uniform_type(self, db_name, coll_name, field)
        if found is not None:
            return found
        key = (db_name, coll_name, f"uniform_scalar_sort_type:{field}")
        if self._collection_features_cache.get(key) == DATE:
            return DATE
        if "." in field or not _all_dates(self, db_name, coll_name, field):
            return None
        self._collection_features_cache[key] = DATE
        return DATE

    return uniform_scalar_sort_type


# mongoeco's ORDER BY for a sort by a scalar index, and ours: the index's own column order
# (collection_id, index_name, type_score, element_key, storage_key), all in the sort's direction.
_MONGOECO_ORDER = " ORDER BY scalar_index_entries.element_key {order}, documents.storage_key ASC"
_INDEX_ORDER = (
    " ORDER BY scalar_index_entries.type_score {order}, scalar_index_entries.element_key {order}, "
    "scalar_index_entries.storage_key {order}"
)


def walk_index_in_order(build):
    """Return mongoeco's scalar-sort SELECT builder ordering by the index's columns, so SQLite stops after the page.

    mongoeco orders by the entry's key, then the document's storage key
    ascending, whatever the direction: no index has that order, so SQLite
    sorts every match in a temporary B-tree. A uniform field has one type
    score, so ordering by it first changes nothing; and documents whose keys
    are equal may come in any order (MongoDB promises none), so their
    storage keys may be taken in the sort's direction too. That is the
    index's own order, which SQLite walks and leaves after LIMIT rows.
    """

    def build_ordered_by_index(self, *args, **kwargs):
        built = build(self, *args, **kwargs)
        if built is None:
            return None
        sql, params = built
        for order in ("ASC", "DESC"):
            mongoeco_order = _MONGOECO_ORDER.format(order=order)
            if mongoeco_order in sql:
                return sql.replace(mongoeco_order, _INDEX_ORDER.format(order=order)), params
        return built

    return build_ordered_by_index


def no_probe_for_uniform_dates(sort_requires_python):
    """Return mongoeco's "must this sort run in Python?" answering no at once for a field known to hold only dates.

    Before every sorted find mongoeco runs an uncached probe over all the
    matching documents: does any hold an array, an untagged object or a
    tagged number at the sort field? Where the cached answer above says every
    document of the collection holds a tagged date there, none can: the
    probe's answer is known without reading them. The other checks (arrays
    in the filter's paths, bytes, undefined) still run first, from their caches.
    """

    def sort_requires_python_known(self, db_name, coll_name, plan, sort):
        if sort and len(sort) == 1 and "." not in sort[0][0]:
            key = (db_name, coll_name, f"uniform_scalar_sort_type:{sort[0][0]}")
            if self._collection_features_cache.get(key) == DATE and not any(
                check(db_name, coll_name, sort[0][0])
                for check in (
                    self._field_traverses_array_in_collection,
                    self._field_contains_tagged_bytes_in_collection,
                    self._field_contains_tagged_undefined_in_collection,
                )
            ):
                if not self._plan_has_array_traversing_paths(db_name, coll_name, plan):
                    return False
        return sort_requires_python(self, db_name, coll_name, plan, sort)

    return sort_requires_python_known
