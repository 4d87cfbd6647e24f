"""One vocabulary for "no": the admin and the API answer the same refusal with the same status, and change nothing."""

import io

import pytest

from content_types import Attachment, Content
from tests.conftest import Browser
from tests.test_attachments import PDF
from tests.workflow_helpers import force_state

BASE = "/api/v1/content"


def _admin_post(app, user, path, data, **kwargs):
    client = app.test_client()
    browser = Browser(client)
    browser.login(user.email)
    return client.post(path, data={"csrf_token": browser.form_token("/en/"), **data}, **kwargs)


def not_allowed_transition(users, create_item):
    """A reviewer may not submit the editor's draft."""
    item = create_item("work_plan", owner=users["editor"])
    return (
        "reviewer",
        item,
        ("POST", f"{BASE}/{item.pk}/workflow/submit", {}),
        ("/admin/content_work_plan/fire/", {"id": str(item.pk), "transition": "submit"}, {}),
    )


def skipped_step(users, create_item):
    """A draft can't be published."""
    item = create_item("news", owner=users["editor"])
    return (
        "admin",
        item,
        ("POST", f"{BASE}/{item.pk}/workflow/publish", {}),
        ("/admin/content_news/fire/", {"id": str(item.pk), "transition": "publish"}, {}),
    )


def missing_input(users, create_item):
    """Sending back needs a comment."""
    item = force_state(create_item("news", owner=users["editor"]), "in_review")
    return (
        "reviewer",
        item,
        ("POST", f"{BASE}/{item.pk}/workflow/reject", {"json": {"comment": " "}}),
        ("/admin/content_news/fire/", {"id": str(item.pk), "transition": "reject", "comment": " "}, {}),
    )


def unknown_item(users, create_item):
    """No such item (the answer for items one may not see, too): 404, not 403."""
    item = create_item("news", owner=users["editor"])
    missing = "0" * 24
    return (
        "editor",
        item,
        ("POST", f"{BASE}/{missing}/workflow/submit", {}),
        ("/admin/content_news/fire/", {"id": missing, "transition": "submit"}, {}),
    )


def translation_exists(users, create_item):
    """A group has one item per language."""
    item = create_item("news", owner=users["editor"], language="de")
    create_item("news", owner=users["editor"], language="en", translation_group=item.translation_group)
    return (
        "editor",
        item,
        ("POST", f"{BASE}/{item.pk}/translations", {"json": {"language": "en"}}),
        ("/admin/content_news/translate/", {"id": str(item.pk), "language": "en"}, {}),
    )


def check_out_a_draft(users, create_item):
    """Only a published item is revised through a working copy."""
    item = create_item("work_plan", owner=users["editor"])
    return (
        "editor",
        item,
        ("POST", f"{BASE}/{item.pk}/working-copy", {}),
        ("/admin/content_work_plan/checkout/", {"id": str(item.pk)}, {}),
    )


def schedule_a_draft(users, create_item):
    """A draft has no publication to schedule."""
    item = create_item("news", owner=users["editor"])
    return (
        "editor",
        item,
        ("POST", f"{BASE}/{item.pk}/schedule", {"json": {"publish_at": "2030-01-01T09:00:00Z"}}),
        ("/admin/content_news/schedule/", {"id": str(item.pk), "publish_at": "2030-01-01T09:00"}, {}),
    )


def unsupported_file(users, create_item):
    """HTML renamed .pdf is refused by its bytes."""
    item = create_item("news", owner=users["editor"])
    upload = {"content_type": "multipart/form-data"}
    return (
        "editor",
        item,
        ("POST", f"{BASE}/{item.pk}/attachments", {"data": {"file": (io.BytesIO(b"<html>"), "x.pdf")}, **upload}),
        ("/admin/content_news/upload/", {"id": str(item.pk), "file": (io.BytesIO(b"<html>"), "x.pdf")}, upload),
    )


def attach_to_a_published_item(users, create_item):
    """A published item's files are frozen: nobody may attach to it."""
    item = force_state(create_item("news", owner=users["editor"]), "published")
    upload = {"content_type": "multipart/form-data"}
    return (
        "editor",
        item,
        ("POST", f"{BASE}/{item.pk}/attachments", {"data": {"file": (io.BytesIO(PDF), "a.pdf")}, **upload}),
        ("/admin/content_news/upload/", {"id": str(item.pk), "file": (io.BytesIO(PDF), "a.pdf")}, upload),
    )


def restore_a_missing_revision(users, create_item):
    """There is no revision 7."""
    item = create_item("news", owner=users["editor"])
    return (
        "editor",
        item,
        ("POST", f"{BASE}/{item.pk}/revisions/7/restore", {}),
        ("/admin/content_news/restore/", {"id": str(item.pk), "revision": "7"}, {}),
    )


def delete_without_the_right(users, create_item):
    """A reviewer may not delete a draft."""
    item = create_item("news", owner=users["editor"])
    return (
        "reviewer",
        item,
        ("DELETE", f"{BASE}/{item.pk}", {}),
        ("/admin/content_news/delete/", {"id": str(item.pk)}, {}),
    )


def stale_edit(users, create_item):
    """Saving over a revision someone else already saved."""
    item = create_item("work_plan", owner=users["editor"], title="Original")
    item.title = "Schon geändert"
    item.save_revision()
    return (
        "editor",
        item,
        ("PATCH", f"{BASE}/{item.pk}", {"json": {"revision": 1, "title": "Veraltet"}}),
        (
            f"/admin/content_work_plan/edit/?id={item.pk}",
            {"title": "Veraltet", "language": "de", "year": "2027", "edited_revision": "1"},
            {},
        ),
    )


def group_step_one_language_cannot_take(users, create_item):
    """The group moves all or none: the English draft can't be published with the German one in review."""
    item = force_state(create_item("news", owner=users["editor"]), "in_review")
    create_item("news", owner=users["editor"], language="en", translation_group=item.translation_group)
    return (
        "reviewer",
        item,
        ("POST", f"/api/v1/translation-groups/{item.translation_group}/workflow/publish", {}),
        ("/admin/content_news/fire-group/", {"id": str(item.pk), "transition": "publish"}, {}),
    )


def locked_by_someone_else(users, create_item):
    """Another editor holds the edit lock."""
    item = create_item("news", owner=users["editor"])
    Content._get_collection().update_one(
        {"_id": item.pk}, {"$set": {"lock_user": users["admin"].pk, "lock_since": item.modified}}
    )
    return (
        "editor",
        item,
        ("POST", f"{BASE}/{item.pk}/lock", {}),
        ("/admin/content_news/lock/", {"id": str(item.pk)}, {}),
    )


def steal_without_the_right(users, create_item):
    """Only admins take over a lock."""
    item = create_item("news", owner=users["editor"])
    Content._get_collection().update_one(
        {"_id": item.pk}, {"$set": {"lock_user": users["admin"].pk, "lock_since": item.modified}}
    )
    return (
        "editor",
        item,
        ("POST", f"{BASE}/{item.pk}/lock", {"json": {"steal": True}}),
        ("/admin/content_news/lock/", {"id": str(item.pk), "steal": "1"}, {}),
    )


SCENARIOS = {
    not_allowed_transition: 403,
    skipped_step: 422,
    missing_input: 422,
    unknown_item: 404,
    translation_exists: 409,
    check_out_a_draft: 422,
    schedule_a_draft: 422,
    unsupported_file: 415,
    attach_to_a_published_item: 403,
    restore_a_missing_revision: 404,
    delete_without_the_right: 403,
    stale_edit: 409,
    group_step_one_language_cannot_take: 422,
    locked_by_someone_else: 409,
    steal_without_the_right: 403,
}


def _stored(item):
    document = Content._get_collection().find_one({"_id": item.pk})
    return document, Content.objects(translation_group=item.translation_group).count(), Attachment.objects.count()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[scenario.__name__ for scenario in SCENARIOS])
def test_the_admin_and_the_api_give_the_same_answer(app, api, users, create_item, scenario):
    role, item, (method, path, api_kwargs), (admin_path, form, admin_kwargs) = scenario(users, create_item)
    before = _stored(item)
    answer = api.call(method, path, users[role], **api_kwargs)
    assert answer.status_code == SCENARIOS[scenario], answer.get_json()
    assert _stored(item) == before  # refused: nothing written
    page = _admin_post(app, users[role], admin_path, form, **admin_kwargs)
    assert page.status_code == SCENARIOS[scenario]
    assert _stored(item) == before
    if SCENARIOS[scenario] != 404:
        # The page says why, in the words the API used.
        assert answer.get_json()["error"]["message"] in page.get_data(as_text=True).replace("&#34;", '"')
