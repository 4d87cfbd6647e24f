"""Scheduled publication and expiry: fires `publish` / `archive` through the engine when they are due."""

import logging
import threading
from datetime import datetime

from flask_babel import gettext as _

from content_types import Content, User
from content_types.base import reference_id, utcnow
from workflows import engine
from workflows.errors import WorkflowError
from workflows.permissions import fire_permission
from workflows.policy import can

log = logging.getLogger(__name__)


class ScheduleRefused(ValueError):
    """The schedule can't be set; the message says why."""


def schedule(user, item: Content, publish_at: datetime | None, expire_at: datetime | None) -> Content:
    """Set when an approved item is published and when it expires; `user` must be allowed to publish it."""
    if item.state not in ("approved", "in_review", "published"):
        raise ScheduleRefused(_("Only an item ready for publication, or published, can be scheduled."))
    trigger = "archive" if item.state == "published" else "publish"
    if not can(user, fire_permission(trigger), item):
        raise PermissionError(trigger)
    if publish_at and expire_at and expire_at <= publish_at:
        raise ScheduleRefused(_("The expiry must come after the publication."))
    result = (
        type(item)
        ._get_collection()
        .update_one(
            {"_id": item.pk, "state": item.state, "revision": item.revision},
            {"$set": {"publish_at": publish_at, "expire_at": expire_at, "scheduled_by": user.pk}},
        )
    )
    if result.matched_count != 1:
        raise ScheduleRefused(_("The item changed meanwhile; reload it and schedule again."))
    return type(item).objects.get(pk=item.pk)


def run_due(now: datetime | None = None) -> list[tuple[str, str]]:
    """Fire every due scheduled publication and expiry; return (item id, transition) of those fired."""
    now = now or utcnow()
    fired = []
    due = [
        ("publish", {"state__in": ["approved", "in_review"], "publish_at__lte": now}),
        ("archive", {"state": "published", "expire_at__lte": now}),
    ]
    for trigger, query in due:
        for item in Content.objects(**query):
            actor = (
                User.objects(pk=reference_id(item._data["scheduled_by"])).first()
                if item._data.get("scheduled_by")
                else None
            )
            try:
                engine.fire(actor, item, trigger, comment=_("Scheduled"))
            except WorkflowError as refusal:
                # Another worker fired it first, or the scheduler's user lost the right: logged, not retried blindly.
                log.warning("scheduled %s of %s not fired: %s", trigger, item.pk, refusal.message)
                continue
            fired.append((str(item.pk), trigger))
    return fired


def start_background(app, interval: float) -> threading.Thread:
    """Run run_due() every `interval` seconds in a daemon thread (what `cms serve` does)."""

    def loop():
        while True:
            try:
                with app.app_context():
                    run_due()
            except Exception:  # keep the scheduler alive across a database outage
                log.exception("scheduler run failed")
            threading.Event().wait(interval)

    thread = threading.Thread(target=loop, name="cms-scheduler", daemon=True)
    thread.start()
    return thread
