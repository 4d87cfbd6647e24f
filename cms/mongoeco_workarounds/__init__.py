"""Workarounds for measured gaps of mongoeco 4.11, the embedded database. All of them live here.

Each replaces one private attribute of mongoeco (pinned to 4.11.* in
pyproject.toml for that reason) with a function that gives the same results
and the same refusals, only without reading the whole collection; each
module says why its shortcut is equivalent. tests/test_mongoeco_workarounds.py
checks that every patched attribute still exists, that SQLite seeks an index
for our query shapes, and compares the patched engine with the unpatched one
on random operations. bench/embedded_growth.py measures both (README,
"Benchmarks"). They are written so that they could be offered upstream.

- insert_id_scan: an insert checks an ObjectId or string `_id` by primary key only.
- unique_seek: compound unique indexes (ours, since mongoengine prefixes `_cls`)
  are checked by seeking their expression index.
- id_lookup: a write's or a find's filter holding `_id` (equality or `$in`)
  reads those documents by primary key.
- index_conjuncts: equality/`$in` on string fields holding no arrays gets a conjunct
  SQLite answers from the expression index (also in the probe before a sort).
- count: pymongo's `count_documents` aggregation is answered by SQLite's COUNT(*).
- datetime_sort: a sort on a field holding a date in every document walks that
  field's index, as mongoeco does for numbers and text, and in the index's own
  order, so that SQLite stops after the page.
- startup_backfill: opening the database rebuilds the scalar index entries once
  per mongoeco version instead of at every start (they are kept by every write).
- feature_cache: the planner's cached "no document has an array/float/… at f"
  answers survive writes that can't have changed them.
"""

from mongoeco.api._async._database_admin_read_commands import DatabaseAdminReadCommandService
from mongoeco.engines.sqlite import SQLiteEngine

from cms.mongoeco_workarounds import (
    count,
    datetime_sort,
    feature_cache,
    id_lookup,
    index_conjuncts,
    insert_id_scan,
    startup_backfill,
    unique_seek,
)
from cms.mongoeco_workarounds._patching import Patch

_VALIDATE = "_validate_document_against_unique_indexes"

PATCHES = [
    Patch(
        SQLiteEngine,
        _VALIDATE,
        unique_seek.check_compound_unique_by_seek(
            insert_id_scan.skip_id_scan_for_keyed_ids(SQLiteEngine.__dict__[_VALIDATE])
        ),
    ),
    Patch(SQLiteEngine, "_load_indexes", unique_seek.hide_seeked_indexes(SQLiteEngine.__dict__["_load_indexes"])),
    Patch(
        SQLiteEngine,
        "_select_first_document_for_plan",
        id_lookup.select_first_by_id(SQLiteEngine.__dict__["_select_first_document_for_plan"]),
    ),
    Patch(
        SQLiteEngine,
        "_open_scan_documents_sync",
        id_lookup.scan_by_id(SQLiteEngine.__dict__["_open_scan_documents_sync"]),
    ),
    Patch(
        SQLiteEngine,
        "_translate_query_plan_with_multikey",
        index_conjuncts.add_index_conjuncts(SQLiteEngine.__dict__["_translate_query_plan_with_multikey"]),
    ),
    Patch(
        SQLiteEngine,
        "_sort_requires_python",
        datetime_sort.no_probe_for_uniform_dates(
            index_conjuncts.sort_probe_with_conjuncts(SQLiteEngine.__dict__["_sort_requires_python"])
        ),
    ),
    Patch(
        DatabaseAdminReadCommandService,
        "execute_aggregate_command",
        count.count_by_engine(DatabaseAdminReadCommandService.__dict__["execute_aggregate_command"]),
    ),
    Patch(
        SQLiteEngine,
        "_invalidate_collection_features_cache",
        feature_cache.collect_dropped_answers(SQLiteEngine.__dict__["_invalidate_collection_features_cache"]),
    ),
    Patch(
        SQLiteEngine,
        "_insert_document_sync",
        feature_cache.keep_after_insert(SQLiteEngine.__dict__["_insert_document_sync"]),
    ),
    Patch(
        SQLiteEngine,
        "_update_with_operation_sync",
        feature_cache.keep_after_update(SQLiteEngine.__dict__["_update_with_operation_sync"]),
    ),
    Patch(
        SQLiteEngine,
        "_field_has_uniform_scalar_sort_type_in_collection",
        datetime_sort.dates_sort_by_index(SQLiteEngine.__dict__["_field_has_uniform_scalar_sort_type_in_collection"]),
    ),
    Patch(
        SQLiteEngine,
        "_build_scalar_sort_select_sql",
        datetime_sort.walk_index_in_order(SQLiteEngine.__dict__["_build_scalar_sort_select_sql"]),
    ),
    Patch(
        SQLiteEngine,
        "_backfill_scalar_indexes_sync",
        startup_backfill.rebuild_once_per_version(SQLiteEngine.__dict__["_backfill_scalar_indexes_sync"]),
    ),
    Patch(
        SQLiteEngine,
        "_delete_matching_document_sync",
        feature_cache.keep_after_delete(SQLiteEngine.__dict__["_delete_matching_document_sync"]),
    ),
]


def apply() -> None:
    """Install the workarounds (idempotent)."""
    for patch in PATCHES:
        patch.apply()


def remove() -> None:
    """Restore mongoeco's own behaviour (for the benchmark and the differential test)."""
    for patch in PATCHES:
        patch.remove()


def applied() -> bool:
    """Whether every workaround is installed."""
    return all(patch.applied for patch in PATCHES)


apply()
