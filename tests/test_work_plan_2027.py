"""The 2027 work plan from draft through review and the meeting to the member area, in the admin and the API."""

from content_types import Meeting, WorkPlan
from tests.conftest import Browser, logged_in, state_of


def _press(client, type_name, item, transition, **fields):
    token = Browser(client).form_token("/en/")
    return client.post(
        f"/admin/content_{type_name}/fire/",
        data={"csrf_token": token, "id": str(item.pk), "transition": transition, **fields},
    )


BASE = "/api/v1/content"


def _fire(api, user, item_id, transition, **body):
    return api.call("POST", f"{BASE}/{item_id}/workflow/{transition}", user, json=body)


def test_the_2027_work_plan_through_the_admin(app, users, city):
    editor, reviewer, approver, member = (
        logged_in(app, users[r]) for r in ("editor", "reviewer", "approver", "member")
    )
    token = Browser(editor).form_token("/admin/content_meeting/new/")
    editor.post(
        "/admin/content_meeting/new/",
        data={
            "csrf_token": token,
            "title": "Halbjahrestreffen 2026 Aachen",
            "language": "de",
            "year": "2026",
            "half": "2",
            "starts_on": "2026-07-02",
            "host_city": str(city("Aachen").pk),
        },
    )
    meeting = Meeting.objects.get(title="Halbjahrestreffen 2026 Aachen")
    token = Browser(editor).form_token("/admin/content_work_plan/new/")
    editor.post(
        "/admin/content_work_plan/new/",
        data={"csrf_token": token, "title": "Arbeitsplan 2027", "language": "de", "year": "2027"},
    )
    plan = WorkPlan.objects.get(title="Arbeitsplan 2027")

    assert _press(reviewer, "work_plan", plan, "submit").status_code == 403 and state_of(plan) == "draft"
    page = editor.get(f"/admin/content_work_plan/workflow/?id={plan.pk}").get_data(as_text=True)
    assert 'value="submit"' in page and 'value="publish"' not in page
    _press(editor, "work_plan", plan, "submit")
    assert state_of(plan) == "in_review"

    page = reviewer.get(f"/admin/content_work_plan/workflow/?id={plan.pk}").get_data(as_text=True)
    assert 'value="accept"' in page and "Halbjahrestreffen 2026 Aachen" in page  # the meeting chooser
    _press(reviewer, "work_plan", plan, "accept")  # no meeting chosen
    assert state_of(plan) == "in_review"
    _press(reviewer, "work_plan", plan, "accept", meeting_id=str(meeting.pk))
    assert state_of(plan) == "on_agenda"

    _press(approver, "work_plan", plan, "approve")
    assert state_of(plan) == "on_agenda"  # the meeting has not been held
    _press(editor, "meeting", meeting, "announce")
    _press(editor, "meeting", meeting, "hold")
    assert state_of(meeting) == "held"
    _press(editor, "work_plan", plan, "approve")
    assert state_of(plan) == "on_agenda"
    _press(approver, "work_plan", plan, "approve")
    assert state_of(plan) == "approved"
    _press(approver, "work_plan", plan, "publish")
    assert state_of(plan) == "published"

    assert "Arbeitsplan 2027" in member.get("/en/members").get_data(as_text=True)
    assert member.get(f"/en/documents/{plan.pk}").status_code == 200
    history = approver.get(f"/admin/content_work_plan/workflow/?id={plan.pk}").get_data(as_text=True)
    # Steps are named by their titles, as the buttons were, not by their triggers.
    for step in ("Submit for review", "Put on the agenda", "Record the meeting&#39;s approval", "Publish"):
        assert f"<td>{step}</td>" in history
    assert "<td>submit</td>" not in history


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
    assert workflow["history"] == [] and workflow["transitions"] == []  # the past is the staff's
    workflow = api.call("GET", f"{BASE}/{plan_id}/workflow", approver).get_json()
    assert [step["transition"] for step in workflow["history"]] == ["submit", "accept", "approve", "publish"]
    approve = workflow["history"][2]
    assert (
        approve["meeting_id"] == meeting["id"] and approve["actor"] == str(approver.pk) and approve["at"].endswith("Z")
    )
