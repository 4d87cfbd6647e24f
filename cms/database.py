"""Connects mongoengine to MongoDB: the configured server, or the embedded one."""

import logging
import threading
from contextlib import contextmanager

import mongoengine as me
from flask import current_app, g, has_app_context, has_request_context
from pymongo import uri_parser
from pymongo.errors import ConnectionFailure, OperationFailure

from cms import change_watch  # its listener must exist before the first client
from cms.embedded import EmbeddedDatabase
from content_types import (
    ApiToken,
    ApplicationSubmission,
    Attachment,
    AuditEntry,
    ConsentDecision,
    Delegation,
    LoginFailures,
    LoginSession,
    MemberCity,
    OutboxMessage,
    PublishedVersion,
    Reminder,
    Revision,
    Subscriber,
    User,
)
from content_types.documents import Counter
from workflows import engine
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

# On a real MongoDB (a replica set in production), unless the URI says otherwise: a write is
# acknowledged once a majority of the set has it (it survives a fail-over), a write interrupted
# by a fail-over is retried once, and reads see only majority-committed data (nothing that a
# fail-over could roll back, and every write acknowledged before).
PRODUCTION_OPTIONS = {"w": "majority", "retryWrites": True, "readConcernLevel": "majority"}

_embedded: dict[str, EmbeddedDatabase] = {}
# One thread at a time re-connects after the embedded database's owner went away.
_following = threading.Lock()


def client_options(uri: str, production: bool = False) -> dict:
    """Return our client defaults (with `production`, those for a real MongoDB too), except those the URI sets."""
    given = {key.lower() for key in uri_parser.parse_uri(uri, validate=False, warn=True)["options"]}
    defaults = {**CLIENT_OPTIONS, **(PRODUCTION_OPTIONS if production else {})}
    return {key: value for key, value in defaults.items() if key.lower() not in given}


def uri_for_database(server_uri: str, name: str) -> str:
    """Return `server_uri` naming the database `name` (its hosts, credentials and ?options kept)."""
    scheme, _, rest = server_uri.partition("://")
    hosts, slash, path = rest.partition("/")
    _database, question, options = path.partition("?")
    if not slash:  # no path: the options, if any, follow the hosts directly ("host/?a=b" is the documented form)
        hosts, question, options = hosts.partition("?")
    return f"{scheme}://{hosts}/{name}" + (f"?{options}" if question else "")


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
        threading._register_atexit(lambda: _close(database))
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
        threading._register_atexit(lambda: _close(candidate))
        joined.close()
        me.disconnect()
        me.connect(host=candidate.uri(DATABASE_NAME), **CLIENT_OPTIONS)
        return True


def close_embedded(data_dir: str) -> None:
    """Close this process's embedded database of `data_dir` (tests, shutdown)."""
    database = _embedded.pop(data_dir, None)
    if database is not None:
        _close(database)


def _close(database: EmbeddedDatabase) -> None:
    # A move of the caches' generation still on its way must arrive before its server stops.
    change_watch.WATCH.settle()
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
    me.connect(host=uri, **client_options(uri, production=app.config["CMS_DATABASE_KIND"] == "mongodb"))
    engine.install_transaction(transaction)
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


def server_offers_transactions(hello: dict) -> bool:
    """Whether a server's `hello` answer offers transactions: a replica set member or mongos, with sessions."""
    if not isinstance(hello.get("logicalSessionTimeoutMinutes"), int):
        return False
    return bool(hello.get("setName")) or hello.get("msg") == "isdbgrid"


# The answer for the client it was asked of: asked again after a reconnect.
_transactions = {"client": None, "offered": False}


def transactions_available() -> bool:
    """Whether the connected database runs transactions (never the embedded engine; a standalone server neither)."""
    if has_app_context() and current_app.config.get("CMS_DATABASE_KIND") == "embedded":
        return False
    client = me.connection.get_connection()
    if _transactions["client"] is not client:
        offered = server_offers_transactions(client.admin.command("hello"))
        _transactions.update(client=client, offered=offered)
    return _transactions["offered"]


@contextmanager
def transaction():
    """Run the block in a transaction where the server offers them and yield its session; else yield None.

    Pass the session to every write of the block (`session=`): they commit
    together when the block ends, or none does if it raises. With None, each
    write stands alone, and the caller puts back what it must itself.
    """
    if not transactions_available():
        yield None
        return
    with me.connection.get_connection().start_session() as session, session.start_transaction():
        yield session


# Every stored document class: their indexes exist before the first request, never built lazily
# by a request (building a unique index on a large collection is slow on the embedded engine).
INDEXED_DOCUMENTS = (
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
    OutboxMessage,
    Subscriber,
    ApplicationSubmission,
    ConsentDecision,
    Reminder,
    Delegation,
)


def ensure_indexes() -> None:
    """Create every collection's indexes (idempotent)."""
    for document in (*INDEXED_DOCUMENTS, *(registered.cls for registered in TYPES.values())):
        document.ensure_indexes()
