"""What a transition records on the item (written in the same update as the state) and does after."""

from flask_babel import gettext as _

from content_types import Content, MemberCity
from content_types.base import reference_id, utcnow
from workflows import REPLACED_ON_PUBLISH


def put_on_agenda(item: Content, data: dict, actor) -> dict:
    """Record the meeting and the revision the reviewer accepted."""
    return {"agenda_meeting": data["meeting_id_object"], "accepted_revision": item.revision}


def clear_agenda(item: Content, data: dict, actor) -> dict:
    """Take the item off the agenda it was on."""
    return {"agenda_meeting": None, "accepted_revision": None}


def record_approval(item: Content, data: dict, actor) -> dict:
    """Record which meeting approved which revision, and who recorded it."""
    return {
        "approved_meeting": reference_id(item._data["agenda_meeting"]),
        "approved_revision": item.revision,
        "approved_by": actor.pk,
    }


def record_publication(item: Content, data: dict, actor) -> dict:
    """Record when the item was published."""
    return {"published_at": utcnow()}


def record_recipients(item: Content, data: dict, actor) -> dict:
    """For a circular: the member cities it is sent to (all members unless restricted)."""
    if item.type_name != "circular":
        return {}
    chosen = [city.pk for city in item.recipients] if item.recipients else None
    cities = MemberCity.objects(status="member", **({"pk__in": chosen} if chosen else {})).scalar("pk")
    return {"sent_to": list(cities), "sent_at": utcnow()}


EFFECTS = {
    "put_on_agenda": put_on_agenda,
    "clear_agenda": clear_agenda,
    "record_approval": record_approval,
    "record_publication": record_publication,
    "record_recipients": record_recipients,
}


def archive_replaced(item: Content, actor, engine) -> None:
    """Archive the earlier published items this one replaces (the previous work plan)."""
    if item.type_name not in REPLACED_ON_PUBLISH:
        return
    # A working copy replaces its own original by checking in, not by archiving it.
    spared = [item.pk] + ([item.working_copy_of] if item.working_copy_of else [])
    earlier = type(item).objects(state="published", language=item.language, pk__nin=spared)
    for previous in earlier:
        engine.apply(
            previous, "archive", actor, comment=_("Replaced by “%(title)s”", title=item.title), check_guard=False
        )


AFTER = {"archive_replaced": archive_replaced}
