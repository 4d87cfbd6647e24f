"""What a transition may ask of the person firing it: the registry of needs.

A transition names its needs in its definition (`"needs": ["comment"]`); the
engine reads the inputs through this registry, the API accepts exactly these
fields, OpenAPI describes them, and the admin draws each one with its form
partial (`templates/admin/needs/<name>.html`). A new kind of input is one
entry here plus its partial.
"""

from collections.abc import Callable
from dataclasses import dataclass

from bson import ObjectId
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from content_types import Attachment, Meeting
from content_types.refusals import NotPossible
from workflows.definitions import flagged_states
from workflows.permissions import VIEW
from workflows.policy import permitted_query

MAX_COMMENT = 5000


@dataclass(frozen=True)
class Need:
    """One kind of input a transition can require."""

    # The field's name in API bodies and forms.
    name: str
    title: str
    # Turns the raw value (JSON or form) into what conditions and effects use; raises NotPossible.
    read: Callable
    # The JSON schema of the raw value (OpenAPI).
    schema: dict
    # Accepted (optional) on every transition, required where the definition names it.
    everywhere: bool = False
    # What a form offers to choose from: choices(user, item) -> [(value, label)].
    choices: Callable | None = None
    # The history entry's field that keeps the input's id (the meeting a step rests on).
    recorded_in: str | None = None

    @property
    def form(self) -> str:
        """Return the admin template that draws this input."""
        return f"admin/needs/{self.name}.html"


def read_comment(value, required: bool) -> str:
    """Return the comment as stripped text; refuse non-text, overlong or (where required) empty ones."""
    if value is not None and not isinstance(value, str):
        raise NotPossible(_("The comment must be text."), {"comment": "invalid"})
    comment = (value or "").strip()
    if len(comment) > MAX_COMMENT:
        raise NotPossible(_("The comment is too long."), {"comment": "too_long"})
    if required and not comment:
        raise NotPossible(_("Say why in a comment."), {"comment": "required"})
    return comment


def read_meeting(value, required: bool) -> Meeting | None:
    """Return the meeting `value` names; refuse a missing, malformed or unknown one."""
    if value in (None, "") and not required:
        return None
    if not isinstance(value, str) or not ObjectId.is_valid(value):
        raise NotPossible(_("Choose the meeting whose agenda the item goes on."), {"meeting_id": "required"})
    meeting = Meeting.objects(pk=value).first()
    if meeting is None:
        raise NotPossible(_("There is no such meeting."), {"meeting_id": "unknown"})
    return meeting


def upcoming_meetings(user, item) -> list[tuple[str, Meeting]]:
    """Return the meetings `user` may see that can still take agenda items, earliest first."""
    visible = permitted_query(user, VIEW, [Meeting.type_name])
    upcoming = {"state": {"$in": flagged_states(Meeting.type_name, "upcoming")}}
    meetings = Meeting.objects(__raw__={"$and": [visible, upcoming]}).order_by("year", "half")
    return [(str(meeting.pk), meeting) for meeting in meetings]


def read_attachment(value, required: bool) -> Attachment | None:
    """Return the attachment `value` names (whose item it is, a condition checks); refuse a missing or unknown one."""
    if value in (None, "") and not required:
        return None
    if not isinstance(value, str) or not ObjectId.is_valid(value):
        raise NotPossible(_("Choose the file this step rests on."), {"attachment_id": "required"})
    attachment = Attachment.objects(pk=value).first()
    if attachment is None:
        raise NotPossible(_("There is no such file."), {"attachment_id": "unknown"})
    return attachment


def item_attachments(user, item) -> list[tuple[str, Attachment]]:
    """Return the item's files, oldest first (what a step resting on one of them offers)."""
    return [(str(attachment.pk), attachment) for attachment in Attachment.objects(item=item.pk)]


NEEDS = {
    need.name: need
    for need in (
        Need("comment", _l("Comment"), read_comment, {"type": "string", "maxLength": MAX_COMMENT}, everywhere=True),
        Need(
            "meeting_id",
            _l("Meeting"),
            read_meeting,
            {"type": "string", "description": "id of an upcoming meeting"},
            choices=upcoming_meetings,
            recorded_in="meeting",
        ),
        Need(
            "attachment_id",
            _l("File"),
            read_attachment,
            {"type": "string", "description": "id of one of the item's attachments"},
            choices=item_attachments,
        ),
    )
}


def needs_of(transition: dict) -> list[tuple[Need, bool]]:
    """Return (need, required) for every input the transition accepts, in registry order."""
    named = set(transition.get("needs", ()))
    return [(need, need.name in named) for need in NEEDS.values() if need.everywhere or need.name in named]


def accepted_fields(transition: dict | None) -> set[str]:
    """Return the input names a request may send when firing `transition` (comment alone if unknown)."""
    if transition is None:
        return {name for name, need in NEEDS.items() if need.everywhere}
    return {need.name for need, _required in needs_of(transition)}


def read_inputs(transition: dict, raw: dict) -> dict:
    """Return the transition's inputs read from `raw` (what a request sent); raise NotPossible for bad ones."""
    return {need.name: need.read(raw.get(need.name), required) for need, required in needs_of(transition)}
