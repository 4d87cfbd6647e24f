"""What a transition records on the item (effects, written with the state) and does after it (follow-ups)."""

import logging

from flask_babel import gettext as _

from content_types import ConsentDecision, Declaration, MemberCity
from content_types.base import reference_id, utcnow
from content_types.membership import OBJECTION
from workflows.compilation import planned_news
from workflows.conditions import approved_source
from workflows.definitions import flagged_states, scheduled_transition
from workflows.step import Step
from workflows.types import TYPES

log = logging.getLogger(__name__)


def put_on_agenda(step: Step) -> dict:
    """Record the meeting and the revision the reviewer accepted."""
    return {"agenda_meeting": step.inputs["meeting_id"].pk, "accepted_revision": step.item.revision}


def clear_agenda(step: Step) -> dict:
    """Take the item off the agenda it was on."""
    return {"agenda_meeting": None, "accepted_revision": None}


def record_approval(step: Step) -> dict:
    """Record which meeting approved which revision, and who recorded it."""
    return {
        "approved_meeting": reference_id(step.item._data["agenda_meeting"]),
        "approved_revision": step.item.revision,
        "approved_by": step.actor.pk,
    }


def record_certified_approval(step: Step) -> dict:
    """Record the source's approval (its meeting) for this translation's own revision, and who certified it."""
    source = approved_source(step.item)
    return {
        "approved_meeting": reference_id(source._data["approved_meeting"]),
        "approved_revision": step.item.revision,
        "approved_by": step.actor.pk,
    }


def record_publication(step: Step) -> dict:
    """Record when the item was published."""
    return {"published_at": utcnow()}


def record_recipients(step: Step) -> dict:
    """For a circular: the member cities it is sent to (all members unless restricted)."""
    if "sent_to" not in type(step.item)._fields:
        return {}
    chosen = [city.pk for city in step.item.recipients] if step.item.recipients else None
    cities = MemberCity.objects(status="member", **({"pk__in": chosen} if chosen else {})).scalar("pk")
    return {"sent_to": list(cities), "sent_at": utcnow()}


def record_news(step: Step) -> dict:
    """For a newsletter: the news items the issue carries (the chosen ones, else the released news of its period)."""
    if "carried" not in type(step.item)._fields:
        return {}
    return {"carried": [news.pk for news in planned_news(step.item)]}


def record_withdrawal(step: Step) -> dict:
    """Record when the withdrawal took effect."""
    return {"left_on": utcnow()}


def record_decision(step: Step) -> dict:
    """Record the meeting's decision on an exclusion motion in its words (the step's comment), and when."""
    return {"decision_text": step.inputs["comment"], "decided_at": utcnow()}


def freeze_consulted_cities(step: Step) -> dict:
    """Freeze the cities that are members at this moment as the ones consulted, and the applicant's status."""
    city = MemberCity.objects(pk=reference_id(step.item._data["city"])).only("status").first()
    members = MemberCity.objects(status="member").order_by("country", "name_de").scalar("pk")
    return {"consulted_cities": list(members), "circulated_at": utcnow(), "city_status_before": city.status}


def record_objection(step: Step) -> dict:
    """Record the city whose objection rejects the application (the first one recorded)."""
    objection = ConsentDecision.objects(application=step.item.pk, decision=OBJECTION).order_by("at").first()
    return {"objecting_city": reference_id(objection._data["city"])} if objection else {}


def record_declaration(step: Step) -> dict:
    """Record the signed declaration's file and the declaration text in force that it signs (if one is published)."""
    in_force = flagged_states(Declaration.type_name, "versioned")
    text = Declaration.objects(state__in=in_force).order_by("-published_at").only("id").first()
    return {"declaration_file": step.inputs["attachment_id"].pk, "declaration_text": text.pk if text else None}


def record_notification_letter(step: Step) -> dict:
    """Record the notification letter's file."""
    return {"notification_letter": step.inputs["attachment_id"].pk}


def record_announcement(step: Step) -> dict:
    """Record the meeting the new member was announced at."""
    return {"announced_meeting": step.inputs["meeting_id"].pk}


EFFECTS = {
    "put_on_agenda": put_on_agenda,
    "clear_agenda": clear_agenda,
    "record_approval": record_approval,
    "record_certified_approval": record_certified_approval,
    "record_publication": record_publication,
    "record_recipients": record_recipients,
    "record_news": record_news,
    "record_withdrawal": record_withdrawal,
    "record_decision": record_decision,
    "freeze_consulted_cities": freeze_consulted_cities,
    "record_objection": record_objection,
    "record_declaration": record_declaration,
    "record_notification_letter": record_notification_letter,
    "record_announcement": record_announcement,
}


def archive_replaced(step: Step) -> None:
    """Retire the earlier items in force this one replaces (last year's work plan), if its type has one in force.

    Each is moved on by the transition that retires a published item (the one
    the scheduler fires on expiry), with a comment naming its successor.
    """
    item = step.item
    if not TYPES[item.type_name].one_in_force:
        return
    # A working copy replaces its own original by checking in, not by retiring it.
    spared = [item.pk] + ([item.working_copy_of] if item.working_copy_of else [])
    in_force = flagged_states(item.type_name, "versioned")
    for previous in type(item).objects(state__in=in_force, language=item.language, pk__nin=spared):
        retiring = scheduled_transition(previous.type_name, previous.state, "expiry")
        if retiring is not None:
            comment = _("Replaced by “%(title)s”", title=item.title)
            step.follow(previous, retiring["trigger"], {"comment": comment})


def withdraw_city(step: Step) -> None:
    """The completed withdrawal makes its city `withdrawn` on the day it took effect."""
    _leave(step, "withdrawn", step.item.left_on)


def exclude_city(step: Step) -> None:
    """The meeting's decision to exclude makes the city `excluded`."""
    _leave(step, "excluded", step.item.decided_at)


def _leave(step: Step, status: str, at) -> None:
    # A compare-and-set from `member`: the condition checked the city was a member; if something moved it
    # meanwhile (a correction by hand), nothing is overwritten and the log says so.
    item = step.item
    city_id = reference_id(item._data["city"])
    # Its open decisions on applications then fall away (the web layer, on the step's `ends_membership`).
    if not MemberCity.change_status(city_id, "member", status, item=item, at=at):
        log.warning(
            "%s %s: city %s was no longer a member; its status was left as it is", item.type_name, item.pk, city_id
        )


def make_applicant(step: Step) -> None:
    """The circulated application makes its city an applicant (from the status it had when circulated)."""
    item = step.item
    MemberCity.change_status(reference_id(item._data["city"]), item.city_status_before, "applicant", item=item)


def give_back_city_status(step: Step) -> None:
    """A rejected application gives its city back the status it had before applying."""
    item = step.item
    MemberCity.change_status(reference_id(item._data["city"]), "applicant", item.city_status_before, item=item)


def make_member(step: Step) -> None:
    """Announced at a meeting, the applicant city becomes a member, joining on the day of the announcement."""
    item = step.item
    MemberCity.change_status(reference_id(item._data["city"]), "applicant", "member", item=item, at=item.changed)


FOLLOW_UPS = {
    "archive_replaced": archive_replaced,
    "withdraw_city": withdraw_city,
    "exclude_city": exclude_city,
    "make_applicant": make_applicant,
    "give_back_city_status": give_back_city_status,
    "make_member": make_member,
}
