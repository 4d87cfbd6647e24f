"""Give every shared item its `local_role_keys` ("user id:role"), the form in which lists filter local roles.

Lists and counts used to match local roles with `$elemMatch` on `local_roles`,
which the embedded database can only answer by testing every item in Python;
they now match `local_role_keys` (content_types.base.local_role_keys), which
every save and every share write. Items shared before have local roles but no
keys: until this runs, their sharing shows on their own page, not in lists.
"""

from pymongo.database import Database

from content_types.base import local_role_keys


def apply(db: Database) -> None:
    """Set `local_role_keys` from `local_roles` wherever they differ."""
    content = db["content"]
    for stored in content.find({"local_roles.0": {"$exists": True}}, {"local_roles": 1, "local_role_keys": 1}):
        keys = local_role_keys(stored.get("local_roles") or ())
        if stored.get("local_role_keys") != keys:
            content.update_one({"_id": stored["_id"]}, {"$set": {"local_role_keys": keys}})
