"""Rendered public pages, for anonymous visitors and per logged-in session, kept in memory until something changes.

A CMS is read-heavy and the embedded database's query costs grow with its size,
so repeated reads of the public site are answered from this cache with no
database round trip: one copy for all anonymous visitors, one per logged-in
session (what a member may see, and the session's form tokens, are theirs).
Any write that changes what a cache may hold (cms.change_watch sees each one
at the driver) drops the cache at once in this process, and moves a
generation counter in the database for the other workers, which look at it
at most every CMS_PAGE_CACHE_CHECK_SECONDS.
"""

import functools
import hashlib
import threading
import time
import weakref

import mongoengine as me
from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user

from cms.change_watch import WATCH

MAX_PAGES = 2000
_KEY = "public_pages"


class PageCache:
    """One app's cached pages and the generation they belong to."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pages: dict = {}
        self.generation = None
        self.checked_at = 0.0
        # Moved by every local clear: what was remembered before a change here is never current again,
        # even while the database's generation has not moved yet.
        self.epoch = 0

    def clear(self) -> None:
        """Forget every page; the next request reads the generation again."""
        with self.lock:
            self.pages.clear()
            self.generation = None
            self.epoch += 1

    def current_generation(self, interval: float) -> tuple[int, int]:
        """Return (the database's generation, read at most every `interval` seconds; this process's epoch)."""
        now = time.monotonic()
        epoch = self.epoch  # read first: a clear while the database answers makes the result stale at once
        if self.generation is None or now - self.checked_at >= interval:
            document = me.connection.get_db().cache_generations.find_one({"_id": _KEY})
            generation = document["value"] if document else 0
            with self.lock:
                if generation != self.generation:
                    self.pages.clear()
                    self.generation = generation
                self.checked_at = now
        return (self.generation, epoch)


# Every app's cache in this process, so that a change made outside a request
# (a CLI command, the scheduler) clears them too.
_caches: "weakref.WeakSet[PageCache]" = weakref.WeakSet()


def clear_local() -> None:
    """Drop every app's cached pages and remembered callers in this process (no database needed)."""
    for cache in list(_caches):
        cache.clear()


def move_generation() -> None:
    """Tell the other processes that something changed: they drop their caches at their next look."""
    # Only over a connection that exists: between a disconnect and the next connect (following a new
    # embedded owner), asking mongoengine for one would open a client nobody closes. The next write moves it.
    if me.connection.DEFAULT_CONNECTION_NAME in me.connection._connections:
        me.connection.get_db().cache_generations.update_one({"_id": _KEY}, {"$inc": {"value": 1}}, upsert=True)


def invalidate() -> None:
    """Drop the caches here and everywhere now (a change the database cannot show, such as a new setting)."""
    move_generation()
    clear_local()


# A page for a logged-in session carries that session's CSRF tokens (logout, language forms): kept shorter
# than the tokens live (WTF_CSRF_TIME_LIMIT), so a cached page never hands out an expired one.
SESSION_PAGE_SECONDS = 600


def _cache_key():
    """Return the key the request's page is cached under, or None if it is not cached."""
    if request.method != "GET":
        return None
    locale = str(get_locale())
    if not current_user.is_authenticated:
        # Only anonymous visitors with nothing in their session see the same page.
        return None if session else ("anonymous", request.full_path, locale)
    key = getattr(current_user, "session_key", None)
    if not key or "_flashes" in session:
        return None  # a message to show once is never served from, or kept in, the cache
    # A logged-in reader's page is theirs alone (what they may see, their forms' tokens): one per session.
    return ("session", hashlib.sha256(key.encode()).hexdigest(), request.full_path, locale)


def cached_page(view):
    """Serve `view` from the cache to anonymous visitors and to each logged-in session; render and store on a miss."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        key = _cache_key()
        if key is None:
            return view(*args, **kwargs)
        generation = _generation()
        hit = _stored(key, generation, None if key[0] == "anonymous" else SESSION_PAGE_SECONDS)
        if hit is not None:
            return hit
        response = current_app.make_response(view(*args, **kwargs))
        _keep(key, generation, response, (200, 404))
        return response

    return wrapper


def _generation():
    cache = current_app.extensions["page_cache"]
    return cache.current_generation(current_app.config["CMS_PAGE_CACHE_CHECK_SECONDS"])


def _stored(key, generation, max_age: float | None):
    """Return the response stored under `key` for `generation` (not older than `max_age` seconds), or None."""
    cached = current_app.extensions["page_cache"].pages.get(key)
    if cached is None or cached[0] != generation or (max_age is not None and time.monotonic() - cached[4] >= max_age):
        return None
    body, status, content_type = cached[1:4]
    return current_app.response_class(body, status=status, content_type=content_type, headers={"X-Cache": "hit"})


def _keep(key, generation, response, statuses) -> None:
    """Store `response` under `key` for `generation` if its status is one of `statuses` and it sets no cookie."""
    if response.status_code in statuses and not response.headers.getlist("Set-Cookie"):
        cache = current_app.extensions["page_cache"]
        with cache.lock:
            if len(cache.pages) >= MAX_PAGES:
                cache.pages.clear()
            cache.pages[key] = (
                generation,
                response.get_data(),
                response.status_code,
                response.content_type,
                time.monotonic(),
            )
    response.headers["X-Cache"] = "miss"


# An API answer may show what changes with time alone, not by a write (an edit lock running out):
# it is kept a minute at most.
ANSWER_SECONDS = 60


def answer_from_cache(who: str):
    """Return the API's stored answer to this GET for the caller `who` (a token's hash or "anonymous"), or None.

    On a miss, the key and generation are kept in `g` for keep_answer(): read
    before the answer is made, so a change meanwhile makes it stale at once.
    """
    key = ("api", who, request.full_path, str(get_locale()))
    generation = _generation()
    hit = _stored(key, generation, ANSWER_SECONDS)
    if hit is None:
        g.answer_cache = (key, generation)
    return hit


def keep_answer(response):
    """Store the API's successful answer to this GET if answer_from_cache() missed it; return the response."""
    pending = g.pop("answer_cache", None)
    if pending is not None:
        _keep(*pending, response, (200,))
    return response


def init_app(app) -> None:
    """Give the app its cache, dropped after every write that may change it (cms.change_watch)."""
    cache = PageCache()
    app.extensions["page_cache"] = cache
    _caches.add(cache)
    WATCH.on_change(clear_local)
    WATCH.bump_with(move_generation)
