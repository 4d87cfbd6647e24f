"""Leases in the database: which one process of the installation runs a piece of background work right now.

A lease is one document {_id: name, holder, expires}. A process takes it when
nobody holds it or the holder let it run out, and renews it while it works;
both are one compare-and-set, so of two processes asking at once exactly one
gets it. A holder that dies is replaced once its lease has run out. Times are
this machine's clock: processes on several machines need synchronised clocks
(NTP), and a lease much longer than their difference.
"""

import os
import secrets
import socket
import time
from datetime import timedelta

import mongoengine as me
from pymongo.errors import DuplicateKeyError

from content_types.base import utcnow

COLLECTION = "background_leases"


def process_holder() -> str:
    """Return a name for this process that no other process, here or on another machine, shares."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _collection():
    return me.connection.get_db()[COLLECTION]


def take(name: str, holder: str, seconds: float, now=None) -> bool:
    """Take or renew the lease `name` for `seconds` if it is free, run out or `holder`'s; return whether it is held."""
    now = now or utcnow()
    until = now + timedelta(seconds=seconds)
    result = _collection().update_one(
        {"_id": name, "$or": [{"holder": holder}, {"expires": {"$lte": now}}]},
        {"$set": {"holder": holder, "expires": until}},
    )
    if result.matched_count == 1:
        return True
    try:
        # Nobody ever held it: the unique _id lets one of two first takers in.
        _collection().insert_one({"_id": name, "holder": holder, "expires": until})
    except DuplicateKeyError:
        return False  # someone else holds it
    return True


def release(name: str, holder: str) -> None:
    """Give the lease up at once if `holder` has it (the next process need not wait for it to run out)."""
    _collection().update_one({"_id": name, "holder": holder}, {"$set": {"expires": utcnow()}})


def holder_of(name: str, now=None) -> str | None:
    """Return who holds the lease `name` now, or None."""
    document = _collection().find_one({"_id": name, "expires": {"$gt": now or utcnow()}})
    return document["holder"] if document else None


class Lease:
    """One process's hold on one lease: taken before a run, kept between its steps."""

    def __init__(self, name: str, seconds: float, holder: str):
        self.name = name
        self.seconds = seconds
        self.holder = holder
        self._renewed_at = None  # time.monotonic() of the last successful take

    def take(self) -> bool:
        """Take or renew the lease now; return whether this process holds it."""
        if take(self.name, self.holder, self.seconds):
            self._renewed_at = time.monotonic()
            return True
        self._renewed_at = None
        return False

    def keep(self) -> bool:
        """Return whether the lease is still ours, renewing it once a third of it has passed (between steps)."""
        if self._renewed_at is None:
            return False
        if time.monotonic() - self._renewed_at < self.seconds / 3:
            return True
        return self.take()

    def release(self) -> None:
        """Give the lease up if held."""
        if self._renewed_at is not None:
            self._renewed_at = None
            release(self.name, self.holder)
