"""What waits for whom (the worklist), the workflow diagrams, and the audit log."""

import pytest

from content_types.audit import AuditEntry
from tests.conftest import logged_in
from tests.workflow_helpers import force_state

BASE = "/api/v1/content"


def _fire(api, user, item_id, transition, **body):
    return api.call("POST", f"{BASE}/{item_id}/workflow/{transition}", user, json=body)


def test_the_worklist_page(app, users, create_item):
    force_state(create_item("news", owner=users["editor"], title="Wartet auf Prüfung"), "in_review")
    reviewer = logged_in(app, users["reviewer"])
    assert "Wartet auf Prüfung" in reviewer.get("/admin/worklist/").get_data(as_text=True)
    approver = logged_in(app, users["approver"])
    assert "Wartet auf Prüfung" not in approver.get("/admin/worklist/").get_data(as_text=True)


def test_the_diagrams_highlight_the_current_state(app, users, create_item):
    item = force_state(create_item("work_plan", owner=users["editor"]), "on_agenda")
    page = (
        logged_in(app, users["editor"]).get(f"/admin/content_work_plan/workflow/?id={item.pk}").get_data(as_text=True)
    )
    assert "<svg" in page and 'font-weight="bold" fill="#ffffff">On the meeting&#39;s agenda' in page
    overview = logged_in(app, users["reviewer"]).get("/admin/workflows/").get_data(as_text=True)
    assert overview.count("<svg") == 3


@pytest.mark.parametrize("role, status", [("admin", 200), ("editor", 403), ("member", 403)])
def test_the_audit_log_is_for_admins_and_read_only(app, users, role, status):
    client = logged_in(app, users[role])
    assert client.get("/admin/audit/").status_code == status
    if role == "admin":
        page = client.get("/admin/audit/").get_data(as_text=True)
        assert "login" in page
        assert client.get("/admin/audit/new/").status_code == 302
        assert client.get("/admin/audit/edit/?id=000000000000000000000000").status_code == 302


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


def test_the_audit_log_is_worded_in_the_reader_s_language(app, api, users, create_item):
    from flask_babel import force_locale

    from cms.labels import ACCOUNT_LABELS
    from workflows import state_title, transition_title

    item = create_item("news", owner=users["editor"], title="Neuigkeit")
    assert _fire(api, users["editor"], item.pk, "submit", comment="Bitte prüfen").status_code == 200
    api.call("PATCH", f"/api/v1/users/{users['member'].pk}", users["admin"], json={"roles": ["member", "editor"]})
    users["admin"].update(set__language="zh")

    page = logged_in(app, users["admin"]).get("/admin/audit/").get_data(as_text=True)

    with app.test_request_context(), force_locale("zh"):
        words = [str(transition_title("news", "submit")), str(state_title("news", "in_review")), "Bitte prüfen"]
        words += [users["member"].email, str(ACCOUNT_LABELS["roles"])]
    assert all(word in page for word in words), [word for word in words if word not in page]
    assert "in_review" not in page and "account_saved" not in page and ">update<" not in page
