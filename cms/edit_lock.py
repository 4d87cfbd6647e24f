"""Soft edit locks: "being edited by … since …", released on save or after a timeout; admins may steal one."""

from datetime import timedelta

from flask import current_app

from content_types import Content
from content_types.base import utcnow


def _timeout() -> timedelta:
    return timedelta(minutes=current_app.config.get("CMS_EDIT_LOCK_MINUTES", 30))


def holder(item: Content):
    """Return (user, since) of a live lock on `item` held by someone, or None."""
    if item.lock_user is None or item.lock_since is None or item.lock_since < utcnow() - _timeout():
        return None
    return item.lock_user, item.lock_since


def take(user, item: Content, steal: bool = False) -> bool:
    """Lock `item` for `user`; return False if someone else holds a live lock (unless `steal`)."""
    now = utcnow()
    free = {"$or": [{"lock_user": None}, {"lock_user": user.pk}, {"lock_since": {"$lt": now - _timeout()}}]}
    query = {"_id": item.pk} if steal else {"$and": [{"_id": item.pk}, free]}
    result = type(item)._get_collection().update_one(query, {"$set": {"lock_user": user.pk, "lock_since": now}})
    return result.matched_count == 1


def release(user, item: Content) -> None:
    """Release `user`'s lock on `item` (a save does this too)."""
    type(item)._get_collection().update_one(
        {"_id": item.pk, "lock_user": user.pk}, {"$unset": {"lock_user": "", "lock_since": ""}}
    )
