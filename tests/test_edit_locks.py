"""Soft edit locks: taken by the Edit button, shown to others, released on save or timeout, taken over by admins."""

from datetime import timedelta

from cms.operations import locks
from content_types import Content
from content_types.base import utcnow
from tests.conftest import Browser

BASE = "/api/v1/content"


def test_the_edit_button_locks_and_the_editor_shows_who_else_is_editing(app, users, create_item):
    item = create_item("work_plan", owner=users["editor"])
    first, second = app.test_client(), app.test_client()
    Browser(first).login(users["editor"].email)
    assert first.get(f"/admin/content_work_plan/edit/?id={item.pk}").status_code == 200
    assert Content.objects.get(pk=item.pk).lock_user is None  # opening a page writes nothing
    token = Browser(first).form_token("/en/")
    pressed = first.post("/admin/content_work_plan/lock/", data={"csrf_token": token, "id": str(item.pk)})
    assert pressed.status_code == 303 and f"/edit/?id={item.pk}" in pressed.headers["Location"]
    assert Content.objects.get(pk=item.pk).lock_user.pk == users["editor"].pk
    from cms.operations.accounts import create_account
    from tests.conftest import PASSWORD

    colleague = create_account("kollegin@test.example", PASSWORD, ["editor"], "Kollegin")
    Browser(second).login(colleague.email)
    page = second.get(f"/admin/content_work_plan/edit/?id={item.pk}").get_data(as_text=True)
    assert "Being edited by" in page and users["editor"].email in page


def test_admins_steal_and_saves_release_locks(app, api, users, create_item):
    item = create_item("work_plan", owner=users["editor"])
    assert (
        api.call("POST", f"{BASE}/{item.pk}/lock", users["editor"]).get_json()["lock"]["user"] == users["editor"].email
    )
    from cms.operations.accounts import create_account
    from tests.conftest import PASSWORD

    colleague = create_account("kollege@test.example", PASSWORD, ["editor"], "Kollege")
    assert api.call("POST", f"{BASE}/{item.pk}/lock", colleague).status_code == 409
    assert api.call("POST", f"{BASE}/{item.pk}/lock", colleague, json={"steal": True}).status_code == 403
    stolen = api.call("POST", f"{BASE}/{item.pk}/lock", users["admin"], json={"steal": True})
    assert stolen.status_code == 200 and stolen.get_json()["lock"]["user"] == users["admin"].email
    api.call("PATCH", f"{BASE}/{item.pk}", users["admin"], json={"revision": 1, "title": "Neu"})
    assert api.call("GET", f"{BASE}/{item.pk}", users["editor"]).get_json()["lock"] is None


def test_locks_expire(app, users, create_item):
    item = create_item("news", owner=users["editor"])
    Content._get_collection().update_one(
        {"_id": item.pk}, {"$set": {"lock_user": users["admin"].pk, "lock_since": utcnow() - timedelta(hours=2)}}
    )
    with app.app_context():
        assert locks.lock_holder(Content.objects.get(pk=item.pk)) is None
        assert locks.take_lock(users["editor"], Content.objects.get(pk=item.pk))


def test_a_refused_lock_says_who_holds_it(api, users, create_item):
    item = create_item("news", owner=users["editor"])
    api.call("POST", f"{BASE}/{item.pk}/lock", users["admin"])
    refused = api.call("POST", f"{BASE}/{item.pk}/lock", users["editor"])
    assert refused.status_code == 409 and users["admin"].email in refused.get_json()["error"]["message"]
