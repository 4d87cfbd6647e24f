"""What waits for whom (the worklist), the workflow diagrams, and the audit log."""

import re

import pytest

from content_types.audit import AuditEntry
from tests.conftest import logged_in
from tests.workflow_helpers import force_state
from workflows import REGISTRY

BASE = "/api/v1/content"


def _fire(api, user, item_id, transition, **body):
    return api.call("POST", f"{BASE}/{item_id}/workflow/{transition}", user, json=body)


def test_the_worklist_page(app, users, create_item):
    force_state(create_item("news", owner=users["editor"], title="Wartet auf Prüfung"), "in_review")
    reviewer = logged_in(app, users["reviewer"])
    assert "Wartet auf Prüfung" in reviewer.get("/admin/worklist/").get_data(as_text=True)
    approver = logged_in(app, users["approver"])
    assert "Wartet auf Prüfung" not in approver.get("/admin/worklist/").get_data(as_text=True)


def test_an_editor_s_worklist_holds_drafts_and_their_own_items_waiting_for_others(app, users, create_item):
    create_item("news", owner=users["admin"], title="Entwurf der Kollegin")
    force_state(create_item("work_plan", owner=users["editor"], title="Mein Plan auf der Tagesordnung"), "on_agenda")
    force_state(create_item("news", owner=users["admin"], title="Fremd in Prüfung"), "in_review")

    page = logged_in(app, users["editor"]).get("/admin/worklist/").get_data(as_text=True)

    waiting, theirs = page.split("Yours, waiting for others")
    assert "Entwurf der Kollegin" in waiting and "Submit for review" in waiting
    assert "Mein Plan auf der Tagesordnung" in theirs and "Approver" in theirs
    # Someone else's item under review waits for reviewers, not for this editor.
    assert "Fremd in Prüfung" not in page


def test_the_workflow_box_says_who_takes_each_next_step(app, users, create_item):
    item = force_state(create_item("work_plan", owner=users["editor"]), "in_review")
    page = (
        logged_in(app, users["editor"]).get(f"/admin/content_work_plan/workflow/?id={item.pk}").get_data(as_text=True)
    )
    steps = page.split("Next steps and who takes them")[1].split("</ul>")[0]
    assert "Put on the agenda: Reviewer" in steps and "Send back: Reviewer" in steps
    # The author may retract; certifying is only offered for translations of an approved text.
    assert "Retract: Author" in steps and "you may" in steps and "Certify" not in steps


def test_the_diagrams_highlight_the_current_state(app, users, create_item):
    item = force_state(create_item("work_plan", owner=users["editor"]), "on_agenda")
    page = (
        logged_in(app, users["editor"]).get(f"/admin/content_work_plan/workflow/?id={item.pk}").get_data(as_text=True)
    )
    assert "<svg" in page and 'font-weight="bold" fill="#ffffff">On the meeting&#39;s agenda' in page
    overview = logged_in(app, users["reviewer"]).get("/admin/workflows/").get_data(as_text=True)
    assert overview.count("<svg") == len(REGISTRY)
    # Each step names the roles that take it.
    assert ">Publish: Approver<" in overview and ">Submit for review: Author, Editor<" in overview


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


def test_admin_pages_say_where_they_are(app, users, create_item):
    item = create_item("work_plan", owner=users["editor"], title="Plan 2027")
    page = logged_in(app, users["editor"]).get(f"/admin/content_work_plan/edit/?id={item.pk}").get_data(as_text=True)
    crumbs = page.split('<ol class="breadcrumb">')[1].split("</ol>")[0]
    links = [
        (href, re.sub("<[^>]+>", "", text).strip()) for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', crumbs)
    ]
    assert links == [
        ("/admin/", "Start"),
        ("/admin/content_work_plan/", "Work plans"),
        (f"/admin/content_work_plan/workflow/?id={item.pk}", "Plan 2027"),
    ]
    assert 'aria-current="page">Edit<' in crumbs


def test_list_actions_carry_words_not_only_icons(app, users, create_item):
    create_item("news", owner=users["editor"], title="Neuigkeit")
    page = logged_in(app, users["editor"]).get("/admin/content_news/").get_data(as_text=True)
    labels = re.findall(r'<span class="row-action-label">([^<]+)</span>', page)
    assert {"Edit", "Delete", "Workflow"} <= set(labels)


def test_an_item_links_to_its_page_on_the_site_or_to_a_preview(app, users, create_item):
    draft = create_item("news", owner=users["editor"], title="Noch Entwurf")
    published = force_state(create_item("news", owner=users["editor"], title="Schon draußen"), "published")
    editor = logged_in(app, users["editor"])

    draft_page = editor.get(f"/admin/content_news/workflow/?id={draft.pk}").get_data(as_text=True)
    assert f'href="/de/documents/{draft.pk}">Preview as on the site<' in draft_page
    preview = editor.get(f"/de/documents/{draft.pk}").get_data(as_text=True)
    assert "Noch Entwurf" in preview and "preview-notice" in preview
    # Nobody else sees the preview.
    assert app.test_client().get(f"/de/documents/{draft.pk}").status_code == 404

    published_page = editor.get(f"/admin/content_news/workflow/?id={published.pk}").get_data(as_text=True)
    assert f'href="/de/documents/{published.pk}">View on the site<' in published_page
    assert "preview-notice" not in editor.get(f"/de/documents/{published.pk}").get_data(as_text=True)


def test_a_list_offers_edit_and_delete_only_where_the_state_allows_them(app, users, create_item):
    create_item("news", owner=users["editor"], title="Entwurf")
    force_state(create_item("news", owner=users["editor"], title="Veröffentlicht"), "published")
    page = logged_in(app, users["editor"]).get("/admin/content_news/").get_data(as_text=True)
    rows = {
        re.sub("<[^>]+>", "", title).strip(): actions
        for actions, title in re.findall(
            r'<td class="list-buttons-column">(.*?)</td>.*?<td class="col-title">\s*(.*?)\s*</td>', page, re.S
        )
    }
    assert set(rows) == {"Entwurf", "Veröffentlicht"}
    assert ">Edit<" in rows["Entwurf"] and ">Delete<" in rows["Entwurf"]
    assert ">Edit<" not in rows["Veröffentlicht"] and ">Delete<" not in rows["Veröffentlicht"]
    assert ">Workflow<" in rows["Veröffentlicht"]


def test_a_meeting_before_its_day_waits_for_nobody(app, users, create_item):
    from datetime import date, timedelta

    later = date.today() + timedelta(days=30)
    meeting = create_item("meeting", owner=users["admin"], title="Künftiges Treffen", year=later.year, starts_on=later)
    force_state(meeting, "announced")
    page = logged_in(app, users["editor"]).get("/admin/").get_data(as_text=True)
    waiting = page.split("Waiting for you")[1].split("</section>")[0]
    assert "Künftiges Treffen" not in waiting and "Künftiges Treffen" in page  # the next meeting, not a task
