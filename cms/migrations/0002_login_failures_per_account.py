"""Count failed logins per account and client address, no longer per e-mail address.

The old `login_failures` documents were keyed by e-mail (`email_1` index) and
have no `key`: they mean nothing to the current throttle, and the old index would
keep growing beside the new one. Both go; the throttle starts afresh.
"""

from pymongo.database import Database


def apply(db: Database) -> None:
    """Drop the old `email_1` index and the documents in the old shape."""
    failures = db["login_failures"]
    if "email_1" in failures.index_information():
        failures.drop_index("email_1")
    failures.delete_many({"key": {"$exists": False}})
