"""Proposals (Vorschlagsrecht): a member city's representative proposes; the author and staff see it, no other city."""

import pytest

from content_types import AuditEntry, Proposal
from tests.conftest import Api, Browser, csrf_token_from
from workflows import engine
from workflows.permissions import PROPOSE, VIEW
from workflows.policy import can


def _client(app, user):
    client = app.test_client()
    Browser(client).login(user.email)
    return client


def _send(app, user, title="Seminar zur Wasserstoffwirtschaft", kind="event"):
    client = _client(app, user)
    token = csrf_token_from(client.get("/de/members/proposals").get_data(as_text=True))
    return client.post("/de/members/proposals", data={"csrf_token": token, "kind": kind, "title": title, "body": "x"})


def test_a_representative_sends_a_proposal_that_enters_the_secretariats_review(app, users, city):
    assert _send(app, users["member"]).status_code == 303
    proposal = Proposal.objects.get()
    assert proposal.state == "in_review" and proposal.kind == "event"
    assert proposal.owner.pk == users["member"].pk and proposal.city.pk == city("Foshan").pk
    assert AuditEntry.objects(event="proposal_sent", actor_email=users["member"].email).count() == 1


# Who sees a proposal of Foshan's representative: (user, sees).
VIEWERS = [
    ("member", True),  # its author
    ("member_b", False),  # another city's representative
    ("editor", True),
    ("reviewer", True),
    ("approver", True),
    ("admin", True),
    (None, False),
]


@pytest.mark.parametrize(("who", "sees"), VIEWERS)
def test_who_sees_a_proposal(app, users, who, sees):
    _send(app, users["member"])
    proposal = Proposal.objects.get()
    user = users[who] if who else None
    assert can(user, VIEW, proposal) is sees
    if who in ("member", "member_b"):
        page = _client(app, user).get("/de/members/proposals").get_data(as_text=True)
        assert ("Seminar zur Wasserstoffwirtschaft" in page) is sees
    # The API's lists ask the same policy.
    items = Api(app.test_client()).call("GET", "/api/v1/content?type=proposal", user).get_json()["items"]
    assert ([item["id"] for item in items] == [str(proposal.pk)]) is sees


def test_only_representatives_of_member_cities_propose(app, users, create_user):
    assert can(users["member"], PROPOSE) and not can(users["editor"], PROPOSE)
    excluded = create_user("member", city_name="Bonn")  # Bonn is only asked to join
    assert _client(app, excluded).get("/de/members/proposals").status_code == 403
    assert _client(app, users["editor"]).get("/de/members/proposals").status_code == 403
    assert Proposal.objects.count() == 0


def test_a_proposal_without_a_title_is_refused_and_nothing_is_stored(app, users):
    assert _send(app, users["member"], title="").status_code == 422
    assert _send(app, users["member"], kind="coup").status_code == 422
    assert Proposal.objects.count() == 0


def test_the_secretariat_declines_with_a_reason_the_author_reads(app, users):
    _send(app, users["member"])
    proposal = Proposal.objects.get()
    assert [t["trigger"] for t in engine.available_transitions(users["member"], proposal)] == []
    assert {t["trigger"] for t in engine.available_transitions(users["editor"], proposal)} == {"take_up", "decline"}
    engine.fire(users["editor"], proposal, "decline", {"comment": "Schon im Arbeitsplan 2027"})
    page = _client(app, users["member"]).get("/de/members/proposals").get_data(as_text=True)
    assert "Schon im Arbeitsplan 2027" in page
