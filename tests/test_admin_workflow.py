"""The workflow in the admin: buttons from available_transitions, the 2027 work plan end to end."""

import pytest

from content_types import Content, Meeting, WorkPlan
from tests.conftest import Browser
from tests.workflow_helpers import force_state


def _as(app, user):
    client = app.test_client()
    Browser(client).login(user.email)
    return client


def _press(client, type_name, item, transition, **fields):
    token = Browser(client).form_token("/en/")
    return client.post(
        f"/admin/content_{type_name}/fire/",
        data={"csrf_token": token, "id": str(item.pk), "transition": transition, **fields},
    )


def _state(item):
    return Content.objects.get(pk=item.pk).state


def test_the_2027_work_plan_through_the_admin(app, users, city):
    editor, reviewer, approver, member = (_as(app, users[r]) for r in ("editor", "reviewer", "approver", "member"))
    token = Browser(editor).form_token("/admin/content_meeting/new/")
    editor.post(
        "/admin/content_meeting/new/",
        data={
            "csrf_token": token,
            "title": "Halbjahrestreffen 2026 Aachen",
            "language": "de",
            "year": "2026",
            "half": "2",
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

    assert _press(reviewer, "work_plan", plan, "submit").status_code == 403 and _state(plan) == "draft"
    page = editor.get(f"/admin/content_work_plan/workflow/?id={plan.pk}").get_data(as_text=True)
    assert 'value="submit"' in page and 'value="publish"' not in page
    _press(editor, "work_plan", plan, "submit")
    assert _state(plan) == "in_review"

    page = reviewer.get(f"/admin/content_work_plan/workflow/?id={plan.pk}").get_data(as_text=True)
    assert 'value="accept"' in page and "Halbjahrestreffen 2026 Aachen" in page  # the meeting chooser
    _press(reviewer, "work_plan", plan, "accept")  # no meeting chosen
    assert _state(plan) == "in_review"
    _press(reviewer, "work_plan", plan, "accept", meeting_id=str(meeting.pk))
    assert _state(plan) == "on_agenda"

    _press(approver, "work_plan", plan, "approve")
    assert _state(plan) == "on_agenda"  # the meeting has not been held
    _press(editor, "meeting", meeting, "announce")
    _press(editor, "meeting", meeting, "hold")
    assert _state(meeting) == "held"
    _press(editor, "work_plan", plan, "approve")
    assert _state(plan) == "on_agenda"
    _press(approver, "work_plan", plan, "approve")
    assert _state(plan) == "approved"
    _press(approver, "work_plan", plan, "publish")
    assert _state(plan) == "published"

    assert "Arbeitsplan 2027" in member.get("/en/members").get_data(as_text=True)
    assert member.get(f"/en/documents/{plan.pk}").status_code == 200
    history = approver.get(f"/admin/content_work_plan/workflow/?id={plan.pk}").get_data(as_text=True)
    # Steps are named by their titles, as the buttons were, not by their triggers.
    for step in ("Submit for review", "Put on the agenda", "Record the meeting&#39;s approval", "Publish"):
        assert f"<td>{step}</td>" in history
    assert "<td>submit</td>" not in history


def test_buttons_need_a_csrf_token(app, users, create_item):
    item = create_item("news", owner=users["editor"])
    editor = _as(app, users["editor"])
    response = editor.post("/admin/content_news/fire/", data={"id": str(item.pk), "transition": "submit"})
    assert response.status_code == 400 and _state(item) == "draft"
    assert editor.get(f"/admin/content_news/fire/?id={item.pk}&transition=submit").status_code == 405


def test_the_fire_view_answers_404_for_invisible_items(app, users, create_item):
    item = create_item("news", owner=users["editor"])
    approver_only_sees = force_state(item, "draft")
    client = _as(app, users["reviewer"])
    token = Browser(client).form_token("/en/")
    response = client.post("/admin/content_news/fire/", data={"csrf_token": token, "id": "0" * 24, "transition": "x"})
    assert response.status_code == 404
    assert approver_only_sees.pk


def test_the_worklist_page(app, users, create_item):
    force_state(create_item("news", owner=users["editor"], title="Wartet auf Prüfung"), "in_review")
    reviewer = _as(app, users["reviewer"])
    assert "Wartet auf Prüfung" in reviewer.get("/admin/worklist/").get_data(as_text=True)
    approver = _as(app, users["approver"])
    assert "Wartet auf Prüfung" not in approver.get("/admin/worklist/").get_data(as_text=True)


def test_the_diagrams_highlight_the_current_state(app, users, create_item):
    item = force_state(create_item("work_plan", owner=users["editor"]), "on_agenda")
    page = _as(app, users["editor"]).get(f"/admin/content_work_plan/workflow/?id={item.pk}").get_data(as_text=True)
    assert "<svg" in page and 'font-weight="bold" fill="#ffffff">On the meeting&#39;s agenda' in page
    overview = _as(app, users["reviewer"]).get("/admin/workflows/").get_data(as_text=True)
    assert overview.count("<svg") == 3


@pytest.mark.parametrize("role, status", [("admin", 200), ("editor", 403), ("member", 403)])
def test_the_audit_log_is_for_admins_and_read_only(app, users, role, status):
    client = _as(app, users[role])
    assert client.get("/admin/audit/").status_code == status
    if role == "admin":
        page = client.get("/admin/audit/").get_data(as_text=True)
        assert "login" in page
        assert client.get("/admin/audit/new/").status_code == 302
        assert client.get("/admin/audit/edit/?id=000000000000000000000000").status_code == 302
