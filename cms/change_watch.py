"""Every write that can change a cached answer drops the caches: seen at the driver, not per call site.

The page and API caches (cms.page_cache) and the remembered callers
(cms.principals) are only as good as their invalidation. Calling it after
each save by hand missed writes made with the driver directly (locks,
sharing, scheduling, consents, working copies), and each new one would
have been one more place to forget. So the driver tells us: a pymongo
command listener sees every write command this process sends and, once one
has changed something, drops this process's caches at once and moves the
database's generation for the other workers.

The database's generation is moved by one thread of its own: a listener
must not send commands itself, and many writes in a row (a publication
writes a dozen documents) need one move after the last of them, not a
dozen.
"""

import logging
import threading

from pymongo import monitoring

log = logging.getLogger(__name__)

WRITE_COMMANDS = frozenset({"insert", "update", "delete", "findAndModify"})
COMMIT = "commitTransaction"  # what a transaction wrote shows from here on
# Writes here change nothing any cache shows: the generation itself, background leases,
# failed-login counters, the audit log (never cached) and the mail outbox with its files.
UNSHOWN = frozenset({"cache_generations", "background_leases", "login_failures", "audit_log", "outbox"})
UNSHOWN_PREFIXES = ("outbox_files.",)
# A new login session is in no cache yet: only ending one (logout, expiry, a changed password) matters.
NEW_IS_UNSHOWN = frozenset({"login_sessions"})


def shows(collection: str, command: str) -> bool:
    """Whether a write `command` to `collection` may change what a cache holds."""
    if collection in UNSHOWN or collection.startswith(UNSHOWN_PREFIXES):
        return False
    return not (command == "insert" and collection in NEW_IS_UNSHOWN)


def changed_anything(command: str, reply) -> bool:
    """Whether a write's reply says it changed (or may have changed) a document (a commit: always)."""
    if command == COMMIT:
        return True
    if command == "findAndModify":
        return bool((reply.get("lastErrorObject") or {}).get("n", 1))
    if command == "update":
        return bool(reply.get("nModified", 1) or reply.get("upserted"))
    return bool(reply.get("n", 1))


class ChangeWatch(monitoring.CommandListener):
    """Drops the caches after each write command that changed something they may hold."""

    def __init__(self):
        self._lock = threading.Lock()
        self._open: dict = {}  # (connection, request id) -> command name, for the writes under way
        self._handlers: list = []  # called at once, in the writing thread (local caches: memory only)
        self._due = threading.Condition()
        self._requested = 0  # changes seen
        self._covered = 0  # changes the last finished move of the generation came after
        self._bumper = None
        self._bump = None

    def on_change(self, handler) -> None:
        """Call `handler()` in the writing thread after every change (it must not reach the database)."""
        if handler not in self._handlers:
            self._handlers.append(handler)

    def bump_with(self, bump) -> None:
        """Call `bump()` (which may reach the database) in a thread of its own after changes, once per burst."""
        self._bump = bump
        with self._lock:
            if self._bumper is None:
                self._bumper = threading.Thread(target=self._bump_loop, name="cache-generation", daemon=True)
                self._bumper.start()

    def started(self, event):
        """Note a write to a collection caches may show, or the end of a transaction."""
        name = event.command_name
        if name == COMMIT:
            noted = name
        elif name in WRITE_COMMANDS and shows(str(event.command.get(name, "")), name):
            # A write inside a transaction changes nothing others can read until it commits; moving the
            # generation meanwhile would even make the commit conflict (a write beside the transaction).
            noted = None if event.command.get("autocommit") is False else name
        else:
            noted = None
        if noted is not None:
            with self._lock:
                self._open[(event.connection_id, event.request_id)] = noted

    def succeeded(self, event):
        """Drop the caches if the noted write changed something."""
        with self._lock:
            name = self._open.pop((event.connection_id, event.request_id), None)
        if name is not None and changed_anything(name, event.reply):
            self._changed()

    def failed(self, event):
        """Drop the caches anyway: a failed write may have been applied in part (an unordered insert)."""
        with self._lock:
            name = self._open.pop((event.connection_id, event.request_id), None)
        if name is not None:
            self._changed()

    def _changed(self) -> None:
        for handler in list(self._handlers):
            handler()
        with self._due:
            self._requested += 1
            self._due.notify_all()

    def _bump_loop(self) -> None:
        while True:
            with self._due:
                self._due.wait_for(lambda: self._requested > self._covered)
                target = self._requested  # changes after this point ask for one more move
            try:
                self._bump()
            except Exception:  # the database is gone: the others see the change at its next move
                log.warning("the cache generation could not be moved", exc_info=True)
            with self._due:
                self._covered = target
                self._due.notify_all()

    def settle(self, timeout: float = 5.0) -> bool:
        """Wait until the generation has moved after every change seen so far; return whether it has."""
        if self._bumper is None:
            return True
        with self._due:
            return self._due.wait_for(lambda: self._covered >= self._requested, timeout)


WATCH = ChangeWatch()
# Registered when this module is first imported, before the app creates any client: every client sees it.
monitoring.register(WATCH)
