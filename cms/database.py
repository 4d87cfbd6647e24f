"""Connects mongoengine to MongoDB: the configured server, or the embedded one."""

import logging
import threading

import mongoengine as me
from flask import g, has_request_context
from pymongo import uri_parser
from pymongo.errors import ConnectionFailure, OperationFailure

from cms.embedded import EmbeddedDatabase
from content_types import (
    ApiToken,
    Attachment,
    AuditEntry,
    LoginFailures,
    LoginSession,
    MemberCity,
    PublishedVersion,
    Revision,
    User,
)
from content_types.documents import Counter
from workflows.types import TYPES

log = logging.getLogger(__name__)
DATABASE_NAME = "alliance"
# Fail fast when the database is gone, so a request answers 503 instead of hanging.
CLIENT_OPTIONS = {
    "serverSelectionTimeoutMS": 3000,
    "connectTimeoutMS": 3000,
    "tz_aware": False,
    "uuidRepresentation": "standard",
}

_embedded: dict[str, EmbeddedDatabase] = {}
# One thread at a time re-connects after the embedded database's owner went away.
_following = threading.Lock()


def client_options(uri: str) -> dict:
    """Return our client defaults, except those the URI sets itself (its own timeouts win)."""
    given = {key.lower() for key in uri_parser.parse_uri(uri, validate=False, warn=True)["options"]}
    return {key: value for key, value in CLIENT_OPTIONS.items() if key.lower() not in given}


def embedded_database(data_dir: str) -> EmbeddedDatabase:
    """Return this process's handle on the embedded database of `data_dir`, opened."""
    database = _embedded.get(data_dir)
    if database is None:
        database = EmbeddedDatabase(data_dir)
        database.open()
        _embedded[data_dir] = database
        # Close before concurrent.futures shuts its executors down at interpreter
        # exit (mongoeco's engine needs one to close): that happens in
        # threading's exit hooks, which run before atexit ones.
        threading._register_atexit(database.close)
    return database


def follow_embedded(app) -> bool:
    """After the database did not answer: if it was another process's embedded one, follow it; return whether moved.

    The owner died. Either this process can take the lock now and becomes
    the owner itself, or another process did and published its new port:
    mongoengine is reconnected to it, and the next request is answered again.
    """
    data_dir = app.config["CMS_DATA_DIR"]
    if app.config.get("CMS_MONGODB_URI") or app.config.get("CMS_DATABASE_KIND") != "embedded":
        return False  # a real MongoDB: pymongo reconnects by itself
    with _following:
        joined = _embedded.get(data_dir)
        if joined is None or joined.owner:
            return False
        candidate = EmbeddedDatabase(data_dir)
        try:
            candidate.open(wait=2)
        except Exception:  # no owner yet, or it does not answer: the next request tries again
            return False
        if candidate.port == joined.port:
            candidate.close()
            return False
        _embedded[data_dir] = candidate
        threading._register_atexit(candidate.close)
        joined.close()
        me.disconnect()
        me.connect(host=candidate.uri(DATABASE_NAME), **CLIENT_OPTIONS)
        return True


def close_embedded(data_dir: str) -> None:
    """Close this process's embedded database of `data_dir` (tests, shutdown)."""
    database = _embedded.pop(data_dir, None)
    if database is not None:
        database.close()


def init_app(app) -> None:
    """Connect to `CMS_MONGODB_URI`, or start/join the embedded database."""
    uri = app.config.get("CMS_MONGODB_URI")
    if uri:
        app.config["CMS_DATABASE_KIND"] = "mongodb"
    else:
        uri = embedded_database(app.config["CMS_DATA_DIR"]).uri(DATABASE_NAME)
        app.config["CMS_DATABASE_KIND"] = "embedded"
    me.disconnect()
    me.connect(host=uri, **client_options(uri))
    # The unique indexes keep rules (one meeting per half-year, one translation per language): they
    # exist before the first request. A database that does not answer yet is answered with 503s.
    try:
        ensure_indexes()
    except (ConnectionFailure, OperationFailure) as error:
        log.warning("indexes not checked, the database does not answer: %s", type(error).__name__)


def mark_unavailable() -> None:
    """Remember for this request that the database did not answer (its error page must not ask it again)."""
    g.database_unavailable = True


def known_unavailable() -> bool:
    """Whether this request already found the database unreachable."""
    return has_request_context() and g.get("database_unavailable", False)


def ensure_indexes() -> None:
    """Create every collection's indexes (idempotent)."""
    for document in (
        User,
        MemberCity,
        Counter,
        LoginSession,
        ApiToken,
        LoginFailures,
        AuditEntry,
        Revision,
        Attachment,
        PublishedVersion,
        *(registered.cls for registered in TYPES.values()),
    ):
        document.ensure_indexes()
