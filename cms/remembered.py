"""Documents remembered per process: published versions for good (they never change), items until the next write.

A member's download used to read the version and its item from the database
on every request. A version is frozen once made; an item changes only by a
write, which drops what is remembered here as it drops the page cache
(cms.change_watch, the page cache's generation).
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
    """Return the published version `version_id` (None if there is none; a bad id is none)."""
    if not ObjectId.is_valid(version_id):
        return None
    versions = _store("versions")
    son = versions.get(version_id)
    if son is None:
        found = PublishedVersion._get_collection().find_one({"_id": ObjectId(version_id)})
        if found is None:
            return None  # not remembered: it may be made yet
        son = found
        _remember(versions, version_id, son)
    return PublishedVersion._from_son(son)


def item(item_id: ObjectId) -> Content | None:
    """Return the item `item_id` as it is now (None if it is gone), from memory until the next write."""
    generation = _generation()  # read first: a write while loading leaves the entry stale at once
    items = _store("items")
    entry = items.get(item_id)
    if entry is not None and entry[0] == generation:
        son = entry[1]
    else:
        son = Content._get_collection().find_one({"_id": item_id})
        _remember(items, item_id, (generation, son))
    # A new document per request: nothing one request sets on it reaches another.
    return Content._from_son(son) if son is not None else None
