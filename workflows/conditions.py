"""Conditions a transition may require; each receives the Step and raises NotPossible with the reason."""

from flask_babel import gettext as _

from content_types import Meeting
from content_types.base import reference_id
from content_types.refusals import NotPossible
from workflows.definitions import has_flag
from workflows.step import Step


def meeting_is_upcoming(step: Step) -> None:
    """The chosen meeting can still take agenda items (it has not been held)."""
    meeting = step.inputs["meeting_id"]
    if not has_flag(Meeting.type_name, meeting.state, "upcoming"):
        raise NotPossible(
            _("That meeting has already taken place; choose an upcoming one."), {"meeting_id": meeting.state}
        )


def agenda_meeting_held(step: Step) -> None:
    """The meeting the item is on the agenda of has been held."""
    stored = step.item._data.get("agenda_meeting")
    meeting = Meeting.objects(pk=reference_id(stored)).first() if stored else None
    if meeting is None:
        raise NotPossible(_("The item is not on a meeting's agenda."))
    if not has_flag(Meeting.type_name, meeting.state, "held"):
        raise NotPossible(
            _("The meeting has not been held yet; it can be approved once the meeting is marked as held."),
            {"meeting_id": str(meeting.pk), "meeting_state": meeting.state},
        )


def unchanged_since_acceptance(step: Step) -> None:
    """The text is the revision the reviewer accepted onto the agenda."""
    item = step.item
    if item.accepted_revision != item.revision:
        raise NotPossible(
            _(
                "The text changed after it was put on the agenda (accepted revision %(accepted)s, now %(current)s): "
                "defer it and have it reviewed again.",
                accepted=item.accepted_revision,
                current=item.revision,
            ),
            {"accepted_revision": item.accepted_revision, "revision": item.revision},
        )


def unchanged_since_approval(step: Step) -> None:
    """The text is the revision the meeting approved."""
    item = step.item
    if item.approved_revision != item.revision:
        raise NotPossible(
            _(
                "The text is not the one the meeting approved (revision %(approved)s, now %(current)s).",
                approved=item.approved_revision,
                current=item.revision,
            ),
            {"approved_revision": item.approved_revision, "revision": item.revision},
        )


CONDITIONS = {
    "meeting_is_upcoming": meeting_is_upcoming,
    "agenda_meeting_held": agenda_meeting_held,
    "unchanged_since_acceptance": unchanged_since_acceptance,
    "unchanged_since_approval": unchanged_since_approval,
}
