"""Leaving the alliance (seed V): a city's withdrawal, and its exclusion decided at a held meeting."""

import pytest

from cms import listing
from cms.operations import consents
from content_types import Circular, Content, ExclusionMotion, MemberCity, Withdrawal
from tests.conftest import state_of
from tests.workflow_helpers import force_state

WITHDRAWAL_TEXT = "Die Stadt Foshan erklärt hiermit ihren Austritt aus der Allianz."


def _file_withdrawal(api, user, city, **fields):
    body = {"type": "withdrawal", "title": "Austritt", "city": str(city.pk), "body": WITHDRAWAL_TEXT, **fields}
    return api.call("POST", "/api/v1/content", user, json=body)


def _fire(api, user, item_id, transition, **inputs):
    return api.call("POST", f"/api/v1/content/{item_id}/workflow/{transition}", user, json=inputs)


@pytest.fixture
def fallen_away(monkeypatch):
    """Record the calls of the hook that lets a leaving city's open decisions fall away."""
    calls = []
    monkeypatch.setattr(consents, "decisions_fall_away", lambda city_id, reason: calls.append(city_id))
    return calls


def test_a_withdrawing_city_leaves_the_registry_with_its_date(api, users, city, fallen_away):
    foshan = city("Foshan")
    filed = _file_withdrawal(api, users["member"], foshan, requested_on="2026-11-20")
    assert filed.status_code == 201, filed.get_json()
    withdrawal = filed.get_json()
    assert withdrawal["state"] == "requested" and withdrawal["city"] == str(foshan.pk)
    # The representative sees what they filed; nothing they can fire themselves.
    assert _fire(api, users["member"], withdrawal["id"], "inform").status_code == 403

    informed = _fire(api, users["editor"], withdrawal["id"], "inform")
    assert informed.status_code == 200, informed.get_json()
    assert informed.get_json()["state"] == "informed"
    circular = Circular.objects.get(encloses=Withdrawal.objects.get(pk=withdrawal["id"]).pk)
    members = set(MemberCity.objects(status="member").scalar("pk"))
    assert circular.state == "published" and set(c.pk for c in circular.sent_to) == members
    assert foshan.pk in members and "Foshan" in circular.title
    assert Withdrawal.objects.get(pk=withdrawal["id"]).circular_number == circular.number
    # Informed, the city is still a member until the withdrawal is completed.
    assert MemberCity.objects.get(pk=foshan.pk).status == "member"

    done = _fire(api, users["editor"], withdrawal["id"], "complete")
    assert done.status_code == 200, done.get_json()
    stored = Withdrawal.objects.get(pk=withdrawal["id"])
    left = MemberCity.objects.get(pk=foshan.pk)
    assert stored.state == "completed" and stored.left_on is not None
    assert left.status == "withdrawn"
    change = left.status_history[-1]
    assert (change.previous, change.status, change.item, change.item_type) == (
        "member",
        "withdrawn",
        stored.pk,
        "withdrawal",
    )
    assert change.at == stored.left_on
    assert fallen_away == [foshan.pk]
    # Withdrawn, its representative has no member rights any more, not even to file again.
    assert _file_withdrawal(api, users["member"], foshan).status_code == 403


def test_a_representative_cannot_withdraw_another_city(api, users, city):
    aachen = city("Aachen")
    refused = _file_withdrawal(api, users["member"], aachen)
    assert refused.status_code == 403
    assert Withdrawal.objects.count() == 0
    assert MemberCity.objects.get(pk=aachen.pk).status == "member"
    assert not MemberCity.objects.get(pk=aachen.pk).status_history


def test_a_representative_files_no_other_type(api, users):
    body = {"type": "news", "title": "Nachricht"}
    assert api.call("POST", "/api/v1/content", users["member"], json=body).status_code == 403
    assert Content.objects.count() == 0


def test_the_secretariat_records_a_received_letter_for_any_member_city(api, users, city):
    filed = _file_withdrawal(api, users["editor"], city("Aachen"), requested_on="2026-11-02")
    assert filed.status_code == 201
    assert filed.get_json()["requested_on"] == "2026-11-02"
    # The letter goes with it as an attachment (staff may change it while it is only requested).
    assert "attach" in filed.get_json()["allowed_actions"]


def test_only_a_member_city_can_withdraw(api, users, city):
    refused = _file_withdrawal(api, users["editor"], city("Dortmund"))
    assert refused.status_code == 422
    assert "city" in refused.get_json()["error"]["details"]
    assert Withdrawal.objects.count() == 0


def test_a_withdrawal_is_not_completed_for_a_city_that_left_meanwhile(api, users, city, create_item, fallen_away):
    aachen = city("Aachen")
    withdrawal = force_state(create_item("withdrawal", owner=users["editor"], city=aachen), "informed")
    assert MemberCity.change_status(aachen.pk, "member", "excluded", reason="test")
    refused = _fire(api, users["editor"], str(withdrawal.pk), "complete")
    assert refused.status_code == 422
    assert state_of(withdrawal) == "informed" and MemberCity.objects.get(pk=aachen.pk).status == "excluded"
    assert fallen_away == []


def test_the_repair_redoes_a_status_change_a_crash_left_undone_and_only_once(
    api, users, city, create_item, monkeypatch
):
    from cms.operations import cities
    from workflows import effects

    aachen = city("Aachen")
    withdrawal = force_state(create_item("withdrawal", owner=users["editor"], city=aachen), "informed")
    # The process dies after the step is committed, before the city's status follows.
    monkeypatch.setitem(effects.FOLLOW_UPS, "withdraw_city", lambda step: None)
    assert _fire(api, users["editor"], str(withdrawal.pk), "complete").status_code == 200
    assert MemberCity.objects.get(pk=aachen.pk).status == "member"
    monkeypatch.undo()

    assert cities.repair_city_statuses() == [str(withdrawal.pk)]
    repaired = MemberCity.objects.get(pk=aachen.pk)
    assert repaired.status == "withdrawn" and repaired.status_history[-1].item == withdrawal.pk
    # Run again, or with the city readmitted since: nothing is redone.
    assert cities.repair_city_statuses() == []
    MemberCity.change_status(aachen.pk, "withdrawn", "member", reason="readmitted")
    assert cities.repair_city_statuses() == [] and MemberCity.objects.get(pk=aachen.pk).status == "member"


# Exclusion


@pytest.fixture
def meeting(create_item, city, users):
    """An announced meeting in the second half of 2026, hosted by Wuppertal."""
    item = create_item("meeting", owner=users["editor"], year=2026, half=2, host_city=city("Wuppertal"))
    return force_state(item, "announced")


@pytest.fixture
def motion_on_agenda(api, users, city, meeting):
    """A motion to exclude Aachen, proposed with reasons and put on the meeting's agenda; returns its id."""
    proposed = api.call(
        "POST",
        "/api/v1/content",
        users["editor"],
        json={
            "type": "exclusion_motion",
            "title": "Ausschluss Aachens",
            "city": str(city("Aachen").pk),
            "reasons": "Keine Kontaktstelle benannt, seit zwei Jahren keine Teilnahme.",
        },
    )
    assert proposed.status_code == 201, proposed.get_json()
    motion_id = proposed.get_json()["id"]
    accepted = _fire(api, users["editor"], motion_id, "put_on_agenda", meeting_id=str(meeting.pk))
    assert accepted.status_code == 200, accepted.get_json()
    return motion_id


def test_a_motion_needs_reasons(api, users, city):
    body = {"type": "exclusion_motion", "title": "Ausschluss", "city": str(city("Aachen").pk), "reasons": "  "}
    refused = api.call("POST", "/api/v1/content", users["editor"], json=body)
    assert refused.status_code == 422 and "reasons" in refused.get_json()["error"]["details"]
    assert ExclusionMotion.objects.count() == 0


def test_exclusion_cannot_be_decided_before_the_meeting_is_held(api, users, city, motion_on_agenda):
    refused = _fire(api, users["approver"], motion_on_agenda, "exclude", comment="Ausgeschlossen.")
    assert refused.status_code == 422
    assert ExclusionMotion.objects.get(pk=motion_on_agenda).state == "on_agenda"
    assert MemberCity.objects.get(name_de="Aachen").status == "member"
    # Not offered either, before the meeting.
    shown = api.call("GET", f"/api/v1/content/{motion_on_agenda}", users["approver"]).get_json()
    assert "exclude" not in shown["allowed_transitions"]


def test_excluded_at_a_held_meeting_the_representatives_lose_member_rights_at_once(
    api, users, city, create_item, meeting, motion_on_agenda, fallen_away
):
    aachen = city("Aachen")
    member_only = force_state(create_item("work_plan", owner=users["editor"]), "published")
    path = f"/api/v1/content/{member_only.pk}"
    assert api.call("GET", path, users["member_b"]).status_code == 200
    force_state(meeting, "held")

    decided = _fire(api, users["approver"], motion_on_agenda, "exclude", comment="Mit allen Stimmen ausgeschlossen.")
    assert decided.status_code == 200, decided.get_json()
    motion = ExclusionMotion.objects.get(pk=motion_on_agenda)
    assert motion.state == "excluded" and motion.decision_text == "Mit allen Stimmen ausgeschlossen."
    excluded = MemberCity.objects.get(pk=aachen.pk)
    assert excluded.status == "excluded"
    change = excluded.status_history[-1]
    assert (change.item, change.item_type, change.at) == (motion.pk, "exclusion_motion", motion.decided_at)
    assert fallen_away == [aachen.pk]
    # The very next request of Aachen's representative has no member rights: member-only items are not found.
    assert api.call("GET", path, users["member_b"]).status_code == 404
    listed = api.call("GET", "/api/v1/content?type=work_plan", users["member_b"]).get_json()
    assert listed["items"] == []
    # Foshan's representative keeps theirs.
    assert api.call("GET", path, users["member"]).status_code == 200


def test_the_meeting_records_its_decision(api, users, meeting, motion_on_agenda):
    force_state(meeting, "held")
    assert _fire(api, users["approver"], motion_on_agenda, "keep", comment="Nicht ausgeschlossen.").status_code == 200
    entries = listing.meeting_documents(users["editor"], Content.objects.get(pk=meeting.pk))
    recorded = [entry for entry in entries if entry["item"] is not None and str(entry["item"].pk) == motion_on_agenda]
    assert len(recorded) == 1
    assert str(recorded[0]["decision"]) == "Record the meeting's decision: not excluded"
    history = ExclusionMotion.objects.get(pk=motion_on_agenda).history[-1]
    assert history.comment == "Nicht ausgeschlossen." and history.meeting.pk == meeting.pk


def test_not_excluded_leaves_the_city_a_member_and_a_second_decision_is_refused(
    api, users, city, meeting, motion_on_agenda, fallen_away
):
    force_state(meeting, "held")
    kept = _fire(api, users["approver"], motion_on_agenda, "keep", comment="Die Mitglieder lehnen den Ausschluss ab.")
    assert kept.status_code == 200
    assert kept.get_json()["state"] == "not_excluded"
    aachen = MemberCity.objects.get(name_de="Aachen")
    assert aachen.status == "member" and not aachen.status_history
    for transition in ("exclude", "keep"):
        again = _fire(api, users["approver"], motion_on_agenda, transition, comment="Doch.")
        assert again.status_code == 422
    assert ExclusionMotion.objects.get(pk=motion_on_agenda).state == "not_excluded"
    assert MemberCity.objects.get(name_de="Aachen").status == "member"
    assert fallen_away == []


def test_a_decision_needs_its_text(api, users, meeting, motion_on_agenda):
    force_state(meeting, "held")
    refused = _fire(api, users["approver"], motion_on_agenda, "exclude")
    assert refused.status_code == 422
    assert MemberCity.objects.get(name_de="Aachen").status == "member"


def test_a_representative_cannot_decide_an_exclusion(api, users, meeting, motion_on_agenda):
    force_state(meeting, "held")
    # Motions are the secretariat's until decided: to a representative the motion does not exist.
    assert _fire(api, users["member"], motion_on_agenda, "exclude", comment="x").status_code == 404
    assert ExclusionMotion.objects.get(pk=motion_on_agenda).state == "on_agenda"


def test_a_motion_goes_only_on_an_upcoming_meeting(api, users, city, meeting, create_item):
    motion = create_item("exclusion_motion", owner=users["editor"], city=city("Aachen"), reasons="Pflichten verletzt")
    force_state(meeting, "held")
    refused = _fire(api, users["editor"], str(motion.pk), "put_on_agenda", meeting_id=str(meeting.pk))
    assert refused.status_code == 422
    assert state_of(motion) == "proposed"
