"""Documents remembered per process: published versions for good (they never change), items until the next write.

A member's download used to read the version and its item from the database
on every request. A version is frozen once made; an item changes only by a
write, which drops what is remembered here as it drops the page cache
(cms.change_watch, the page cache's generation). The documents are kept
built, since building a large item costs more than sending its file: every
request gets the same object, so they are for reading (a permission check,
a file's details) and must never be changed or saved.
"""

import threading

from bson import ObjectId
from flask import current_app

from content_types import Content
from content_types.version import PublishedVersion

MAX_ENTRIES = 5_000
_lock = threading.Lock()


def _store(name: str) -> dict:
    # One app's memory (tests run several apps, on several databases, in one process).
    stores = current_app.extensions.setdefault("remembered", {"versions": {}, "items": {}})
    return stores[name]


def _generation():
    cache = current_app.extensions["page_cache"]
    return cache.current_generation(current_app.config["CMS_PAGE_CACHE_CHECK_SECONDS"])


def _remember(store: dict, key, value) -> None:
    with _lock:
        if len(store) >= MAX_ENTRIES:
            store.clear()
        store[key] = value


def version(version_id: str) -> PublishedVersion | None:
    """Return the published version `version_id` (None if there is none; a bad id is none), for reading only."""
    if not ObjectId.is_valid(version_id):
        return None
    versions = _store("versions")
    found = versions.get(version_id)
    if found is None:
        son = PublishedVersion._get_collection().find_one({"_id": ObjectId(version_id)})
        if son is None:
            return None  # not remembered: it may be made yet
        found = PublishedVersion._from_son(son)
        _remember(versions, version_id, found)
    return found


def item(item_id: ObjectId) -> Content | None:
    """Return the item `item_id` as it is now (None if it is gone), from memory until the next write; read only."""
    generation = _generation()  # read first: a write while loading leaves the entry stale at once
    items = _store("items")
    entry = items.get(item_id)
    if entry is not None and entry[0] == generation:
        return entry[1]
    son = Content._get_collection().find_one({"_id": item_id})
    found = Content._from_son(son) if son is not None else None
    _remember(items, item_id, (generation, found))
    return found
