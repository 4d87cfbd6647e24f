"""Numbered schema migrations: each module `NNNN_name.py` brings data stored by an older CMS to the next shape.

A migration is a module in this package named `NNNN_what_it_does.py` with a
docstring (what and why) and an idempotent `apply(db)` taking the pymongo
database. `migrate()` applies the pending ones in number order, each once per
database: the `schema_migrations` collection holds one document per number
(`_id` is the number, so of two processes claiming it only one can insert it);
its `applied_at` is set once `apply` has returned. A migration that fails is
not recorded (its claim is removed) and the ones after it are not run.
"""

import importlib
import os
import pkgutil
import re
import socket
import time
from dataclasses import dataclass
from types import ModuleType

import mongoengine as me
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from content_types.base import utcnow

COLLECTION = "schema_migrations"
_MODULE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)$")


@dataclass(frozen=True)
class Migration:
    """One numbered migration: its number, its module's name and the module."""

    number: int
    name: str
    module: ModuleType

    @property
    def summary(self) -> str:
        """The first line of the migration's docstring."""
        return self.module.__doc__.strip().splitlines()[0]

    def apply(self, db: Database) -> None:
        """Run the migration on `db` (idempotent)."""
        self.module.apply(db)


class MigrationFailed(RuntimeError):
    """A migration raised; it was not recorded and the later ones did not run."""

    def __init__(self, migration: Migration, error: BaseException):
        super().__init__(f"migration {migration.name} failed: {type(error).__name__}: {error}")
        self.migration = migration
        self.error = error


class MigrationBusy(RuntimeError):
    """Another process holds the claim on a migration and did not finish it in time."""


def load(package: str = __name__) -> list[Migration]:
    """Return the migrations of `package`, ordered by number; refuse duplicate numbers or badly named modules."""
    path = importlib.import_module(package).__path__
    found: dict[int, Migration] = {}
    for info in pkgutil.iter_modules(path):
        match = _MODULE_NAME.match(info.name)
        if match is None:
            if info.name[:1].isdigit():
                raise ValueError(f"migration module {info.name!r} is not named NNNN_what_it_does")
            continue
        number = int(match.group(1))
        if number in found:
            raise ValueError(f"two migrations numbered {number}: {found[number].name}, {info.name}")
        module = importlib.import_module(f"{package}.{info.name}")
        if not callable(getattr(module, "apply", None)) or not (module.__doc__ or "").strip():
            raise ValueError(f"migration {info.name} needs a docstring and an apply(db) function")
        found[number] = Migration(number, info.name, module)
    return [found[number] for number in sorted(found)]


def _database() -> Database:
    return me.connection.get_db()


def applied(db: Database | None = None) -> dict[int, dict]:
    """Return the recorded migrations of `db` (number → record), those finished only."""
    db = _database() if db is None else db
    return {record["_id"]: record for record in db[COLLECTION].find({"applied_at": {"$ne": None}})}


def current_number(db: Database | None = None) -> int:
    """Return the database's schema number: the highest applied migration's number (0: none)."""
    numbers = applied(db)
    return max(numbers) if numbers else 0


def status(
    db: Database | None = None, migrations: list[Migration] | None = None
) -> list[tuple[Migration, dict | None]]:
    """Return every known migration with its record (None: pending), in order."""
    done = applied(db)
    return [(migration, done.get(migration.number)) for migration in (load() if migrations is None else migrations)]


def pending(db: Database | None = None, migrations: list[Migration] | None = None) -> list[Migration]:
    """Return the migrations not yet applied to the database, in order."""
    return [migration for migration, record in status(db, migrations) if record is None]


def migrate(
    db: Database | None = None,
    migrations: list[Migration] | None = None,
    announce=lambda migration: None,
    wait_seconds: float = 600,
) -> list[Migration]:
    """Apply the pending migrations in order, each once; return those this call applied.

    Raises MigrationFailed (the failing one is not recorded; later ones are not
    run) or MigrationBusy (another process still holds a claim after `wait_seconds`).
    """
    db = _database() if db is None else db
    migrations = load() if migrations is None else migrations
    done = []
    for migration in migrations:
        if not _claim(db, migration, wait_seconds):
            continue  # applied already, by an earlier run or by another process meanwhile
        announce(migration)
        try:
            migration.apply(db)
        except Exception as error:
            db[COLLECTION].delete_one({"_id": migration.number, "applied_at": None})
            raise MigrationFailed(migration, error) from error
        db[COLLECTION].update_one({"_id": migration.number}, {"$set": {"applied_at": utcnow()}})
        done.append(migration)
    return done


def _claim(db: Database, migration: Migration, wait_seconds: float) -> bool:
    # The record's _id is the number: inserting it is the claim, and only one
    # process's insert can succeed. A process that finds a claim still running
    # waits for its end (the later migrations may depend on it), then looks again.
    deadline = time.monotonic() + wait_seconds
    while True:
        record = db[COLLECTION].find_one({"_id": migration.number})
        if record is not None and record.get("applied_at") is not None:
            return False
        if record is None:
            try:
                db[COLLECTION].insert_one(
                    {
                        "_id": migration.number,
                        "number": migration.number,
                        "name": migration.name,
                        "applied_at": None,
                        "claimed_at": utcnow(),
                        "claimed_by": f"{socket.gethostname()}:{os.getpid()}",
                    }
                )
                return True
            except DuplicateKeyError:
                continue  # another process claimed it just now: see what became of it
        if time.monotonic() >= deadline:
            raise MigrationBusy(
                f"migration {migration.name} was claimed by {record.get('claimed_by')} at {record.get('claimed_at')} "
                "and is not finished; if that process is gone, run `cms migrate --release "
                f"{migration.number}` and migrate again"
            )
        time.sleep(0.5)


def release(number: int, db: Database | None = None) -> bool:
    """Remove an unfinished claim on migration `number` (its process died); return whether there was one."""
    db = _database() if db is None else db
    return db[COLLECTION].delete_one({"_id": number, "applied_at": None}).deleted_count == 1
