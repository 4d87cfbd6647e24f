"""The workflow through the API: the 2027 work plan from draft to the member area, wrong roles refused."""

import pytest

from content_types import Content
from content_types.audit import AuditEntry
from tests.workflow_helpers import force_state
from workflows import REGISTRY

BASE = "/api/v1/content"


def _fire(api, user, item_id, transition, **body):
    return api.call("POST", f"{BASE}/{item_id}/workflow/{transition}", user, json=body)


def test_the_2027_work_plan_from_draft_to_the_member_area(api, users, city):
    editor, reviewer, approver, member = users["editor"], users["reviewer"], users["approver"], users["member"]
    meeting = api.call(
        "POST",
        BASE,
        editor,
        json={
            "type": "meeting",
            "title": "Halbjahrestreffen 2026 in Aachen",
            "year": 2026,
            "half": 2,
            "host_city": str(city("Aachen").pk),
            "starts_on": "2026-11-26",
            "ends_on": "2026-11-27",
        },
    ).get_json()
    plan = api.call(
        "POST",
        BASE,
        editor,
        json={"type": "work_plan", "title": "Arbeitsplan 2027", "year": 2027, "topics": ["Industrie 4.0"]},
    ).get_json()
    plan_id = plan["id"]
    assert plan["allowed_transitions"] == ["submit"]

    assert _fire(api, member, plan_id, "submit").status_code == 404  # can't even see it
    assert _fire(api, reviewer, plan_id, "submit").status_code == 403
    assert _fire(api, editor, plan_id, "submit").status_code == 200

    assert _fire(api, editor, plan_id, "accept", meeting_id=meeting["id"]).status_code == 403
    assert _fire(api, reviewer, plan_id, "accept").status_code == 422  # which meeting?
    accepted = _fire(api, reviewer, plan_id, "accept", meeting_id=meeting["id"])
    assert accepted.status_code == 200 and accepted.get_json()["state"] == "on_agenda"

    not_held = _fire(api, approver, plan_id, "approve")
    assert not_held.status_code == 422 and not_held.get_json()["error"]["code"] == "transition_not_possible"
    assert _fire(api, approver, meeting["id"], "announce").status_code == 403  # meetings are the secretariat's
    assert _fire(api, editor, meeting["id"], "announce").status_code == 200
    assert _fire(api, editor, meeting["id"], "hold").status_code == 200

    assert _fire(api, reviewer, plan_id, "approve").status_code == 403
    assert _fire(api, approver, plan_id, "approve").status_code == 200
    assert _fire(api, editor, plan_id, "publish").status_code == 403
    published = _fire(api, approver, plan_id, "publish")
    assert published.status_code == 200 and published.get_json()["state"] == "published"

    seen = api.call("GET", f"{BASE}/{plan_id}", member)
    assert seen.status_code == 200 and seen.get_json()["title"] == "Arbeitsplan 2027"
    listed = api.call("GET", BASE, member, query_string={"type": "work_plan"}).get_json()
    assert [entry["id"] for entry in listed["items"]] == [plan_id]

    workflow = api.call("GET", f"{BASE}/{plan_id}/workflow", member).get_json()
    assert workflow["workflow"] == "meeting_approval" and workflow["state"] == "published"
    assert [step["transition"] for step in workflow["history"]] == ["submit", "accept", "approve", "publish"]
    approve = workflow["history"][2]
    assert (
        approve["meeting_id"] == meeting["id"] and approve["actor"] == str(approver.pk) and approve["at"].endswith("Z")
    )
    assert workflow["transitions"] == []


def test_the_workflow_view_lists_what_the_caller_may_fire(api, users, create_item):
    item = force_state(create_item("work_plan", owner=users["editor"]), "in_review")
    as_reviewer = api.call("GET", f"{BASE}/{item.pk}/workflow", users["reviewer"]).get_json()
    assert {t["id"]: t["needs"] for t in as_reviewer["transitions"]} == {
        "reject": ["comment"],
        "accept": ["meeting_id"],
    }
    as_owner = api.call("GET", f"{BASE}/{item.pk}/workflow", users["editor"]).get_json()
    assert [t["id"] for t in as_owner["transitions"]] == ["retract"]


@pytest.mark.parametrize("name", ["to_published", "__class__", "save", "publish", "nonsense"])
def test_unknown_or_skipped_transitions_are_422(api, users, create_item, name):
    item = create_item("work_plan", owner=users["editor"])
    response = _fire(api, users["admin"], item.pk, name)
    assert response.status_code == 422
    assert Content.objects.get(pk=item.pk).state == "draft"


def test_transition_bodies_are_checked(api, users, create_item):
    item = force_state(create_item("news", owner=users["editor"]), "in_review")
    assert _fire(api, users["reviewer"], item.pk, "reject", comment={"$gt": ""}).status_code == 422
    assert _fire(api, users["reviewer"], item.pk, "reject", comment="x", state="published").status_code == 422
    assert _fire(api, users["reviewer"], item.pk, "reject").status_code == 422
    assert Content.objects.get(pk=item.pk).state == "in_review"


def test_anonymous_callers_cannot_fire(api, create_item, users):
    item = force_state(create_item("news", owner=users["editor"], public=True), "published")
    assert _fire(api, None, item.pk, "archive").status_code == 401


def test_the_worklist_shows_what_waits_for_each_role(api, users, create_item):
    review = force_state(create_item("news", owner=users["editor"], title="Zu prüfen"), "in_review")
    approval = force_state(create_item("work_plan", owner=users["editor"], title="Zu billigen"), "on_agenda")
    force_state(create_item("work_plan", owner=users["editor"], title="Entwurf"), "draft")

    def titles(role):
        return {entry["title"] for entry in api.call("GET", "/api/v1/worklist", users[role]).get_json()["items"]}

    assert titles("reviewer") == {"Zu prüfen"}
    assert titles("approver") == {"Zu billigen"}
    assert titles("member") == set()
    entry = api.call("GET", "/api/v1/worklist", users["reviewer"]).get_json()["items"][0]
    assert entry["id"] == str(review.pk) and {t["id"] for t in entry["waiting_for"]} == {"reject", "publish"}
    assert approval.pk  # the approver's item is the on_agenda one above
    assert api.call("GET", "/api/v1/worklist").status_code == 401


def test_workflows_come_straight_from_the_definitions(client):
    listed = {entry["name"]: entry for entry in client.get("/api/v1/workflows").get_json()["items"]}
    assert set(listed) == set(REGISTRY)
    for name, definition in REGISTRY.items():
        assert [s["name"] for s in listed[name]["states"]] == [s["name"] for s in definition["states"]]
        assert [t["trigger"] for t in listed[name]["transitions"]] == [t["trigger"] for t in definition["transitions"]]
        for served, defined in zip(listed[name]["transitions"], definition["transitions"]):
            assert served["guard"] == sorted(defined["guard"])
    assert listed["meeting_approval"]["types"] == ["concept", "declaration", "mou", "work_plan"]
    draft = listed["meeting_approval"]["states"][0]
    assert "member" not in draft["permissions"]["view"] and "owner" in draft["permissions"]["view"]


def test_history_cannot_be_written_through_the_api(api, users, create_item):
    item = create_item("news", owner=users["editor"])
    _fire(api, users["editor"], item.pk, "submit")
    stored = Content.objects.get(pk=item.pk)
    response = api.call("PATCH", f"{BASE}/{item.pk}", users["admin"], json={"revision": stored.revision, "history": []})
    assert response.status_code == 422
    assert len(Content.objects.get(pk=item.pk).history) == 1
    assert api.call("DELETE", f"{BASE}/{item.pk}/workflow").status_code == 405


def test_transitions_logins_and_refusals_reach_the_audit_log(api, users, create_item):
    item = create_item("news", owner=users["editor"])
    _fire(api, users["reviewer"], item.pk, "submit")
    _fire(api, users["editor"], item.pk, "submit")
    api.client.post("/api/v1/auth/token", json={"email": "nobody@test.example", "password": "x" * 12})
    actions = [(entry.action, entry.actor_email) for entry in AuditEntry.objects.order_by("at")]
    assert ("permission_denied", users["reviewer"].email) in actions
    assert ("transition", users["editor"].email) in actions
    assert ("login_failed", "nobody@test.example") in actions
    assert ("login", users["editor"].email) in actions
