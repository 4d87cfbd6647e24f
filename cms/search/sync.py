"""Keeping the index in step with the content: every write to an item or its files is seen at the driver.

Items change in many places (saves, the engine's transitions and the
publication that follows them, translations, working copies' check-in,
sharing, attachments, locks, the site-archive import, migrations), many of
them through the driver directly. Rather than call the index from each (and
miss the next one), a pymongo command listener notes the id of every item
whose document or attachments a write touched; the ids are indexed afresh
from the database when the app context ends (after each request, CLI command
or background run) and before each search. A write whose item can't be told
from its filter asks for a full rebuild. Indexing failures are logged and
retried; they never undo or refuse the write itself, and `cms reindex` repairs
whatever was missed.
"""

import logging
import threading
import time
import weakref

from pymongo import monitoring

log = logging.getLogger(__name__)

CONTENT, ATTACHMENTS = "content", "attachments"
WRITES = frozenset({"insert", "update", "delete", "findAndModify"})
# Writes that change nothing the index holds: the soft edit lock.
_UNINDEXED_FIELDS = frozenset({"lock_user", "lock_since"})
RETRY_AFTER_SECONDS = 30.0


class Pending:
    """One app's items (and removed files) waiting to be indexed afresh."""

    def __init__(self):
        self.lock = threading.Lock()
        self.items: set = set()
        self.files: set = set()
        self.everything = False
        self.failed_at = 0.0

    def add(self, items=(), files=(), everything=False) -> None:
        """Note items, attachment ids, or that everything must be indexed afresh."""
        with self.lock:
            self.items.update(items)
            self.files.update(files)
            self.everything = self.everything or everything

    def take(self) -> tuple[set, set, bool]:
        """Return and forget what is pending."""
        with self.lock:
            taken = (self.items, self.files, self.everything)
            self.items, self.files, self.everything = set(), set(), False
            return taken

    def __bool__(self) -> bool:
        return bool(self.items or self.files or self.everything)


def _ids(filter_value) -> list | None:
    # The ids a filter names: {"_id": x} or {"_id": {"$in": [...]}}; None when it names none.
    if isinstance(filter_value, dict) and "$in" in filter_value:
        return list(filter_value["$in"])
    if filter_value is None or isinstance(filter_value, dict):
        return None
    return [filter_value]


def _only_unindexed(update) -> bool:
    if not isinstance(update, dict) or not update or not all(key.startswith("$") for key in update):
        return False
    return all(set(fields) <= _UNINDEXED_FIELDS for fields in update.values() if isinstance(fields, dict))


def changes_of(command_name: str, command) -> tuple[list, list, list, bool] | None:
    """Return (item ids, attachment ids, attachment item ids, unknown) a write command touches, or None if none."""
    collection = command.get(command_name)
    if collection not in (CONTENT, ATTACHMENTS) or command_name not in WRITES:
        return None
    if command_name == "insert":
        documents = command.get("documents") or ()
        key = "_id" if collection == CONTENT else "item"
        found = [document.get(key) for document in documents]
        return (found, [], [], False) if collection == CONTENT else ([], [], found, False)
    if command_name == "findAndModify":
        filters = [(command.get("query") or {}, command.get("update"))]
    elif command_name == "update":
        filters = [(entry.get("q") or {}, entry.get("u")) for entry in command.get("updates") or ()]
    else:
        filters = [(entry.get("q") or {}, None) for entry in command.get("deletes") or ()]
    items, files, file_items, unknown = [], [], [], False
    for query, update in filters:
        if collection == CONTENT:
            if _only_unindexed(update):
                continue
            ids = _ids(query.get("_id"))
            items.extend(ids or ())
            unknown = unknown or ids is None
        else:
            owners = _ids(query.get("item"))
            ids = _ids(query.get("_id"))
            file_items.extend(owners or ())
            files.extend(ids or ())
            unknown = unknown or (owners is None and ids is None)
            if isinstance(update, dict) and isinstance(update.get("$set"), dict) and "item" in update["$set"]:
                file_items.append(update["$set"]["item"])  # moved to another item (a working copy's check-in)
    return items, files, file_items, unknown


class IndexWatch(monitoring.CommandListener):
    """Notes, for every app's index, the items a successful write changed."""

    def __init__(self):
        self._lock = threading.Lock()
        self._open: dict = {}
        self._in_transaction: list = []
        self.pendings: "weakref.WeakSet[Pending]" = weakref.WeakSet()

    def started(self, event):
        """Remember what a write to the content or attachments will change."""
        if event.command_name == "commitTransaction":
            with self._lock:
                self._open[(event.connection_id, event.request_id)] = "commit"
            return
        if event.command_name not in WRITES:
            return
        try:
            changes = changes_of(event.command_name, event.command)
        except Exception:  # never in the way of the write; a rebuild catches it up
            log.exception("a write's items could not be told")
            changes = ([], [], [], True)
        if changes is not None:
            in_transaction = event.command.get("autocommit") is False
            with self._lock:
                self._open[(event.connection_id, event.request_id)] = (changes, in_transaction)

    def succeeded(self, event):
        """Pass what the write changed on to every app's pending set."""
        self._finish(event)

    def failed(self, event):
        """A failed write may have been applied in part: index its items afresh all the same."""
        self._finish(event)

    def _finish(self, event):
        with self._lock:
            noted = self._open.pop((event.connection_id, event.request_id), None)
            if noted is None:
                return
            if noted == "commit":
                batches, self._in_transaction = self._in_transaction, []
            elif noted[1]:
                # Visible to others only once the transaction commits; until then (and again then) pending.
                self._in_transaction.append(noted[0])
                batches = [noted[0]]
            else:
                batches = [noted[0]]
        for items, files, file_items, unknown in batches:
            for pending in list(self.pendings):
                pending.add([*items, *file_items], files, unknown)


WATCH = IndexWatch()
# Registered at import, before the app creates its client: every client sees it.
monitoring.register(WATCH)


def new_pending() -> Pending:
    """Return a pending set that the watch fills from now on (one per app)."""
    pending = Pending()
    WATCH.pendings.add(pending)
    return pending


def may_retry(pending: Pending) -> bool:
    """Whether enough time has passed since the last failed indexing to try again."""
    return time.monotonic() - pending.failed_at >= RETRY_AFTER_SECONDS
