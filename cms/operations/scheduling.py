"""Scheduled publication and expiry: set when an item is published or retired, and fire what is due."""

import logging
from datetime import datetime

from flask_babel import gettext as _

from cms.operations import refuse_unless
from cms.security import can
from content_types import Content, User
from content_types.base import reference_id, utcnow
from content_types.refusals import Conflict, NotPossible, Refused
from workflows import engine, scheduled_transition, states_left_by
from workflows.permissions import fire_permission
from workflows.types import TYPES

log = logging.getLogger(__name__)
PUBLICATION = "publication"
EXPIRY = "expiry"


def _scheduled(item: Content) -> dict | None:
    # What scheduling means in the item's state: its publication, or (once
    # released) its expiry; the definition flags which transition each fires.
    return scheduled_transition(item.type_name, item.state, PUBLICATION) or scheduled_transition(
        item.type_name, item.state, EXPIRY
    )


def may_schedule(user, item: Content) -> bool:
    """Whether `user` may set the item's publication or expiry time now (they may fire that step)."""
    transition = _scheduled(item)
    return transition is not None and can(user, fire_permission(transition["trigger"]), item)


def schedule(user, item: Content, publish_at: datetime | None, expire_at: datetime | None) -> Content:
    """Set when the item is published and when it expires; fired later by the scheduler as `user`."""
    if _scheduled(item) is None:
        raise NotPossible(_("Only an item ready for publication, or published, can be scheduled."))
    refuse_unless(may_schedule(user, item), user, item, "schedule")
    if publish_at and expire_at and expire_at <= publish_at:
        raise NotPossible(_("The expiry must come after the publication."))
    result = (
        type(item)
        ._get_collection()
        .update_one(
            {"_id": item.pk, "state": item.state, "revision": item.revision},
            {"$set": {"publish_at": publish_at, "expire_at": expire_at, "scheduled_by": user.pk}},
        )
    )
    if result.matched_count != 1:
        raise Conflict(_("The item changed meanwhile; reload it and schedule again."))
    return type(item).objects.get(pk=item.pk)


def _due(kind: str, time_field: str, now: datetime):
    # One query per kind: each type in the states its scheduled transition of that kind leaves from.
    clauses = [
        {"_cls": registered.cls._class_name, "state": {"$in": states}}
        for registered in TYPES.values()
        if (states := states_left_by(registered.name, lambda t: t.get("schedule") == kind))
    ]
    if not clauses:
        return []
    # "$ne": None because scheduling writes a time left out as null, and mongoeco (the embedded database)
    # takes null as earlier than any date, where MongoDB leaves it out: an item scheduled for publication
    # alone was archived by the next run.
    return Content.objects(__raw__={"$or": clauses, time_field: {"$lte": now, "$ne": None}})


def run_due(now: datetime | None = None) -> list[tuple[str, str]]:
    """Fire every due scheduled publication and expiry; return (item id, transition) of those fired."""
    now = now or utcnow()
    fired = []
    for kind, time_field in ((PUBLICATION, "publish_at"), (EXPIRY, "expire_at")):
        for item in _due(kind, time_field, now):
            transition = scheduled_transition(item.type_name, item.state, kind)
            scheduler = reference_id(item._data.get("scheduled_by"))
            actor = User.objects(pk=scheduler).first() if scheduler else None
            try:
                engine.fire(actor, item, transition["trigger"], {"comment": _("Scheduled")})
            except Refused as refusal:
                # Another worker fired it first, or the scheduling user lost the right: logged, not retried blindly.
                log.warning("scheduled %s of %s not fired: %s", kind, item.pk, refusal.message)
                continue
            fired.append((str(item.pk), transition["trigger"]))
    return fired
