"""Conditions a transition may require; each receives the Step and raises NotPossible with the reason."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from content_types import Attachment, ConsentDecision, Content, Meeting, MemberCity
from content_types.base import reference_id
from content_types.city import COUNTRY_TIME_ZONES
from content_types.membership import CONSENT, FALLEN_AWAY, MAY_APPLY, OBJECTION
from content_types.refusals import NotPossible
from workflows.compilation import planned_news, unreleased
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


def meeting_has_begun(step: Step) -> None:
    """The meeting's first day has come, counted in its host country's calendar."""
    meeting = step.item
    if not meeting.starts_on:
        raise NotPossible(_("Give the meeting's start date first."), {"starts_on": "required"})
    country = getattr(meeting.host_city, "country", None)
    today = datetime.now(ZoneInfo(COUNTRY_TIME_ZONES.get(country, "UTC"))).date()
    if meeting.starts_on > today:
        raise NotPossible(
            _(
                "The meeting starts on %(day)s; it can be marked as held from that day.",
                day=meeting.starts_on.isoformat(),
            ),
            {"starts_on": meeting.starts_on.isoformat()},
        )


def translates_the_approved_text(step: Step) -> None:
    """The item is a translation made from the revision of its source that a meeting approved."""
    source = approved_source(step.item)
    if source is None:
        raise NotPossible(_("Only a translation of a text a meeting approved can be certified."))
    if step.item.translation_source_revision != source.approved_revision:
        raise NotPossible(
            _(
                "This translation was made from revision %(made)s, not from the approved revision %(approved)s: "
                "translate the approved text, or put it on a meeting's agenda.",
                made=step.item.translation_source_revision,
                approved=source.approved_revision,
            ),
            {"translation_source_revision": step.item.translation_source_revision},
        )


def approved_source(item: Content) -> Content | None:
    """Return the source the item was translated from if a meeting approved it, else None."""
    if not item.translation_of:
        return None
    source = Content.objects(pk=item.translation_of).first()
    if source is None or not source._data.get("approved_meeting") or not source.approved_revision:
        return None
    return source


def encloses_a_released_document(step: Step) -> None:
    """The circular sends a document that has been released (a published work plan)."""
    enclosed = getattr(step.item, "encloses", None)
    document = Content.objects(pk=enclosed).first() if enclosed else None
    if document is None or not has_flag(document.type_name, document.state, "released"):
        raise NotPossible(_("Only a circular that encloses a released document is sent this way."))


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


def city_is_member(step: Step) -> None:
    """The city the item is about (a withdrawal, an exclusion motion) is a member of the alliance now."""
    city = MemberCity.objects(pk=reference_id(step.item._data.get("city"))).only("status").first()
    if city is None or city.status != "member":
        raise NotPossible(
            _("The city is not a member of the alliance (any more)."), {"city": getattr(city, "status", None)}
        )


def applicant_may_join(step: Step) -> None:
    """The applicant city is not a member already, nor applying in another application being decided."""
    city = MemberCity.objects(pk=reference_id(step.item._data.get("city"))).first()
    if city is None:
        raise NotPossible(_("Name the applicant city first."), {"city": "required"})
    if city.status not in MAY_APPLY:
        raise NotPossible(
            _("%(city)s is a member already or its application is being decided.", city=city.name_de),
            {"city": city.status},
        )


def there_are_member_cities(step: Step) -> None:
    """There is at least one member city to consult (unanimity over nobody would accept anything)."""
    if not MemberCity.objects(status="member").count():
        raise NotPossible(_("There are no member cities to consult."))


def decisions_on(item: Content) -> dict:
    """Return {city id: decision} of the consulted cities that have decided on `item` (one query)."""
    found = ConsentDecision.objects(application=item.pk).only("city", "decision")
    return {reference_id(decision._data["city"]): decision.decision for decision in found}


def missing_cities(item: Content) -> list:
    """Return the ids of the consulted cities whose decision on `item` is still missing, in the frozen order."""
    decided = decisions_on(item)
    return [city for city in (reference_id(c) for c in item._data.get("consulted_cities") or ()) if city not in decided]


def all_consented(step: Step) -> None:
    """Every consulted city consented (a city that left the alliance before deciding no longer counts)."""
    consulted = [reference_id(city) for city in step.item._data.get("consulted_cities") or ()]
    decided = decisions_on(step.item)
    if not consulted or any(decided.get(city) not in (CONSENT, FALLEN_AWAY) for city in consulted):
        raise NotPossible(
            _("Not every consulted member city has consented yet."),
            {"missing": [str(city) for city in consulted if city not in decided]},
        )


def a_city_objected(step: Step) -> None:
    """A consulted city objected."""
    if not ConsentDecision.objects(application=step.item.pk, decision=OBJECTION).count():
        raise NotPossible(_("No consulted member city has objected."))


def attachment_is_this_item_s(step: Step) -> None:
    """The file the step rests on is one of this item's attachments."""
    attachment = step.inputs.get("attachment_id")
    if not isinstance(attachment, Attachment) or attachment.item != step.item.pk:
        raise NotPossible(_("The file must be attached to this item."), {"attachment_id": "not_this_item"})


def meeting_follows_the_notification(step: Step) -> None:
    """The meeting is the next one: still upcoming, or held on or after the day the city was notified."""
    meeting = step.inputs["meeting_id"]
    if has_flag(Meeting.type_name, meeting.state, "upcoming"):
        return
    notified = next((entry.at for entry in reversed(step.item.history) if entry.to_state == step.item.state), None)
    held = has_flag(Meeting.type_name, meeting.state, "held")
    if not held or not meeting.starts_on or (notified and meeting.starts_on < notified.date()):
        raise NotPossible(
            _("Choose the meeting after the notification: an upcoming one, or one held since."),
            {"meeting_id": meeting.state},
        )


def carries_only_public_news(step: Step) -> None:
    """A newsletter carries only news the public may read (its subscribers have no account)."""
    if "carried" not in type(step.item)._fields:
        return
    hidden = unreleased(planned_news(step.item))
    if hidden:
        raise NotPossible(
            _(
                "The issue carries news that is not published for the public: %(titles)s. "
                "Publish it, mark it public, or take it out of the issue.",
                titles=", ".join(f"“{news.title}”" for news in hidden),
            ),
            {"news_items": [str(news.pk) for news in hidden]},
        )


CONDITIONS = {
    "meeting_is_upcoming": meeting_is_upcoming,
    "agenda_meeting_held": agenda_meeting_held,
    "meeting_has_begun": meeting_has_begun,
    "translates_the_approved_text": translates_the_approved_text,
    "encloses_a_released_document": encloses_a_released_document,
    "unchanged_since_acceptance": unchanged_since_acceptance,
    "unchanged_since_approval": unchanged_since_approval,
    "city_is_member": city_is_member,
    "applicant_may_join": applicant_may_join,
    "there_are_member_cities": there_are_member_cities,
    "all_consented": all_consented,
    "a_city_objected": a_city_objected,
    "attachment_is_this_item_s": attachment_is_this_item_s,
    "meeting_follows_the_notification": meeting_follows_the_notification,
    "carries_only_public_news": carries_only_public_news,
}
