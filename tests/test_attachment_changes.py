"""Removing and replacing attachments while an item may be modified; published versions keep their files."""

import hashlib
import io

import pytest

from cms.operations import attachments
from content_types import Attachment, AuditEntry, Content, Revision, User
from content_types.refusals import Conflict, NotAllowed
from tests.conftest import Browser, logged_in
from tests.test_attachments import DOCX, PDF, PNG, _upload
from tests.test_working_copies import _files, _through_the_meeting
from tests.workflow_helpers import force_state

BASE = "/api/v1/content"
ADMIN = "/admin/content_work_plan"


def _attach(api, user, item, data=PDF, name="Anlage.pdf") -> Attachment:
    response = _upload(api, user, item, data, name)
    assert response.status_code == 201, response.get_json()
    return Attachment.objects.get(pk=response.get_json()["id"])


def _admin(app, user):
    client = logged_in(app, user)
    return client, Browser(client).form_token("/en/")


def _post(client, token, action, item, attachment, **extra):
    data = {"csrf_token": token, "id": str(item.pk), "attachment": str(attachment.pk), **extra}
    return client.post(f"{ADMIN}/{action}/", data=data, content_type="multipart/form-data")


def _grid_file_exists(attachment) -> bool:
    return (
        Attachment._get_collection()
        .database["attachment_files.files"]
        .count_documents({"_id": attachment.file.grid_id})
        == 1
    )


def _revision(item) -> int:
    return Content.objects.get(pk=item.pk).revision


def test_an_editor_removes_a_drafts_attachment_in_the_admin(app, api, users, create_item):
    item = create_item("work_plan", owner=users["editor"])
    kept, removed = _attach(api, users["editor"], item, DOCX, "Projekte.docx"), _attach(api, users["editor"], item)
    client, token = _admin(app, users["editor"])
    page = client.get(f"{ADMIN}/workflow/?id={item.pk}").get_data(as_text=True)
    # Labelled buttons; the removal asks first (static/admin/cms.js reads data-confirm), no inline handler.
    assert 'Remove<span class="sr-only"> Anlage.pdf</span>' in page and 'data-confirm="Remove “Anlage.pdf”?' in page
    assert 'Replace<span class="sr-only"> Anlage.pdf</span>' in page and "onclick" not in page

    response = _post(client, token, "remove-attachment", item, removed)
    assert response.status_code == 303
    assert [a.name for a in Attachment.objects(item=item.pk)] == ["Projekte.docx"]
    assert not _grid_file_exists(removed) and _grid_file_exists(kept)
    assert _revision(item) == 2
    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Attachment removed: Anlage.pdf" in after  # the flash, and the revision's summary
    entry = AuditEntry.objects(event="attachment_removed").get()
    assert entry.facts == {"name": "Anlage.pdf", "revision": 2} and entry.actor.pk == users["editor"].pk
    assert Revision.objects.get(item=item.pk, number=2).attachments_removed == ["Anlage.pdf"]


def test_the_chinese_admin_words_the_removal_in_chinese(app, api, users, create_item):
    item = create_item("work_plan", owner=users["editor"])
    removed = _attach(api, users["editor"], item)
    User.objects(pk=users["editor"].pk).update_one(set__language="zh")
    client, token = _admin(app, users["editor"])
    _post(client, token, "remove-attachment", item, removed)
    page = client.get(f"{ADMIN}/workflow/?id={item.pk}").get_data(as_text=True)
    assert "已删除附件：Anlage.pdf" in page and "Attachment removed" not in page


def test_after_submission_the_files_stay_and_the_editor_is_told_why(app, api, users, create_item):
    item = create_item("work_plan", owner=users["editor"], body="<p>Text</p>")
    attachment = _attach(api, users["editor"], item)
    assert api.call("POST", f"{BASE}/{item.pk}/workflow/submit", users["editor"], json={}).status_code == 200
    client, token = _admin(app, users["editor"])
    assert "remove-attachment" not in client.get(f"{ADMIN}/workflow/?id={item.pk}").get_data(as_text=True)

    for action, extra in (("remove-attachment", {}), ("replace-attachment", {"file": (io.BytesIO(PNG), "x.png")})):
        response = _post(client, token, action, item, attachment, **extra)
        assert response.status_code == 403
        assert "attachments can be removed or replaced only while you may modify it" in response.get_data(as_text=True)
    assert [a.pk for a in Attachment.objects(item=item.pk)] == [attachment.pk] and _grid_file_exists(attachment)
    assert _revision(item) == 1
    assert {e.facts["what"] for e in AuditEntry.objects(event="refused")} == {"remove_attachment", "replace_attachment"}


@pytest.mark.parametrize("who", ["editor", "admin"])
def test_a_published_items_files_are_never_removed(app, api, users, create_item, who):
    item = create_item("work_plan", owner=users["editor"])
    attachment = _attach(api, users["editor"], item)
    item = force_state(item, "published")
    with app.test_request_context(method="POST"):
        with pytest.raises(NotAllowed):
            attachments.remove_attachment(users[who], item, str(attachment.pk))
    assert Attachment.objects(item=item.pk).count() == 1 and _grid_file_exists(attachment)


def test_replacing_puts_the_new_file_in_place_as_a_new_revision(app, api, users, create_item):
    item = create_item("work_plan", owner=users["editor"])
    old = _attach(api, users["editor"], item)
    client, token = _admin(app, users["editor"])
    response = _post(client, token, "replace-attachment", item, old, file=(io.BytesIO(PNG), "Logo.png"))
    assert response.status_code == 303
    new = Attachment.objects.get(item=item.pk)
    assert (new.name, new.content_type, new.sha256) == ("Logo.png", "image/png", hashlib.sha256(PNG).hexdigest())
    assert not _grid_file_exists(old) and _revision(item) == 2
    assert AuditEntry.objects(event="attachment_replaced").get().facts == {
        "old": "Anlage.pdf",
        "new": "Logo.png",
        "revision": 2,
    }
    assert "Attachment “Anlage.pdf” replaced by “Logo.png”" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_a_bad_replacement_changes_nothing(app, api, users, create_item):
    item = create_item("work_plan", owner=users["editor"])
    old = _attach(api, users["editor"], item)
    client, token = _admin(app, users["editor"])
    refused = _post(client, token, "replace-attachment", item, old, file=(io.BytesIO(b"<html>"), "x.pdf"))
    assert refused.status_code == 415
    missing = _post(client, token, "replace-attachment", item, old)
    assert missing.status_code == 422
    assert [a.pk for a in Attachment.objects(item=item.pk)] == [old.pk] and _revision(item) == 1
    assert Attachment._get_collection().database["attachment_files.files"].count_documents({}) == 1


def test_another_items_file_or_a_bad_id_is_a_404_and_nothing_changes(app, api, users, create_item):
    item, other = create_item("work_plan", owner=users["editor"]), create_item("work_plan", owner=users["editor"])
    foreign = _attach(api, users["editor"], other)
    client, token = _admin(app, users["editor"])
    assert _post(client, token, "remove-attachment", item, foreign).status_code == 404
    bad = client.post(
        f"{ADMIN}/remove-attachment/", data={"csrf_token": token, "id": str(item.pk), "attachment": "x' || 1"}
    )
    assert bad.status_code == 404
    assert Attachment.objects(item=other.pk).count() == 1 and _revision(item) == 1 and _revision(other) == 1


def test_a_stale_item_or_someone_elses_lock_refuses_and_keeps_the_file(app, api, users, create_item):
    item = create_item("work_plan", owner=users["editor"])
    attachment = _attach(api, users["editor"], item)
    stale = Content.objects.get(pk=item.pk)
    fresh = Content.objects.get(pk=item.pk)
    fresh.title = "Neu"
    fresh.save_revision()
    with app.test_request_context(method="POST"):
        with pytest.raises(Conflict):
            attachments.remove_attachment(users["editor"], stale, str(attachment.pk))
        from cms.operations import locks

        locks.take_lock(users["admin"], Content.objects.get(pk=item.pk))
        with pytest.raises(Conflict):
            attachments.remove_attachment(users["editor"], Content.objects.get(pk=item.pk), str(attachment.pk))
    assert Attachment.objects(item=item.pk).count() == 1 and _grid_file_exists(attachment) and _revision(item) == 2


def test_published_versions_keep_their_files_when_the_working_copy_drops_one(api, users, create_item, city):
    editor, member = users["editor"], users["member"]
    meeting = create_item("meeting", title="Treffen", year=2026, half=2, host_city=city("Aachen"))
    plan = create_item("work_plan", owner=editor, body="<p>eins</p>")
    _attach(api, editor, plan)
    _attach(api, editor, plan, DOCX, "Projekte.docx")
    _through_the_meeting(api, users, str(plan.pk), str(meeting.pk))
    v1 = _files(api, member, str(plan.pk), 1)

    copy_id = api.call("POST", f"{BASE}/{plan.pk}/working-copy", editor).get_json()["id"]
    copy = Content.objects.get(pk=copy_id)
    shared = Attachment.objects.get(item=copy.pk, name="Anlage.pdf")
    with api.client.application.test_request_context(method="POST"):
        attachments.remove_attachment(editor, copy, str(shared.pk))
    # The original's record still uses the bytes the copy shared with it.
    original_file = Attachment.objects.get(item=plan.pk, name="Anlage.pdf")
    assert _grid_file_exists(original_file)
    Content._get_collection().update_one({"_id": meeting.pk}, {"$set": {"state": "planned"}})
    _through_the_meeting(api, users, copy_id, str(meeting.pk))

    assert [a.name for a in Attachment.objects(item=plan.pk)] == ["Projekte.docx"]
    v2 = _files(api, member, str(plan.pk), 2)
    assert "Projekte.docx" in v2 and "Anlage.pdf" not in v2
    assert _files(api, member, str(plan.pk), 1) == v1 and "Anlage.pdf" in v1
    for entry in v1.values():
        assert hashlib.sha256(api.call("GET", entry["url"], member).data).hexdigest() == entry["sha256"]


def test_chosen_attachments_go_along_into_a_translation(app, api, users, create_item):
    source = create_item("work_plan", owner=users["editor"])
    chosen, left = _attach(api, users["editor"], source), _attach(api, users["editor"], source, DOCX, "Liste.docx")
    client, token = _admin(app, users["editor"])
    page = client.get(f"{ADMIN}/workflow/?id={source.pk}").get_data(as_text=True)
    assert f'name="attachment" value="{chosen.pk}"' in page
    response = client.post(
        f"{ADMIN}/translate/",
        data={"csrf_token": token, "id": str(source.pk), "language": "zh", "attachment": [str(chosen.pk)]},
    )
    assert response.status_code == 303
    translation = Content.objects.get(translation_group=source.translation_group, language="zh")
    carried = Attachment.objects.get(item=translation.pk)
    assert (carried.name, carried.sha256, carried.file.grid_id) == (chosen.name, chosen.sha256, chosen.file.grid_id)
    assert AuditEntry.objects(event="attachments_carried_over").get().facts == {"names": ["Anlage.pdf"]}
    # Removing it from the translation leaves the source's file whole.
    with app.test_request_context(method="POST"):
        attachments.remove_attachment(users["editor"], translation, str(carried.pk))
    assert _grid_file_exists(chosen) and {a.pk for a in Attachment.objects(item=source.pk)} == {chosen.pk, left.pk}


def test_a_foreign_attachment_id_refuses_the_translation_before_it_is_made(app, api, users, create_item):
    source, other = create_item("work_plan", owner=users["editor"]), create_item("work_plan", owner=users["editor"])
    foreign = _attach(api, users["editor"], other)
    client, token = _admin(app, users["editor"])
    response = client.post(
        f"{ADMIN}/translate/",
        data={"csrf_token": token, "id": str(source.pk), "language": "zh", "attachment": [str(foreign.pk)]},
    )
    assert response.status_code == 404
    assert Content.objects(translation_group=source.translation_group).count() == 1
    assert Attachment.objects.count() == 1


def test_the_audit_log_words_attachment_changes_in_the_readers_language(app):
    from flask_babel import force_locale

    from cms.audit_texts import describe

    replaced = AuditEntry(
        action="update", event="attachment_replaced", facts={"old": "a.pdf", "new": "b.pdf", "revision": 3}
    )
    refused = AuditEntry(action="permission_denied", event="refused", facts={"what": "remove_attachment"})
    with app.test_request_context():
        with force_locale("de"):
            assert describe(replaced) == "Anhang a.pdf durch b.pdf ersetzt (Revision 3)"
            assert describe(refused) == "Versuch: Anhang entfernen"
        with force_locale("zh"):
            assert describe(replaced) == "附件 a.pdf 已替换为 b.pdf（修订版 3）"
            assert describe(refused) == "试图删除附件"
