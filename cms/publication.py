"""What follows every committed transition, in this order: publication (versions, working copies), then caches.

The engine runs `follow_up` after it has written a transition (it is
installed, not subscribed: blinker calls receivers in no defined order).
Arriving in a versioned state means publication: a working copy is checked
into its original, or the item's version is frozen; a type sent as a
circular (the work plan) then goes to all member cities with its PDF. The engine marked the
item `publication_pending` in the same write as its state; the mark is cleared
here once the version exists. If anything fails (a PDF that can't be
rendered, the process killed), the transition stays committed, its caller
still gets its answer, and `repair()` — run by `cms init`, `cms repair` and
the scheduler — finishes the work.
"""

import logging

from blinker import Namespace

from cms import versions
from cms.operations import circulars, working_copies
from content_types import Content
from workflows import engine
from workflows.step import Step
from workflows.types import TYPES

log = logging.getLogger(__name__)

# Sent when an item's version was frozen (sender: the item; version, actor), before its pending mark is
# cleared: a receiver that raises (the outbox can't be written) leaves the mark, and the repair sends it
# again — so receivers must be idempotent (the outbox is: one message per event and recipient).
published = Namespace().signal("version-frozen")


def follow_up(step: Step) -> None:
    """Publish what a transition into a versioned state released (the engine marked it pending).

    A failure is logged by the engine and leaves the mark for repair().
    """
    if step.transition.get("informs_members"):
        # A member city's withdrawal: every member city is told by a circular (seed V).
        circulars.inform_members(step.item, step.actor)
    if step.item.publication_pending:
        publish(step.item, step.actor)


def publish(item: Content, actor) -> Content | None:
    """Check a working copy into its original, or freeze the item's version; clear its pending mark.

    Safe to repeat: the check-in finishes a partial one, and a version already
    frozen for the revision is kept.
    """
    if item.working_copy_of:
        original = working_copies.check_in(item, actor)
        if original is None:  # the original is gone: nothing to publish into
            _clear_pending(item)
            return None
        item = original
    version = versions.freeze(item, actor)
    if TYPES[item.type_name].sent_as_circular:
        circulars.send_published(item, version, actor)
    published.send(item, version=version, actor=actor)
    _clear_pending(item)
    return item


def _clear_pending(item: Content) -> None:
    Content._get_collection().update_one(
        {"_id": item.pk, "revision": item.revision, "publication_pending": True},
        {"$unset": {"publication_pending": ""}},
    )


def repair() -> list[str]:
    """Finish every publication left pending (a failure or crash after its transition); return their ids."""
    repaired = []
    for item in Content.objects(publication_pending=True):
        try:
            publish(item, None)
        except Exception:
            log.exception("repairing the publication of %s failed; it stays pending", item.pk)
            continue
        repaired.append(str(item.pk))
    return repaired


def init_app(app) -> None:
    """Install the follow-up in the engine."""
    engine.install_follow_up(follow_up)
