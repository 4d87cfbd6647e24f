"""Soft edit locks: "being edited by … since …", released on save or after a timeout; admins may take one over."""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from cms import audit
from cms.operations import refuse_unless
from cms.security import can
from content_types import Content
from content_types.base import reference_id, utcnow
from content_types.refusals import Conflict
from workflows.permissions import MODIFY, STEAL_LOCK


def _timeout() -> timedelta:
    return timedelta(minutes=current_app.config["CMS_EDIT_LOCK_MINUTES"])


def _live_holder(item: Content):
    # The id of whoever holds a lock that has not timed out (no query for their account).
    holder = reference_id(item._data.get("lock_user"))
    if holder is None or item.lock_since is None or item.lock_since < utcnow() - _timeout():
        return None
    return holder


def lock_holder(item: Content):
    """Return (user, since) of a live lock on `item` held by someone, or None."""
    if _live_holder(item) is None:
        return None
    return item.lock_user, item.lock_since


def held_by_other(user, item: Content) -> bool:
    """Whether someone other than `user` holds a live lock on the item."""
    holder = _live_holder(item)
    return holder is not None and holder != getattr(user, "pk", None)


def may_take_lock(user, item: Content, steal: bool = False) -> bool:
    """Whether `user` may lock the item for editing (taking it over from someone else too, if `steal`)."""
    return can(user, MODIFY, item) and (not steal or can(user, STEAL_LOCK))


def may_lock(user, item: Content) -> bool:
    """Whether the Edit button locks the item for `user` now (they may, and nobody else holds it)."""
    return may_take_lock(user, item) and not held_by_other(user, item)


def may_steal_lock(user, item: Content) -> bool:
    """Whether `user` may take over the lock someone else holds on the item now."""
    return may_take_lock(user, item, steal=True) and held_by_other(user, item)


def take_lock(user, item: Content, steal: bool = False) -> Content:
    """Lock `item` for `user` and return it; Conflict if someone else holds a live lock (unless stealing)."""
    refuse_unless(may_take_lock(user, item, steal), user, item, "lock")
    now = utcnow()
    free = {"$or": [{"lock_user": None}, {"lock_user": user.pk}, {"lock_since": {"$lt": now - _timeout()}}]}
    query = {"_id": item.pk} if steal else {"$and": [{"_id": item.pk}, free]}
    result = type(item)._get_collection().update_one(query, {"$set": {"lock_user": user.pk, "lock_since": now}})
    if result.matched_count != 1:
        holder, since = lock_holder(type(item).objects.get(pk=item.pk)) or (None, None)
        if holder is None:  # released meanwhile
            raise Conflict(_("Someone else is editing this item."), code="locked")
        raise Conflict(
            _("Being edited by %(user)s since %(since)s UTC.", user=holder.email, since=since.strftime("%H:%M")),
            {"lock": {"user": holder.email, "since": since.replace(microsecond=0).isoformat() + "Z"}},
            code="locked",
        )
    if steal:
        audit.record("update", user, item, "lock_taken_over")
    return type(item).objects.get(pk=item.pk)


def release_lock(user, item: Content) -> None:
    """Release `user`'s lock on `item` (a save does this too)."""
    type(item)._get_collection().update_one(
        {"_id": item.pk, "lock_user": user.pk}, {"$unset": {"lock_user": "", "lock_since": ""}}
    )
