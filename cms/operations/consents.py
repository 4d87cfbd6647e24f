"""The consulted member cities' written decisions on a membership application, reminders, and what follows.

A decision is always the representative's own city's (the city is never an
input), it is allowed only where `can(user, DECIDE, item)` says so (the
state, the frozen set of consulted cities, the city still a member), and it
is written once: the unique index on (application, city) refuses a second,
also one written at the same moment. After each decision the engine is asked
to settle the application (accept when all consented, reject on an
objection); of several decisions arriving together one settling wins the
compare-and-set and the others find nothing left to do, and because every
decision asks after it is written, the last one always sees them all.
"""

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from cms import audit
from cms.mail import notifications
from cms.operations import attachments, refuse_unless
from cms.security import can
from content_types import ConsentDecision, Content, MemberCity, Reminder
from content_types.base import reference_id, utcnow
from content_types.membership import CONSENT, FALLEN_AWAY, OBJECTION
from content_types.refusals import Conflict, NotPossible
from content_types.validation import Invalid
from workflows import engine, state_definition, transitions_from, workflow_for
from workflows.conditions import missing_cities
from workflows.needs import read_comment
from workflows.permissions import DECIDE, SEND_REMINDERS, VIEW
from workflows.policy import deciding_types
from workflows.signals import transition_fired
from workflows.types import TYPES

log = logging.getLogger(__name__)

# What a representative may answer (falling away is the CMS's, when a city leaves).
ANSWERS = (CONSENT, OBJECTION)


def may_decide(user, item: Content) -> bool:
    """Whether `user` may record their city's decision on `item` now (state, consulted set, member city)."""
    return getattr(user, "city_id", None) is not None and can(user, DECIDE, item)


def record_decision(user, item: Content, decision, comment=None, letter=None, limit: int = 0) -> ConsentDecision:
    """Record the decision of `user`'s own city on `item` (once), with a comment and optionally the signed letter.

    Raises NotAllowed (not a consulted member city's representative, or not
    in consultation), Invalid (an unknown decision, a bad comment), the
    upload's refusals for a bad letter, Conflict if the city decided already.
    Then settles the application; that can't turn the recorded decision into
    an error.
    """
    refuse_unless(may_decide(user, item), user, item, "decide")
    if decision not in ANSWERS:
        raise Invalid({"decision": _("Answer “consent” or “object”.")})
    comment = read_comment(comment, required=False)
    stored = attachments.store_for_step(user, item, letter, limit) if letter is not None else None
    record = ConsentDecision(
        application=item.pk,
        city=user.city_id,
        decision=decision,
        comment=comment,
        letter=stored.pk if stored else None,
        decided_by=user,
        decided_by_name=user.email,
    )
    try:
        record.insert()
    except Conflict:
        if stored is not None:
            attachments.discard(stored)
        raise
    city = MemberCity.objects(pk=user.city_id).only("name_de").first()
    audit.record(
        "update", user, item, "consent_recorded", city=city.name_de if city else "", decision=decision, comment=comment
    )
    settle(item, user)
    return record


def settle(item: Content, actor) -> Content | None:
    """Fire the step the decisions call for (accept when all consented, reject on an objection), if any.

    Safe to call any number of times, concurrently too: a condition not met
    (decisions still missing) or a race lost to another settling leaves the
    item as the winner wrote it.
    """
    current = Content.objects(pk=item.pk).first()
    if current is None:
        return None
    for transition in transitions_from(current.type_name, current.state):
        if not transition.get("settled_by_decisions"):
            continue
        try:
            return engine.follow(current, transition["trigger"], actor)
        except (NotPossible, Conflict) as reason:
            log.debug("settling %s by %s: %s", current.pk, transition["trigger"], reason)
    return current


def settle_open() -> list[str]:
    """Settle every application still being decided (the repair: a process killed between decision and step)."""
    settled = []
    for item in Content.objects(__raw__=_being_decided()):
        # The worklist's mirror of who decided, brought up to date from the decisions themselves.
        cities = ConsentDecision._get_collection().distinct("city", {"application": item.pk})
        Content._get_collection().update_one({"_id": item.pk}, {"$addToSet": {"decided_cities": {"$each": cities}}})
        before = item.state
        after = settle(item, None)
        if after is not None and after.state != before:
            settled.append(str(item.pk))
    return settled


def _being_decided() -> dict:
    # The items in a state that asks the member cities for their decision.
    clauses = []
    for type_name in deciding_types():
        states = [s["name"] for s in workflow_for(type_name)["states"] if DECIDE in s["permissions"]]
        clauses.append({"_cls": TYPES[type_name].cls._class_name, "state": {"$in": states}})
    return {"$or": clauses} if clauses else {"_id": {"$in": []}}


def decisions(item: Content) -> list[ConsentDecision]:
    """Return the decisions recorded on `item`, oldest first."""
    return list(ConsentDecision.objects(application=item.pk).order_by("at"))


def may_see_decisions(user, item: Content) -> bool:
    """Whether `user` may see who decided what on `item` (whoever may view it: staff, the consulted cities)."""
    return can(user, VIEW, item)


def may_remind(user, item: Content) -> bool:
    """Whether `user` may remind the cities still missing (the secretariat, while the cities are being asked)."""
    return can(user, SEND_REMINDERS) and can(user, VIEW, item) and bool(_asks_for_decisions(item))


def _asks_for_decisions(item: Content) -> bool:
    state = state_definition(item.type_name, item.state)
    return bool(state and DECIDE in state["permissions"])


def send_reminder(user, item: Content) -> Reminder:
    """Remind the consulted cities whose decision is missing: recorded, and mailed to their contact persons."""
    refuse_unless(may_remind(user, item), user, item, "remind")
    missing = missing_cities(item)
    if not missing:
        raise NotPossible(_("Every consulted city has decided; there is nobody to remind."))
    return _remind(item, missing, user, occasion=None, at=utcnow())


def remind_overdue(now=None) -> list[str]:
    """Remind the cities still missing on each application circulated (or last reminded) CMS_CONSENT_REMINDER_DAYS ago.

    Run by the scheduler; 0 days means never. Returns the ids of the
    applications reminded. The occasion is the number of periods since the
    circulation, so two processes running it at once write each mail once.
    """
    days = current_app.config["CMS_CONSENT_REMINDER_DAYS"]
    if not days:
        return []
    now = now or utcnow()
    period = timedelta(days=days)
    reminded = []
    for item in Content.objects(__raw__=_being_decided()):
        last = Reminder.objects(application=item.pk).order_by("-at").first()
        since = last.at if last else item.circulated_at
        missing = missing_cities(item)
        if since is None or now - since < period or not missing:
            continue
        periods = (now - item.circulated_at) // period if item.circulated_at else 0
        _remind(item, missing, None, occasion=f"{item.pk}:overdue:{periods}", at=now)
        reminded.append(str(item.pk))
    return reminded


def _remind(item: Content, missing: list, user, occasion: str | None, at) -> Reminder:
    # The reminder is recorded, and a mail to each missing city's contact persons written to the outbox.
    reminder = Reminder(application=item.pk, cities=missing, sent_by=user, at=at).save()
    cities = list(MemberCity.objects(pk__in=missing))
    notifications.remind(item, cities, occasion or f"{item.pk}:reminder:{reminder.pk}")
    audit.record("update", user, item, "consent_reminder_sent", cities=[city.name_de for city in cities])
    return reminder


def reminders(item: Content) -> list[Reminder]:
    """Return the reminders sent for `item`, oldest first."""
    return list(Reminder.objects(application=item.pk).order_by("at"))


def decisions_fall_away(city_id, reason: str = "") -> list[str]:
    """A city that left the alliance: its missing decisions on applications being decided fall away, recorded.

    Each is written as a `fallen_away` decision (the unique index keeps a
    decision the city recorded meanwhile), so it no longer blocks unanimity;
    each application is then settled. Returns the ids of the applications.
    """
    touched = []
    query = {"$and": [_being_decided(), {"consulted_cities": city_id}]}
    for item in Content.objects(__raw__=query):
        try:
            ConsentDecision(
                application=item.pk, city=city_id, decision=FALLEN_AWAY, comment=reason[:5000] if reason else ""
            ).insert()
        except Conflict:
            continue  # the city had decided: its decision stands
        audit.record("update", None, item, "decision_fell_away", city=_city_name(city_id))
        settle(item, None)
        touched.append(str(item.pk))
    return touched


def _city_name(city_id) -> str:
    city = MemberCity.objects(pk=reference_id(city_id)).only("name_de").first()
    return city.name_de if city else ""


def _on_transition(sender, transition, entry, actor, **_kwargs) -> None:
    # A step that ends a city's membership (a completed withdrawal, an exclusion): its open decisions fall away.
    if transition.get("ends_membership"):
        city = reference_id(sender._data.get("city"))
        if city is not None:
            decisions_fall_away(city, _("%(step)s: %(title)s", step=transition["title"], title=sender.title))


def init_app(app) -> None:
    """Let a city's leaving settle the applications it was consulted on (after the step is committed)."""
    transition_fired.connect(_on_transition, weak=False)
