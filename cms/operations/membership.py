"""The steps after acceptance that rest on a file: the signed declaration uploaded, the notification letter written.

Each stores its file and fires its step together; if the step is refused
(someone moved the application on meanwhile) the file is removed again, so no
file is left that no step rests on.
"""

from flask_babel import gettext as _

from cms import letters
from cms.operations import attachments, refuse_unless
from cms.security import can
from content_types import Attachment, Content, MemberCity
from content_types.base import reference_id
from content_types.refusals import NotPossible, Refused
from workflows import engine, state_title, transitions_from
from workflows.permissions import fire_permission

# What a step's `with_upload` flag says its file is.
SIGNED_DECLARATION = "signed_declaration"
NOTIFICATION_LETTER = "notification_letter"


def _step_resting_on(item: Content, kind: str) -> dict | None:
    return next((t for t in transitions_from(item.type_name, item.state) if t.get("with_upload") == kind), None)


def may_record_declaration(user, item: Content) -> bool:
    """Whether `user` may upload the signed declaration of `item` now."""
    step = _step_resting_on(item, SIGNED_DECLARATION)
    return step is not None and can(user, fire_permission(step["trigger"]), item)


def may_notify(user, item: Content) -> bool:
    """Whether `user` may write and send the formal notification of `item` now."""
    step = _step_resting_on(item, NOTIFICATION_LETTER)
    return step is not None and can(user, fire_permission(step["trigger"]), item)


def _refuse_unless_open(user, item: Content, kind: str, what: str) -> dict:
    step = _step_resting_on(item, kind)
    if step is None:
        raise NotPossible(
            _("Not possible while the application is “%(state)s”.", state=state_title(item.type_name, item.state)),
            code="transition_not_possible",
        )
    refuse_unless(can(user, fire_permission(step["trigger"]), item), user, item, what)
    return step


def _fire_resting_on(user, item: Content, step: dict, attachment: Attachment) -> Content:
    try:
        return engine.fire(user, item, step["trigger"], {"attachment_id": str(attachment.pk)})
    except Refused:
        attachments.discard(attachment)
        raise


def record_declaration(user, item: Content, upload, limit: int) -> Content:
    """Store the declaration the new city signed (checked like any upload) and record it: `declaration_signed`."""
    step = _refuse_unless_open(user, item, SIGNED_DECLARATION, "record_declaration")
    return _fire_resting_on(user, item, step, attachments.store_for_step(user, item, upload, limit))


def send_notification(user, item: Content) -> Content:
    """Write the formal notification letter (a PDF in the city's languages), attach it and record it: `notified`."""
    step = _refuse_unless_open(user, item, NOTIFICATION_LETTER, "notify")
    city = MemberCity.objects.get(pk=reference_id(item._data["city"]))
    accepted_at = _arrived(item, "accepted")
    signed_at = _arrived(item, item.state)
    pdf = letters.notification_letter(city, accepted_at, signed_at, len(item._data.get("consulted_cities") or ()))
    name = f"notification-{city.name_en.lower().replace(' ', '-')}.pdf"
    attachment = attachments.store_generated(user, item, name, "application/pdf", pdf)
    return _fire_resting_on(user, item, step, attachment)


def _arrived(item: Content, state: str):
    # When the item last arrived in `state` (its history), else when it last changed.
    return next((entry.at for entry in reversed(item.history) if entry.to_state == state), item.last_changed)
