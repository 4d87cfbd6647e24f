"""Full-text search across everything a caller may view: one index, kept in step with the content.

`search(user, text, filters, page, per_page)` is what the API, the public
site, the member area and the admin all call. The index lives in
`<CMS_DATA_DIR>/search-index/` (CMS_SEARCH_INDEX_DIR to put it elsewhere).
"""

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bson import ObjectId
from flask import current_app

from cms.search import sync
from cms.search.analysis import is_han, tokens
from cms.search.documents import Cities, attachments_of, build
from cms.search.engine import FACETS, Found, Request, engine_at
from cms.search.principals import user_principals
from cms.security import can
from content_types import Content
from workflows.permissions import VIEW_CONTACTS

log = logging.getLogger(__name__)
# Items read and indexed at a time. The embedded database turns an `$in` list into a SQL expression,
# and SQLite refuses one deeper than 1,000 nodes: 500 ids fail there, 200 pass (a real MongoDB takes any).
BATCH = 200


@dataclass
class SearchIndex:
    """One app's engine, the items waiting for it, and where attachments' texts are kept."""

    engine: object
    pending: sync.Pending
    texts: Path
    # One flush at a time in a process: two threads reading and indexing the same item could otherwise
    # write the older state last.
    flushing: threading.Lock = field(default_factory=threading.Lock)


def index_dir(app) -> Path:
    """Return the index folder of `app`: CMS_SEARCH_INDEX_DIR, else beside the data directory."""
    return Path(app.config.get("CMS_SEARCH_INDEX_DIR") or Path(app.config["CMS_DATA_DIR"]) / "search-index")


def init_app(app) -> None:
    """Give the app its index and index what changed whenever an app context ends."""
    path = index_dir(app)
    app.extensions["search"] = SearchIndex(engine_at(path), sync.new_pending(), path.parent / "search-texts")

    @app.teardown_appcontext
    def index_changes(_error=None):
        flush()


def current() -> SearchIndex:
    """Return the current app's index."""
    return current_app.extensions["search"]


def flush(retry_now: bool = False) -> None:
    """Index afresh the items written since the last flush; on failure log, keep them pending and go on.

    After a failure the end of a request tries again only after a while (each
    try would cost every request its time); a search tries at once.
    """
    index = current()
    if not index.pending or (index.pending.failed_at and not retry_now and not sync.may_retry(index.pending)):
        return
    with index.flushing:
        _flush(index)


def _flush(index: SearchIndex) -> None:
    items, files, everything = index.pending.take()
    try:
        if everything:
            log.info("a write to the content named no item: the search index is rebuilt")
            rebuild()
        else:
            if files:
                items |= {ObjectId(found) for found in index.engine.ids_with_file(files)}
            index_items(items)
    except Exception:
        # The writes stand; the index catches up at the next flush (or `cms reindex`).
        log.exception("the search index could not be updated; it is retried later")
        index.pending.add(items, files, everything)
        index.pending.failed_at = time.monotonic()
    else:
        index.pending.failed_at = 0.0


def _object_ids(ids) -> list[ObjectId]:
    return sorted({ObjectId(str(value)) for value in ids if value is not None and ObjectId.is_valid(str(value))})


def index_items(ids) -> int:
    """Index the items `ids` as stored now (removing those gone); return how many were indexed."""
    ids = _object_ids(ids)
    indexed = 0
    cities = Cities() if ids else None
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        items = list(Content.objects(pk__in=batch))
        indexed += _index(items, cities)
        gone = set(batch) - {item.pk for item in items}
        current().engine.delete(str(item_id) for item_id in gone)
    return indexed


def _index(items, cities) -> int:
    files = attachments_of(item.pk for item in items)
    documents = []
    for item in items:
        try:
            documents.append(build(item, files.get(item.pk, []), cities, current().texts))
        except Exception:  # one broken item never keeps the others out
            log.exception("item %s could not be indexed", item.pk)
    current().engine.index(documents)
    return len(documents)


def rebuild(report=None) -> int:
    """Empty the index and index every item from the database; return how many; `report(n)` after each batch."""
    index = current()
    index.pending.take()  # everything is read afresh below
    index.pending.failed_at = 0.0
    index.engine.clear()
    cities = Cities()
    indexed, batch = 0, []
    for item in Content.objects.order_by("_id").no_cache():
        batch.append(item)
        if len(batch) >= BATCH:
            indexed += _index(batch, cities)
            batch = []
            if report:
                report(indexed)
    indexed += _index(batch, cities)
    return indexed


def is_empty() -> bool:
    """Whether the index holds nothing (a fresh installation, or one whose index was removed)."""
    return current().engine.count() == 0


def query_terms(text: str | None) -> tuple[list[str], bool]:
    """Return the tokens of a search text, and whether its last word is matched as a prefix (still being typed)."""
    terms = tokens(text)
    prefix = bool(terms) and not text[-1].isspace() and not is_han(terms[-1]) and len(terms[-1]) >= 3
    return terms, prefix


def search(user, text: str | None, filters: dict, page: int = 1, per_page: int = 20, facets=FACETS) -> Found:
    """Return one page of what `user` may view matching `text` and `filters` (facet values), ranked, with facets."""
    flush(retry_now=True)
    terms, prefix = query_terms(text)
    request = Request(
        terms=terms,
        principals=user_principals(user),
        filters=dict(filters),
        prefix_last=prefix,
        # A company's contact is searched only for those who may read it: anonymous never matches by it.
        members_text=can(user, VIEW_CONTACTS),
        offset=(page - 1) * per_page,
        limit=per_page,
        facets=tuple(facets),
    )
    return current().engine.search(request)
