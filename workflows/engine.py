"""The only code that writes an item's `state`: guards, conditions, compare-and-set, history, signals."""

from flask_babel import gettext as _
from transitions import Machine

from content_types import LANGUAGE_NAMES, Content, HistoryEntry
from content_types.base import reference_id, utcnow
from workflows import REGISTRY, conditions, effects, state_definition, workflow_for
from workflows.errors import TransitionConflict, TransitionNotAllowed, TransitionNotPossible
from workflows.permissions import fire_permission
from workflows.policy import can
from workflows.signals import transition_fired, transition_refused

MAX_COMMENT = 5000


def _machine(definition: dict) -> Machine:
    # One shared machine per workflow, with no model bound: the stored item is
    # never added (add_model would reset it to the initial state). Copies of
    # the state and transition dicts, because Machine writes into them.
    return Machine(
        model=None,
        states=[state["name"] for state in definition["states"]],
        transitions=[
            {"trigger": t["trigger"], "source": t["source"], "dest": t["dest"]} for t in definition["transitions"]
        ],
        initial=definition["initial"],
        auto_transitions=False,
        ignore_invalid_triggers=False,
    )


MACHINES = {name: _machine(definition) for name, definition in REGISTRY.items()}


def initialize(item: Content) -> Content:
    """Put a new, unsaved item into its workflow's initial state; refuse a stored one."""
    if item.pk is not None:
        raise ValueError("only a new item enters its workflow's initial state")
    item.state = workflow_for(item.type_name)["initial"]
    return item


def _state_title(item: Content) -> str:
    state = state_definition(item.type_name, item.state)
    return str(state["title"]) if state else item.state


def definition_of(item: Content, trigger: str) -> dict | None:
    """Return the definition of `trigger` leaving the item's current state, or None."""
    name = workflow_for(item.type_name)["name"]
    if not isinstance(trigger, str) or trigger not in MACHINES[name].events:
        return None
    # The machine knows which transitions leave which state.
    if not MACHINES[name].get_transitions(trigger=trigger, source=item.state):
        return None
    return next(t for t in REGISTRY[name]["transitions"] if t["trigger"] == trigger)


def available_transitions(user, item: Content) -> list[dict]:
    """Return the transitions out of the item's state that `user` may fire (what the UI draws)."""
    name = workflow_for(item.type_name)["name"]
    triggers = MACHINES[name].get_triggers(item.state)
    return [
        transition
        for transition in REGISTRY[name]["transitions"]
        if transition["trigger"] in triggers and can(user, fire_permission(transition["trigger"]), item)
    ]


def fire(user, item: Content, trigger: str, comment: str | None = None, meeting_id: str | None = None) -> Content:
    """Fire `trigger` on `item` as `user`; return the item as stored afterwards.

    Raises TransitionNotAllowed (the guard refuses this user),
    TransitionNotPossible (no such transition from this state, a missing
    comment or meeting, an unmet condition) or TransitionConflict (the item
    changed or another transition won the race). Nothing is written unless
    everything holds.
    """
    transition = definition_of(item, trigger)
    if transition is None:
        raise TransitionNotPossible(
            _(
                "“%(trigger)s” is not possible from the state “%(state)s”.",
                trigger=str(trigger)[:60],
                state=_state_title(item),
            ),
            {"transition": str(trigger)[:60], "state": item.state},
        )
    if not can(user, fire_permission(trigger), item):
        transition_refused.send(item, trigger=trigger, actor=user)
        raise TransitionNotAllowed(_("You may not do this to this item."), {"transition": trigger})
    return apply(item, trigger, user, comment=comment, meeting_id=meeting_id)


def apply(
    item: Content,
    trigger: str,
    actor,
    comment: str | None = None,
    meeting_id: str | None = None,
    check_guard: bool = True,
) -> Content:
    """Check needs and conditions, then write the transition with a compare-and-set.

    Called by fire() after the guard, and by the engine itself for follow-up
    transitions (archiving a replaced work plan) where the guard does not apply.
    """
    transition = definition_of(item, trigger)
    if transition is None:
        raise TransitionNotPossible(
            _("“%(trigger)s” is not possible from the state “%(state)s”.", trigger=trigger, state=_state_title(item))
        )
    if check_guard and not can(actor, fire_permission(trigger), item):
        raise TransitionNotAllowed(_("You may not do this to this item."), {"transition": trigger})
    entry, changes = _prepare(item, transition, actor, comment, meeting_id)
    _compare_and_set(item, changes, entry)
    return _after(item, transition, entry, actor)


def fire_all(user, items: list[Content], trigger: str, comment=None, meeting_id=None) -> list[Content]:
    """Fire `trigger` on every one of `items` as `user`, all or none (a translation group released together).

    Every item's guard, needs and conditions are checked before anything is
    written; then each is written with its own compare-and-set. If one of those
    loses a race, the ones already written are put back (each with a
    compare-and-set of its own) and TransitionConflict is raised. Signals and
    follow-up effects run only once all of them have moved.
    """
    prepared = []
    for item in items:
        transition = definition_of(item, trigger)
        if transition is None:
            raise TransitionNotPossible(
                _(
                    "“%(trigger)s” is not possible for the %(language)s version in the state “%(state)s”.",
                    trigger=str(trigger)[:60],
                    language=LANGUAGE_NAMES[item.language],
                    state=_state_title(item),
                ),
                {"transition": str(trigger)[:60], "item": str(item.pk), "language": item.language, "state": item.state},
            )
        if not can(user, fire_permission(trigger), item):
            transition_refused.send(item, trigger=trigger, actor=user)
            raise TransitionNotAllowed(_("You may not do this to every item of this group."), {"transition": trigger})
        try:
            entry, changes = _prepare(item, transition, user, comment, meeting_id)
        except TransitionNotPossible as error:
            error.details = {**error.details, "item": str(item.pk), "language": item.language}
            raise
        prepared.append((item, transition, entry, changes))
    written = []
    for item, transition, entry, changes in prepared:
        try:
            _compare_and_set(item, changes, entry)
        except TransitionConflict:
            for done_item, done_changes in reversed(written):
                _undo(done_item, done_changes)
            raise
        written.append((item, changes))
    return [_after(item, transition, entry, user) for item, transition, entry, _changes in prepared]


def _prepare(item: Content, transition: dict, actor, comment, meeting_id) -> tuple[HistoryEntry, dict]:
    # Needs, conditions and effects only read: nothing is written here.
    data = _collect_needs(transition, comment, meeting_id)
    for name in transition.get("conditions", ()):
        conditions.CONDITIONS[name](item, data)
    changes = {"state": transition["dest"]}
    for name in transition.get("effects", ()):
        changes.update(effects.EFFECTS[name](item, data, actor))
    meeting = data.get("meeting_id_object")
    if meeting is None and transition.get("records_meeting") and item._data.get("agenda_meeting"):
        meeting = reference_id(item._data["agenda_meeting"])
    entry = HistoryEntry(
        transition=transition["trigger"],
        from_state=item.state,
        to_state=transition["dest"],
        actor=actor,
        actor_name=getattr(actor, "email", None),
        at=utcnow(),
        comment=data.get("comment", ""),
        meeting=meeting,
        revision=item.revision,
    )
    return entry, changes


def _after(item: Content, transition: dict, entry: HistoryEntry, actor) -> Content:
    stored = type(item).objects.get(pk=item.pk)
    transition_fired.send(stored, transition=transition, entry=entry, actor=actor)
    for name in transition.get("after", ()):
        effects.AFTER[name](stored, actor, _Engine)
    return stored


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
        raise TransitionConflict(
            _(
                "The group was moved only in part: the %(language)s version was changed meanwhile.",
                language=LANGUAGE_NAMES[item.language],
            ),
            {"item": str(item.pk), "language": item.language, "partial": True},
        )


def _collect_needs(transition: dict, comment, meeting_id) -> dict:
    data = {}
    needs = transition.get("needs", ())
    if comment is not None and not isinstance(comment, str):
        raise TransitionNotPossible(_("The comment must be text."), {"comment": "invalid"})
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise TransitionNotPossible(_("The comment is too long."), {"comment": "too_long"})
    if "comment" in needs and not comment:
        raise TransitionNotPossible(_("Say why in a comment."), {"comment": "required"})
    data["comment"] = comment
    if "meeting_id" in needs:
        meeting = conditions.load_meeting(meeting_id)
        data["meeting_id"] = str(meeting.pk)
        data["meeting_id_object"] = meeting.pk
    return data


def _compare_and_set(item: Content, changes: dict, entry: HistoryEntry) -> None:
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
    result = collection.update_one({"_id": item.pk, "state": item.state, "revision": item.revision}, update)
    if result.modified_count != 1:
        raise TransitionConflict(_("Someone else changed this item or moved it on first; reload it and try again."))


def check_in(original: Content, copy: Content, fields: dict, actor) -> Content:
    """Give the published `original` the text of its published working copy, as its next revision.

    One compare-and-set on the original: it must still be published, at the
    revision read, with this copy as its working copy. Its history gains the
    copy's review steps and a check-in entry, so nothing of either is lost.
    """
    entry = HistoryEntry(
        transition="check_in",
        from_state=original.state,
        to_state=original.state,
        actor=actor,
        actor_name=getattr(actor, "email", None),
        at=utcnow(),
        comment=_("Revised text from the working copy published"),
        revision=original.revision + 1,
        meeting=reference_id(copy._data["approved_meeting"]) if copy._data.get("approved_meeting") else None,
    )
    steps = [step.to_mongo().to_dict() for step in copy.history] + [entry.to_mongo().to_dict()]
    result = (
        type(original)
        ._get_collection()
        .update_one(
            {"_id": original.pk, "state": "published", "revision": original.revision, "working_copy": copy.pk},
            {
                "$set": {
                    **fields,
                    "revision": original.revision + 1,
                    "modified": utcnow(),
                    "published_at": utcnow(),
                    "approved_meeting": reference_id(copy._data["approved_meeting"])
                    if copy._data.get("approved_meeting")
                    else None,
                    "approved_revision": original.revision + 1,
                },
                "$unset": {"working_copy": ""},
                "$push": {"history": {"$each": steps}},
            },
        )
    )
    if result.modified_count != 1:
        raise TransitionConflict(_("The original changed meanwhile; the working copy was not checked in."))
    return type(original).objects.get(pk=original.pk)


class _Engine:
    """What follow-up effects may call (kept narrow on purpose)."""

    apply = staticmethod(apply)
