"""The only code that writes an item's `state`: guard, needs, conditions, compare-and-set, history, what follows.

After a transition is written, in this order: the definition's follow-ups
(archiving what the item replaces), the follow-up the web layer installs (the
publication step: versions, working copies, caches), then the signals for
listeners whose order can't matter (audit, mail). None of these can turn the
committed transition into an error for its caller: a failure is logged, and
the publication step leaves a marker for its repair.
"""

import logging
from contextlib import contextmanager

from flask_babel import gettext as _
from pymongo.errors import PyMongoError

from content_types import LANGUAGE_NAMES, Content, HistoryEntry
from content_types.base import reference_id, utcnow
from content_types.refusals import Conflict, NotAllowed, NotPossible, Refused
from workflows import conditions, effects, needs
from workflows.definitions import (
    has_flag,
    state_title,
    takers,
    transition_definition,
    transitions_from,
    workflow_for,
)
from workflows.permissions import fire_permission
from workflows.policy import can
from workflows.signals import transition_fired, transition_refused
from workflows.step import Step

log = logging.getLogger(__name__)

# The web layer's follow-up (cms.publication), run after every committed
# transition. Installed, not subscribed: it must run in a known order.
_installed_follow_up = None


@contextmanager
def _no_transaction():
    yield None


# How a group transition gets a transaction: installed by the web layer's
# database module (a real one on a replica set; none on the embedded engine).
_transaction = _no_transaction


def install_transaction(factory) -> None:
    """Use `factory()` (a context manager yielding a session or None) for the writes of a group transition."""
    global _transaction
    _transaction = factory


def install_follow_up(function) -> None:
    """Run `function(step)` after every committed transition (step.item as stored), before the signals."""
    global _installed_follow_up
    _installed_follow_up = function


def initialize(item: Content) -> Content:
    """Put a new, unsaved item into its workflow's initial state; refuse a stored one."""
    if item.pk is not None:
        raise ValueError("only a new item enters its workflow's initial state")
    item.state = workflow_for(item.type_name)["initial"]
    return item


def available_transitions(user, item: Content) -> list[dict]:
    """Return the transitions out of the item's state that `user` may fire and that are offered for it (the UI)."""
    return [
        t
        for t in transitions_from(item.type_name, item.state)
        if can(user, fire_permission(t["trigger"]), item) and _offered(item, t, user)
    ]


def next_steps(user, item: Content) -> list[dict]:
    """Return the steps offered in the item's state, whoever takes them: title, roles' titles, whether `user` may."""
    return [
        {"title": t["title"], "takers": takers(t), "yours": can(user, fire_permission(t["trigger"]), item)}
        for t in transitions_from(item.type_name, item.state)
        if _offered(item, t, user)
    ]


def waiting_steps(user, item: Content) -> list[dict]:
    """Return the steps `user` may take on `item` that put it on their worklist (review, approve, publish)."""
    return [t for t in available_transitions(user, item) if t.get("worklist")]


def _offered(item: Content, transition: dict, user) -> bool:
    # A transition offered only where some conditions hold (certifying is for translations of approved texts).
    step = Step(item=item, transition=transition, actor=user, inputs={})
    try:
        for name in transition.get("offered_if", ()):
            conditions.CONDITIONS[name](step)
    except NotPossible:
        return False
    return True


def accepted_inputs(item: Content, trigger) -> set[str]:
    """Return the input names a request may send to fire `trigger` on `item` (its needs, the comment)."""
    return needs.accepted_fields(transition_definition(item.type_name, item.state, trigger))


def fire(user, item: Content, trigger, inputs: dict | None = None) -> Content:
    """Fire `trigger` on `item` as `user` with the raw `inputs` its needs read; return the item as stored after.

    Raises NotPossible (no such transition from this state, a missing or bad
    input, an unmet condition), NotAllowed (the guard refuses this user) or
    Conflict (the item changed, or another transition won the race). Nothing
    is written unless everything holds.
    """
    transition = _defined(item, trigger)
    _check_guard(user, item, trigger)
    return _write_one(item, transition, user, inputs or {})


def fire_all(user, items: list[Content], trigger, inputs: dict | None = None) -> list[Content]:
    """Fire `trigger` on every one of `items` as `user`, all or none (a translation group released together).

    Every item's guard, inputs and conditions are checked before anything is
    written; then each is written with its own compare-and-set, inside one
    transaction where the database offers them. If one of those loses a race,
    the transaction is aborted — or, without one, the ones already written are
    put back (each with a compare-and-set of its own) — and Conflict is raised.
    What follows a transition runs only once all of them have moved.
    """
    prepared = []
    for item in items:
        try:
            transition = _defined(item, trigger)
            _check_guard(user, item, trigger)
            prepared.append(_prepare(item, transition, user, inputs or {}))
        except Refused as refusal:
            # Say which language of the group refused.
            refusal.message = _(
                "%(language)s version: %(reason)s", language=LANGUAGE_NAMES[item.language], reason=refusal.message
            )
            refusal.details = {**refusal.details, "item": str(item.pk), "language": item.language}
            raise
    written = []
    try:
        with _transaction() as session:
            for step, entry, changes in prepared:
                try:
                    _compare_and_set(step.item, changes, entry, session=session)
                except Conflict:
                    # In a transaction, raising aborts it: nothing was written. Without
                    # one, the items already moved are put back one by one.
                    if session is None:
                        for done_item, done_changes in reversed(written):
                            _undo(done_item, done_changes)
                    raise
                written.append((step.item, changes))
    except PyMongoError as error:
        # A concurrent transaction or write touched one of the items: the transaction was aborted.
        if error.has_error_label("TransientTransactionError"):
            raise Conflict(_("Someone else changed this item or moved it on first; reload it and try again.")) from None
        raise
    return [_after(step, entry) for step, entry, _changes in prepared]


def follow(item: Content, trigger, actor, inputs: dict | None = None) -> Content:
    """Fire `trigger` as a consequence of a step that was allowed (retiring a replaced plan, sending it by circular).

    The guard is not asked again (`actor` did the step that causes this);
    inputs and conditions are, and the compare-and-set, history and what
    follows are as for any transition.
    """
    return _write_one(item, _defined(item, trigger), actor, inputs or {})


def _defined(item: Content, trigger) -> dict:
    transition = transition_definition(item.type_name, item.state, trigger)
    if transition is None:
        raise NotPossible(
            _(
                "“%(trigger)s” is not possible from the state “%(state)s”.",
                trigger=str(trigger)[:60],
                state=state_title(item.type_name, item.state),
            ),
            {"transition": str(trigger)[:60], "state": item.state},
            code="transition_not_possible",
        )
    return transition


def _check_guard(user, item: Content, trigger: str) -> None:
    if not can(user, fire_permission(trigger), item):
        _notify(transition_refused, item, trigger=trigger, actor=user)
        raise NotAllowed(_("You may not do this to this item."), {"transition": trigger})


def _write_one(item: Content, transition: dict, actor, raw: dict) -> Content:
    step, entry, changes = _prepare(item, transition, actor, raw)
    _compare_and_set(item, changes, entry)
    return _after(step, entry)


def _prepare(item: Content, transition: dict, actor, raw: dict) -> tuple[Step, HistoryEntry, dict]:
    # Inputs, conditions and effects only read: nothing is written here.
    try:
        step = Step(item=item, transition=transition, actor=actor, inputs=needs.read_inputs(transition, raw))
        for name in (*transition.get("offered_if", ()), *transition.get("conditions", ())):
            conditions.CONDITIONS[name](step)
    except NotPossible as refusal:
        refusal.code = "transition_not_possible"  # the API contract's code for an unmet need or condition
        raise
    now = utcnow()
    changes = {"state": transition["dest"], "changed": now}
    for name in transition.get("effects", ()):
        changes.update(effects.EFFECTS[name](step))
    if has_flag(item.type_name, transition["dest"], "versioned"):
        # Cleared by the publication step once the version is frozen; left set
        # if that fails or the process dies, so the repair finds the item.
        changes["publication_pending"] = True
    recorded = {}
    for need, _required in needs.needs_of(transition):
        value = step.inputs.get(need.name)
        if need.recorded_in and value is not None:
            recorded[need.recorded_in] = value.pk
    if "meeting" not in recorded and transition.get("records_meeting"):
        # The meeting the step rests on: the approval it records, else the agenda the item was on.
        meeting = changes.get("approved_meeting") or reference_id(item._data.get("agenda_meeting"))
        if meeting:
            recorded["meeting"] = meeting
    entry = HistoryEntry(
        transition=transition["trigger"],
        from_state=item.state,
        to_state=transition["dest"],
        actor=actor,
        actor_name=getattr(actor, "email", None),
        at=now,
        comment=step.inputs.get("comment", ""),
        revision=item.revision,
        **recorded,
    )
    return step, entry, changes


def _after(step: Step, entry: HistoryEntry) -> Content:
    stored = type(step.item).objects.get(pk=step.item.pk)
    done = Step(
        item=stored,
        transition=step.transition,
        actor=step.actor,
        inputs=step.inputs,
        follow=lambda item, trigger, inputs: follow(item, trigger, step.actor, inputs),
    )
    for name in step.transition.get("after", ()):
        _run_follow_up(effects.FOLLOW_UPS[name], done)
    if _installed_follow_up is not None:
        _run_follow_up(_installed_follow_up, done)
    _notify(transition_fired, stored, transition=step.transition, entry=entry, actor=step.actor)
    return stored


def redo_follow_ups(item: Content, transition: dict) -> None:
    """Run `transition`'s follow-ups again on `item`, which took it (the repair; each follow-up is idempotent)."""
    step = Step(
        item=item,
        transition=transition,
        actor=None,
        inputs={},
        follow=lambda followed, trigger, inputs: follow(followed, trigger, None, inputs),
    )
    for name in transition.get("after", ()):
        _run_follow_up(effects.FOLLOW_UPS[name], step)


def _run_follow_up(function, step: Step) -> None:
    # The transition is committed: whatever follows must not undo it or make
    # its caller believe it failed.
    try:
        function(step)
    except Exception:
        log.exception(
            "follow-up %s of %s on %s failed", getattr(function, "__name__", function), step.trigger, step.item.pk
        )


def _notify(signal, sender, **kwargs) -> None:
    """Send `signal` to each receiver; one that raises is logged and never reaches the engine's caller."""
    for receiver in signal.receivers_for(sender):
        try:
            receiver(sender, **kwargs)
        except Exception:
            log.exception("listener %r of %s failed", receiver, signal.name)


def _undo(item: Content, changes: dict) -> None:
    # Put back the fields a group transition wrote and drop its history entry,
    # only if nothing happened to the item since (same state, same history length).
    before = item.to_mongo().to_dict()
    restore = {field: before[field] for field in changes if before.get(field) is not None}
    clear = {field: "" for field in changes if before.get(field) is None}
    update = {"$set": restore, "$pop": {"history": 1}}
    if clear:
        update["$unset"] = clear
    result = (
        type(item)
        ._get_collection()
        .update_one(
            {
                "_id": item.pk,
                "state": changes["state"],
                "revision": item.revision,
                "history": {"$size": len(item.history) + 1},
            },
            update,
        )
    )
    if result.modified_count != 1:
        raise Conflict(
            _(
                "The group was moved only in part: the %(language)s version was changed meanwhile.",
                language=LANGUAGE_NAMES[item.language],
            ),
            {"item": str(item.pk), "language": item.language, "partial": True},
        )


def _compare_and_set(item: Content, changes: dict, entry: HistoryEntry, session=None) -> None:
    # Of several concurrent attempts (threads, WSGI workers) exactly one finds
    # the item still in the state and revision it checked; the others match
    # nothing and get a conflict. State, recorded fields and the history entry
    # are one update: all of it or none.
    collection = type(item)._get_collection()
    setting = {field: value for field, value in changes.items() if value is not None}
    unsetting = {field: "" for field, value in changes.items() if value is None}
    update = {"$set": setting, "$push": {"history": entry.to_mongo().to_dict()}}
    if unsetting:
        update["$unset"] = unsetting
    result = collection.update_one(
        {"_id": item.pk, "state": item.state, "revision": item.revision}, update, session=session
    )
    if result.modified_count != 1:
        raise Conflict(_("Someone else changed this item or moved it on first; reload it and try again."))


def check_in(original: Content, copy: Content, fields: dict, actor) -> Content:
    """Give the released `original` the text of its published working copy, as its next revision.

    One compare-and-set on the original: it must still be in the state and at
    the revision read, with this copy as its working copy. Its history gains
    the copy's review steps and a check-in entry, so nothing of either is
    lost; its publication is marked pending until its new version is frozen.
    """
    approved_meeting = reference_id(copy._data["approved_meeting"]) if copy._data.get("approved_meeting") else None
    entry = HistoryEntry(
        transition="check_in",
        from_state=original.state,
        to_state=original.state,
        actor=actor,
        actor_name=getattr(actor, "email", None),
        at=utcnow(),
        comment=_("Revised text from the working copy published"),
        revision=original.revision + 1,
        meeting=approved_meeting,
    )
    steps = [step.to_mongo().to_dict() for step in copy.history] + [entry.to_mongo().to_dict()]
    result = (
        type(original)
        ._get_collection()
        .update_one(
            {"_id": original.pk, "state": original.state, "revision": original.revision, "working_copy": copy.pk},
            {
                "$set": {
                    **fields,
                    "revision": original.revision + 1,
                    "modified": entry.at,
                    "changed": entry.at,
                    "published_at": entry.at,
                    "approved_meeting": approved_meeting,
                    "approved_revision": original.revision + 1,
                    "publication_pending": True,
                },
                "$unset": {"working_copy": ""},
                "$push": {"history": {"$each": steps}},
            },
        )
    )
    if result.modified_count != 1:
        raise Conflict(_("The original changed meanwhile; the working copy was not checked in."))
    return type(original).objects.get(pk=original.pk)
