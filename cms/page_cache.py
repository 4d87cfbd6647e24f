"""Rendered public pages, for anonymous visitors and per logged-in session, kept in memory until something changes.

A CMS is read-heavy and the embedded database's query costs grow with its size,
so repeated reads of the public site are answered from this cache with no
database round trip: one copy for all anonymous visitors, one per logged-in
session (what a member may see, and the session's form tokens, are theirs).
Any content, city, account or workflow change bumps a generation counter: at
once in this process, and in the database for the other workers, which look
at it at most every CMS_PAGE_CACHE_CHECK_SECONDS.
"""

import functools
import hashlib
import threading
import time
import weakref

import mongoengine as me
from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

from content_types import ApiToken, Content, LoginSession, MemberCity, User
from content_types.city import status_changed

MAX_PAGES = 2000
_KEY = "public_pages"


class PageCache:
    """One app's cached pages and the generation they belong to."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pages: dict = {}
        self.generation = None
        self.checked_at = 0.0

    def clear(self) -> None:
        """Forget every page; the next request reads the generation again."""
        with self.lock:
            self.pages.clear()
            self.generation = None

    def current_generation(self, interval: float) -> int:
        """Return the generation, reading the database's at most every `interval` seconds."""
        now = time.monotonic()
        if self.generation is None or now - self.checked_at >= interval:
            document = me.connection.get_db().cache_generations.find_one({"_id": _KEY})
            generation = document["value"] if document else 0
            with self.lock:
                if generation != self.generation:
                    self.pages.clear()
                    self.generation = generation
                self.checked_at = now
        return self.generation


# Every app's cache in this process, so that a change made outside a request
# (a CLI command, the scheduler) clears them too.
_caches: "weakref.WeakSet[PageCache]" = weakref.WeakSet()


def invalidate(*_args, **_kwargs) -> None:
    """Tell every process that content, a city or an account changed: cached pages and remembered callers go.

    The database's generation moves first: a request here that reads it after
    the local caches are cleared gets the new one, never the old.
    """
    me.connection.get_db().cache_generations.update_one({"_id": _KEY}, {"$inc": {"value": 1}}, upsert=True)
    for cache in list(_caches):
        cache.clear()


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
        cache = current_app.extensions["page_cache"]
        generation = cache.current_generation(current_app.config["CMS_PAGE_CACHE_CHECK_SECONDS"])
        cached = cache.pages.get(key)
        now = time.monotonic()
        if (
            cached is not None
            and cached[0] == generation
            and (key[0] == "anonymous" or now - cached[4] < SESSION_PAGE_SECONDS)
        ):
            body, status, content_type = cached[1:4]
            return current_app.response_class(
                body, status=status, content_type=content_type, headers={"X-Cache": "hit"}
            )
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code in (200, 404) and not response.headers.getlist("Set-Cookie"):
            with cache.lock:
                if len(cache.pages) >= MAX_PAGES:
                    cache.pages.clear()
                cache.pages[key] = (generation, response.get_data(), response.status_code, response.content_type, now)
        response.headers["X-Cache"] = "miss"
        return response

    return wrapper


def _on_document_change(sender, document, **_kwargs):
    # Accounts, sessions and tokens: the callers remembered by cms.principals follow this generation.
    if isinstance(document, (Content, MemberCity, User, LoginSession, ApiToken)):
        invalidate()


def init_app(app) -> None:
    """Give the app its cache; invalidate on every save or delete of content and cities.

    Transitions invalidate it through the publication step (cms.publication).
    """
    cache = PageCache()
    app.extensions["page_cache"] = cache
    _caches.add(cache)
    me.signals.post_save.connect(_on_document_change, weak=False)
    status_changed.connect(invalidate, weak=False)
    me.signals.post_delete.connect(_on_document_change, weak=False)
