"""Firing transitions over HTTP: what the caller may fire, bad names and bodies, CSRF, the audit trail."""

import pytest

from content_types import Content
from tests.conftest import Browser, logged_in, state_of
from tests.workflow_helpers import force_state
from workflows import REGISTRY

BASE = "/api/v1/content"


def _fire(api, user, item_id, transition, **body):
    return api.call("POST", f"{BASE}/{item_id}/workflow/{transition}", user, json=body)


def test_buttons_need_a_csrf_token(app, users, create_item):
    item = create_item("news", owner=users["editor"])
    editor = logged_in(app, users["editor"])
    response = editor.post("/admin/content_news/fire/", data={"id": str(item.pk), "transition": "submit"})
    assert response.status_code == 400 and state_of(item) == "draft"
    assert editor.get(f"/admin/content_news/fire/?id={item.pk}&transition=submit").status_code == 405


def test_the_fire_view_answers_404_for_invisible_items(app, users, create_item):
    item = create_item("news", owner=users["editor"])
    approver_only_sees = force_state(item, "draft")
    client = logged_in(app, users["reviewer"])
    token = Browser(client).form_token("/en/")
    response = client.post("/admin/content_news/fire/", data={"csrf_token": token, "id": "0" * 24, "transition": "x"})
    assert response.status_code == 404
    assert approver_only_sees.pk


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
