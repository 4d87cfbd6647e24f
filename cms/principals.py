"""Who is calling, remembered per process: a session's or token's user costs no database round trip on repeat.

Every request of a logged-in user used to read its session (or token), its
account — twice — and its city's membership before any work. They change
only by writes: logging out, revoking a token, an account saved or deleted,
a city's status (a transition or a correction). Each write drops what this
process remembers at once (cms.change_watch), and every other process's
within CMS_PAGE_CACHE_CHECK_SECONDS, which bounds how long another worker
may still accept a session revoked elsewhere. An entry also ends with its
session's or token's expiry.
"""

import threading

from flask import current_app

from content_types import User
from content_types.base import utcnow

MAX_ENTRIES = 10_000


class Principals:
    """One app's remembered callers: key hash → (generation, account as stored, member-city flag, expiry)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.entries: dict = {}

    def clear(self) -> None:
        """Forget every caller."""
        with self.lock:
            self.entries.clear()


def _generation() -> int:
    cache = current_app.extensions["page_cache"]
    return cache.current_generation(current_app.config["CMS_PAGE_CACHE_CHECK_SECONDS"])


def lookup(kind: str, key_hash: str, load) -> User | None:
    """Return the user of the session or token `key_hash`: remembered, else `load()` → (active user, expiry) or None.

    The generation is read before loading: a change made while loading leaves
    the entry stale at once rather than remembered as current.
    """
    principals = current_app.extensions["principals"]
    generation = _generation()
    entry = principals.entries.get((kind, key_hash))
    if entry is not None and entry[0] == generation and entry[3] > utcnow():
        _generation_seen, son, member_city, _expires = entry
        # A new document per request: nothing one request sets on it reaches another.
        user = User._from_son(son)
        user._member_city = member_city
        return user
    found = load()
    if found is None:
        return None
    user, expires = found
    with principals.lock:
        if len(principals.entries) >= MAX_ENTRIES:
            principals.entries.clear()
        principals.entries[(kind, key_hash)] = (
            generation,
            user.to_mongo().to_dict(),
            user.represents_a_member_city,
            expires,
        )
    return user


def init_app(app) -> None:
    """Give the app its remembered callers (after the page cache, whose generation they follow)."""
    app.extensions["principals"] = Principals()
