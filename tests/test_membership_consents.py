"""Joining by unanimous written consent (seed V): who decides, once, and what the decisions make of the application."""

import threading

import pytest

from cms.operations import consents, content
from cms.operations.accounts import create_account
from content_types import AuditEntry, ConsentDecision, Content, MemberCity, MembershipApplication, Reminder
from content_types.refusals import Conflict, NotAllowed, NotPossible
from content_types.validation import Invalid
from tests.conftest import PASSWORD
from workflows import engine
from workflows.policy import decision_requested

FOUNDING_MEMBERS = (
    "Foshan",
    "Jiangmen",
    "Zhaoqing",
    "Jieyang",
    "Yunfu",
    "Zhuzhou",
    "Hefei",
    "Nanning",
    "Guiyang",
    "Liuzhou",
    "Jiaozuo",
    "Aachen",
    "Osnabrück",
    "Wuppertal",
)


@pytest.fixture
def hannover(app):
    """Hannover, a city asking to join (status requested)."""
    return MemberCity(name_de="Hannover", name_zh="汉诺威", name_en="Hanover", country="DE").save()


@pytest.fixture
def representatives(app, create_user):
    """One representative per founding member city, by the city's German name."""
    return {
        name: create_user("member", city_name=name, email=f"rep.{index}@test.example")
        for index, name in enumerate(FOUNDING_MEMBERS)
    }


def apply(editor, city, title="Beitrittsantrag"):
    """Staff enter a received application for `city`."""
    item = content.new_item(editor, MembershipApplication.type_name)
    item.title, item.city = f"{title} {city.name_de}", city
    item.economic_data = "BIP 50 Mrd. EUR"
    return content.create_item(editor, item)


def circulated(users, city):
    """An application for `city`, circulated to the member cities."""
    with_app = apply(users["editor"], city)
    return engine.fire(users["editor"], with_app, "circulate")


def stored(item):
    return Content.objects.get(pk=item.pk)


def test_circulating_freezes_the_members_of_that_moment_and_makes_the_city_an_applicant(users, hannover, city):
    item = circulated(users, hannover)
    consulted = {reference.name_de for reference in item.consulted_cities}
    assert consulted == set(FOUNDING_MEMBERS)
    assert MemberCity.objects.get(pk=hannover.pk).status == "applicant"
    change = MemberCity.objects.get(pk=hannover.pk).status_history[-1]
    assert (change.previous, change.status, change.item) == ("requested", "applicant", item.pk)
    # A city becoming a member later is not asked: the set stays as circulated.
    MemberCity.change_status(city("Bonn").pk, "requested", "member")
    assert len(stored(item).consulted_cities) == len(FOUNDING_MEMBERS)
    assert city("Bonn").pk not in consents.missing_cities(stored(item))


def test_an_applicant_that_is_already_a_member_is_refused(users, city):
    with pytest.raises(Invalid):
        apply(users["editor"], city("Aachen"))
    # Entered while it was requested, circulated once it is a member: the circulation refuses it.
    bonn = city("Bonn")
    item = apply(users["editor"], bonn)
    MemberCity.change_status(bonn.pk, "requested", "member")
    with pytest.raises(NotPossible):
        engine.fire(users["editor"], item, "circulate")
    assert stored(item).state == "received"


def test_two_applications_of_one_city_are_not_decided_at_once(users, hannover):
    first = apply(users["editor"], hannover)
    second = apply(users["editor"], hannover, "Zweiter Antrag")
    engine.fire(users["editor"], first, "circulate")
    with pytest.raises(NotPossible):
        engine.fire(users["editor"], second, "circulate")


def decide_all(item, representatives, answer="consent", names=FOUNDING_MEMBERS):
    for name in names:
        consents.record_decision(representatives[name], stored(item), answer, f"{name}: ja")


def test_unanimity_over_every_consulted_city_accepts_exactly_once(users, hannover, representatives):
    item = circulated(users, hannover)
    decide_all(item, representatives, names=FOUNDING_MEMBERS[:-1])
    assert stored(item).state == "consultation"
    assert [str(city) for city in consents.missing_cities(stored(item))] == [
        str(MemberCity.objects.get(name_de="Wuppertal").pk)
    ]
    decide_all(item, representatives, names=FOUNDING_MEMBERS[-1:])
    accepted = stored(item)
    assert accepted.state == "accepted"
    assert [entry.transition for entry in accepted.history] == ["circulate", "accept"]
    assert consents.missing_cities(accepted) == []


def test_one_objection_rejects_and_records_the_objecting_city(users, hannover, representatives, city):
    item = circulated(users, hannover)
    decide_all(item, representatives, names=FOUNDING_MEMBERS[:3])
    consents.record_decision(representatives["Aachen"], stored(item), "object", "Keine Industriestadt")
    rejected = stored(item)
    assert rejected.state == "rejected" and rejected.objecting_city.pk == city("Aachen").pk
    # The city is given back the status it had before applying.
    assert MemberCity.objects.get(pk=hannover.pk).status == "requested"
    # Nobody decides any more on a decided application.
    with pytest.raises(NotAllowed):
        consents.record_decision(representatives["Wuppertal"], rejected, "consent")


# Who may decide, as a table: (who, setup, refusal). Nothing is recorded for a refused decision.
def _excluded(representatives, city):
    MemberCity.change_status(city("Jiangmen").pk, "member", "excluded")
    return representatives["Jiangmen"]


def _withdrawn(representatives, city):
    MemberCity.change_status(city("Yunfu").pk, "member", "withdrawn")
    return representatives["Yunfu"]


def _not_consulted(representatives, city):
    # Bonn became a member after the circulation: not in the frozen set.
    MemberCity.change_status(city("Bonn").pk, "requested", "member")
    return create_account("rep.bonn@test.example", PASSWORD, ["member"], city=city("Bonn"))


REFUSED = {
    "a representative of an excluded city": _excluded,
    "a representative of a withdrawn city": _withdrawn,
    "a city outside the frozen set": _not_consulted,
}


@pytest.mark.parametrize("case", REFUSED)
def test_who_may_not_decide(case, users, hannover, representatives, city):
    item = circulated(users, hannover)
    person = REFUSED[case](representatives, city)
    assert not decision_requested(person, stored(item))
    with pytest.raises(NotAllowed):
        consents.record_decision(person, stored(item), "consent")
    assert ConsentDecision.objects(application=item.pk).count() == 0


@pytest.mark.parametrize("role", ["editor", "admin", "reviewer", "approver"])
def test_staff_decide_for_no_city(role, users, hannover):
    item = circulated(users, hannover)
    with pytest.raises(NotAllowed):
        consents.record_decision(users[role], stored(item), "consent")
    assert ConsentDecision.objects(application=item.pk).count() == 0


def test_a_city_decides_once(users, hannover, representatives):
    item = circulated(users, hannover)
    consents.record_decision(representatives["Foshan"], stored(item), "consent", "同意")
    assert not decision_requested(representatives["Foshan"], stored(item))
    # A second decision of the same city, by the same or another representative, and even a changed mind: refused.
    colleague = representatives["Foshan"].__class__.objects.get(pk=representatives["Foshan"].pk)
    for person, answer in ((representatives["Foshan"], "consent"), (colleague, "object")):
        with pytest.raises(Conflict):
            consents.record_decision(person, stored(item), answer)
    decisions = ConsentDecision.objects(application=item.pk)
    assert decisions.count() == 1 and decisions.first().decision == "consent" and stored(item).state == "consultation"


def test_the_database_refuses_a_second_decision_written_at_the_same_moment(users, hannover, representatives):
    item = circulated(users, hannover)
    foshan = representatives["Foshan"].city
    ConsentDecision(application=item.pk, city=foshan, decision="consent").insert()
    with pytest.raises(Conflict):
        ConsentDecision(application=item.pk, city=foshan, decision="object").insert()


def test_a_representative_decides_only_for_their_own_city(users, hannover, representatives, city):
    item = circulated(users, hannover)
    consents.record_decision(representatives["Aachen"], stored(item), "consent")
    decision = ConsentDecision.objects.get(application=item.pk)
    assert decision.city.pk == city("Aachen").pk and decision.decided_by.pk == representatives["Aachen"].pk
    assert city("Foshan").pk in consents.missing_cities(stored(item))


@pytest.mark.parametrize("answer", ["yes", "", None, "fallen_away", 1])
def test_only_consent_or_objection_is_an_answer(answer, users, hannover, representatives):
    item = circulated(users, hannover)
    with pytest.raises(Invalid):
        consents.record_decision(representatives["Foshan"], stored(item), answer)
    assert ConsentDecision.objects(application=item.pk).count() == 0


@pytest.mark.parametrize("run", range(3))
def test_concurrent_last_consents_accept_exactly_once_never_stuck(run, users, hannover, representatives):
    """The last four cities consent at the same moment: accepted, exactly one `accept` in the history."""
    item = circulated(users, hannover)
    decide_all(item, representatives, names=FOUNDING_MEMBERS[:-4])
    outcomes, start = [], threading.Barrier(4)

    def consent(name):
        start.wait()
        try:
            consents.record_decision(representatives[name], stored(item), "consent")
            outcomes.append("recorded")
        except Exception as error:  # noqa: BLE001  (any failure is the test's failure)
            outcomes.append(repr(error))

    threads = [threading.Thread(target=consent, args=(name,)) for name in FOUNDING_MEMBERS[-4:]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["recorded"] * 4
    accepted = stored(item)
    assert accepted.state == "accepted"
    assert [entry.transition for entry in accepted.history].count("accept") == 1


def test_a_decision_recorded_but_not_settled_is_settled_by_the_repair(users, hannover, representatives):
    """A process killed between the last decision and the step: the repair fires it."""
    item = circulated(users, hannover)
    for name in FOUNDING_MEMBERS:
        ConsentDecision(application=item.pk, city=representatives[name].city, decision="consent").insert()
    assert stored(item).state == "consultation"
    assert consents.settle_open() == [str(item.pk)]
    assert stored(item).state == "accepted"
    assert consents.settle_open() == []


def test_the_worklist_asks_each_consulted_city_until_it_decided(users, hannover, representatives):
    from workflows.policy import worklist_query

    item = circulated(users, hannover)
    waiting = lambda person: Content.objects(__raw__=worklist_query(person)).filter(pk=item.pk).count()  # noqa: E731
    assert waiting(representatives["Foshan"]) == 1 and waiting(representatives["Aachen"]) == 1
    consents.record_decision(representatives["Foshan"], stored(item), "consent")
    assert waiting(representatives["Foshan"]) == 0 and waiting(representatives["Aachen"]) == 1


def test_a_city_leaving_before_deciding_falls_away_and_does_not_block(users, hannover, representatives, city):
    item = circulated(users, hannover)
    decide_all(item, representatives, names=FOUNDING_MEMBERS[:-1])
    MemberCity.change_status(city("Wuppertal").pk, "member", "withdrawn")
    assert consents.decisions_fall_away(city("Wuppertal").pk, "Austritt") == [str(item.pk)]
    assert stored(item).state == "accepted"


def test_a_completed_withdrawal_lets_the_city_s_missing_decision_fall_away(
    users, hannover, representatives, city, create_item
):
    from tests.workflow_helpers import force_state
    from workflows import engine

    item = circulated(users, hannover)
    decide_all(item, representatives, names=FOUNDING_MEMBERS[:-1])
    withdrawal = create_item("withdrawal", owner=users["editor"], title="Austritt", city=city("Wuppertal"))
    engine.fire(users["editor"], force_state(withdrawal, "informed"), "complete")

    assert city("Wuppertal").status == "withdrawn"
    assert stored(item).state == "accepted"


def test_staff_remind_the_missing_cities_and_it_is_recorded(users, hannover, representatives, city):
    item = circulated(users, hannover)
    decide_all(item, representatives, names=FOUNDING_MEMBERS[:-2])
    with pytest.raises(NotAllowed):
        consents.send_reminder(representatives["Foshan"], stored(item))
    reminder = consents.send_reminder(users["editor"], stored(item))
    assert {c.name_de for c in reminder.cities} == {"Osnabrück", "Wuppertal"}
    assert Reminder.objects(application=item.pk).count() == 1
    assert AuditEntry.objects(event="consent_reminder_sent").first().facts["cities"] == ["Osnabrück", "Wuppertal"]
