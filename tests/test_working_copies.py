"""Working copies: v1 stays online while the next text is reviewed; publishing it makes v2 of the same item."""

import hashlib

from content_types import Attachment, Content
from tests.test_attachments import DOCX, PDF, _upload
from tests.workflow_helpers import force_state

BASE = "/api/v1/content"


def _fire(api, user, item_id, transition, **body):
    response = api.call("POST", f"{BASE}/{item_id}/workflow/{transition}", user, json=body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _through_the_meeting(api, users, item_id, meeting_id):
    _fire(api, users["editor"], item_id, "submit")
    _fire(api, users["reviewer"], item_id, "accept", meeting_id=meeting_id)
    Content._get_collection().update_one({"_id": Content.objects.get(pk=meeting_id).pk}, {"$set": {"state": "held"}})
    _fire(api, users["approver"], item_id, "approve")
    return _fire(api, users["approver"], item_id, "publish")


def _files(api, user, item_id, version):
    listed = api.call("GET", f"{BASE}/{item_id}/versions", user).get_json()
    return {f["name"]: f for f in listed[version - 1]["files"]}


def test_revise_a_published_work_plan_while_v1_stays_online(api, users, create_item, city):
    editor, member = users["editor"], users["member"]
    meeting = create_item("meeting", title="Treffen", year=2026, half=2, host_city=city("Aachen"))
    plan = api.call(
        "POST",
        BASE,
        editor,
        json={"type": "work_plan", "title": "Arbeitsplan 2027", "year": 2027, "body": "<p>Fassung eins</p>"},
    ).get_json()
    _upload(api, editor, Content.objects.get(pk=plan["id"]), PDF, "Anlage.pdf")
    _through_the_meeting(api, users, plan["id"], str(meeting.pk))
    v1 = _files(api, member, plan["id"], 1)

    copy = api.call("POST", f"{BASE}/{plan['id']}/working-copy", editor)
    assert copy.status_code == 201
    copy = copy.get_json()
    assert copy["working_copy_of"] == plan["id"] and copy["state"] == "draft" and copy["id"] != plan["id"]
    assert api.call("POST", f"{BASE}/{plan['id']}/working-copy", editor).status_code == 409
    assert api.call("GET", f"{BASE}/{plan['id']}", editor).get_json()["working_copy"] == copy["id"]
    assert api.call("GET", f"{BASE}/{copy['id']}", member).status_code == 404  # the draft is not for members

    api.call("PATCH", f"{BASE}/{copy['id']}", editor, json={"revision": 1, "body": "<p>Fassung zwei</p>"})
    _upload(api, editor, Content.objects.get(pk=copy["id"]), DOCX, "Projektliste.docx")
    # Throughout the review, members still get v1.
    seen = api.call("GET", f"{BASE}/{plan['id']}", member).get_json()
    assert seen["state"] == "published" and seen["body"] == "<p>Fassung eins</p>"
    Content._get_collection().update_one({"_id": meeting.pk}, {"$set": {"state": "planned"}})
    _through_the_meeting(api, users, copy["id"], str(meeting.pk))

    assert api.call("GET", f"{BASE}/{copy['id']}", editor).status_code == 404  # the copy is gone
    after = api.call("GET", f"{BASE}/{plan['id']}", member).get_json()
    assert (after["state"], after["body"], after["working_copy"]) == ("published", "<p>Fassung zwei</p>", None)
    versions = api.call("GET", f"{BASE}/{plan['id']}/versions", member).get_json()
    assert [v["version"] for v in versions] == [1, 2]
    v2 = _files(api, member, plan["id"], 2)
    assert "Projektliste.docx" in v2 and "Anlage.pdf" in v2
    for files in (v1, v2):
        for entry in files.values():
            body = api.call("GET", entry["url"], member).data
            assert hashlib.sha256(body).hexdigest() == entry["sha256"]
    assert _files(api, member, plan["id"], 1) == v1  # v1 unchanged

    history = api.call("GET", f"{BASE}/{plan['id']}/workflow", editor).get_json()["history"]
    assert [h["transition"] for h in history] == [
        "submit",
        "accept",
        "approve",
        "publish",
        "submit",
        "accept",
        "approve",
        "publish",
        "check_in",
    ]


def test_only_published_items_are_checked_out_and_only_by_editors(api, users, create_item):
    draft = create_item("work_plan", owner=users["editor"])
    assert api.call("POST", f"{BASE}/{draft.pk}/working-copy", users["editor"]).status_code == 422
    published = force_state(create_item("work_plan", owner=users["editor"]), "published")
    assert api.call("POST", f"{BASE}/{published.pk}/working-copy", users["member"]).status_code == 403
    assert api.call("POST", f"{BASE}/{published.pk}/working-copy", users["reviewer"]).status_code == 403
    assert api.call("POST", f"{BASE}/{published.pk}/working-copy").status_code == 401


def test_deleting_a_working_copy_frees_the_original(api, users, create_item):
    published = force_state(create_item("news", owner=users["editor"]), "published")
    copy = api.call("POST", f"{BASE}/{published.pk}/working-copy", users["editor"]).get_json()
    assert api.call("DELETE", f"{BASE}/{copy['id']}", users["editor"]).status_code == 204
    assert api.call("POST", f"{BASE}/{published.pk}/working-copy", users["editor"]).status_code == 201


def test_a_working_copy_does_not_archive_its_own_original(api, users, create_item):
    original = create_item("work_plan", owner=users["editor"])
    original = force_state(original, "approved", approved_revision=original.revision)
    from workflows import engine

    engine.fire(users["approver"], original, "publish")
    copy = api.call("POST", f"{BASE}/{original.pk}/working-copy", users["editor"]).get_json()
    copy_item = force_state(Content.objects.get(pk=copy["id"]), "approved", approved_revision=1)
    engine.fire(users["approver"], copy_item, "publish")
    assert Content.objects.get(pk=original.pk).state == "published"
    assert Attachment.objects(item=original.pk).count() == 0


def test_the_admin_starts_a_working_copy_and_schedules(app, users, create_item):
    from tests.conftest import Browser

    published = force_state(create_item("work_plan", owner=users["editor"], title="Arbeitsplan 2026"), "published")
    client = app.test_client()
    browser = Browser(client)
    browser.login(users["editor"].email)
    page = client.get(f"/admin/content_work_plan/workflow/?id={published.pk}").get_data(as_text=True)
    assert "Revise in a working copy" in page
    token = browser.form_token("/en/")
    response = client.post("/admin/content_work_plan/checkout/", data={"csrf_token": token, "id": str(published.pk)})
    copy = Content.objects.get(working_copy_of=published.pk)
    assert response.status_code == 303 and f"id={copy.pk}" in response.headers["Location"]
    assert "A working copy of this item" in client.get(
        f"/admin/content_work_plan/workflow/?id={published.pk}"
    ).get_data(as_text=True)

    approved = create_item("work_plan", owner=users["editor"])
    approved = force_state(approved, "approved", approved_revision=approved.revision)
    approver = app.test_client()
    Browser(approver).login(users["approver"].email)
    token = Browser(approver).form_token("/en/")
    approver.post(
        "/admin/content_work_plan/schedule/",
        data={"csrf_token": token, "id": str(approved.pk), "publish_at": "2027-01-01T08:00"},
    )
    assert Content.objects.get(pk=approved.pk).publish_at.isoformat() == "2027-01-01T08:00:00"
    approver.post(
        "/admin/content_work_plan/schedule/",
        data={"csrf_token": token, "id": str(approved.pk), "publish_at": "nächste Woche"},
    )
    assert Content.objects.get(pk=approved.pk).publish_at.isoformat() == "2027-01-01T08:00:00"
