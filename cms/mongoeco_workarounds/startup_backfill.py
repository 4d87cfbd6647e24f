"""Opening the database rebuilds the scalar index entries once per mongoeco version, not at every start.

At every open mongoeco deletes and rebuilds the entries of every scalar
index (`_backfill_scalar_indexes_sync`), decoding every document of every
collection that has one: the start of `cms serve` or of each gunicorn
worker's database grew with the archive (over 30 seconds at 1,000 items on
a loaded machine) and would take minutes at 20,000.

Why doing it once is equivalent: the rebuild only repairs entries that
nothing else keeps. mongoeco keeps them itself otherwise — creating an index
fills its entries, and every insert, update and delete rewrites the entries
of its document in the same SQLite transaction as the document — so after
one rebuild by this mongoeco version they stay complete. We record that
rebuild (with mongoeco's version) in mongoeco's own table of schema
components, in the transaction that opens the database; a database last
rebuilt by another version (an upgrade, or one made before this workaround)
is rebuilt again at its next open.
"""

from mongoeco._version import __version__ as MONGOECO_VERSION

COMPONENT = "alliance_scalar_entries_rebuilt_by"


def _version_number() -> int:
    # The table holds an integer version: 4.11.0 → 41100.
    major, minor, patch = (int(part) for part in MONGOECO_VERSION.split(".")[:3])
    return major * 10_000 + minor * 100 + patch


def rebuild_once_per_version(backfill):
    """Return mongoeco's backfill of scalar index entries, run only when this mongoeco version has not run it here."""

    def backfill_unless_rebuilt(self, conn):
        row = conn.execute(
            "SELECT version FROM mongoeco_schema_migrations WHERE component = ?", (COMPONENT,)
        ).fetchone()
        if row is not None and int(row[0]) == _version_number():
            return
        backfill(self, conn)
        conn.execute(
            "INSERT OR REPLACE INTO mongoeco_schema_migrations (component, version) VALUES (?, ?)",
            (COMPONENT, _version_number()),
        )

    return backfill_unless_rebuilt
