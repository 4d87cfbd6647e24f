"""Conditions a transition may require; each raises TransitionNotPossible with the reason."""

from bson import ObjectId
from flask_babel import gettext as _

from content_types import Content, Meeting
from content_types.base import reference_id
from workflows.errors import TransitionNotPossible

# A meeting can take agenda items until it has been held.
UPCOMING_MEETING_STATES = ("planned", "announced")
HELD_MEETING_STATES = ("held", "minutes_published")


def load_meeting(meeting_id) -> Meeting:
    """Return the meeting `meeting_id` names, or raise TransitionNotPossible."""
    if not isinstance(meeting_id, str) or not ObjectId.is_valid(meeting_id):
        raise TransitionNotPossible(_("Choose the meeting whose agenda the item goes on."), {"meeting_id": "required"})
    meeting = Meeting.objects(pk=meeting_id).first()
    if meeting is None:
        raise TransitionNotPossible(_("There is no such meeting."), {"meeting_id": "unknown"})
    return meeting


def meeting_is_upcoming(item: Content, data: dict) -> None:
    """The chosen meeting is a planned or announced one (it can still take agenda items)."""
    meeting = load_meeting(data.get("meeting_id"))
    if meeting.state not in UPCOMING_MEETING_STATES:
        raise TransitionNotPossible(
            _("That meeting has already taken place; choose an upcoming one."), {"meeting_id": meeting.state}
        )


def agenda_meeting_held(item: Content, data: dict) -> None:
    """The meeting the item is on the agenda of has been held."""
    meeting = (
        Meeting.objects(pk=reference_id(item._data["agenda_meeting"])).first()
        if item._data.get("agenda_meeting")
        else None
    )
    if meeting is None:
        raise TransitionNotPossible(_("The item is not on a meeting's agenda."))
    if meeting.state not in HELD_MEETING_STATES:
        raise TransitionNotPossible(
            _("The meeting has not been held yet; it can be approved once the meeting is marked as held."),
            {"meeting_id": str(meeting.pk), "meeting_state": meeting.state},
        )


def unchanged_since_acceptance(item: Content, data: dict) -> None:
    """The text is the revision the reviewer accepted onto the agenda."""
    if item.accepted_revision != item.revision:
        raise TransitionNotPossible(
            _(
                "The text changed after it was put on the agenda (accepted revision %(accepted)s, now %(current)s): "
                "defer it and have it reviewed again.",
                accepted=item.accepted_revision,
                current=item.revision,
            ),
            {"accepted_revision": item.accepted_revision, "revision": item.revision},
        )


def unchanged_since_approval(item: Content, data: dict) -> None:
    """The text is the revision the meeting approved."""
    if item.approved_revision != item.revision:
        raise TransitionNotPossible(
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
