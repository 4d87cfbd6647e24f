"""Scheduled publication and expiry through the engine; soft edit locks."""

from datetime import datetime, timedelta

from click.testing import CliRunner

from cms.cli import main
from cms.operations import locks, scheduling
from content_types import Content, PublishedVersion
from content_types.base import utcnow
from tests.conftest import Browser
from tests.workflow_helpers import force_state

BASE = "/api/v1/content"


def _approved(create_item, users, type_name="work_plan", **fields):
    item = create_item(type_name, owner=users["editor"], **fields)
    return force_state(item, "approved", approved_revision=item.revision)


def test_an_approved_item_is_published_and_expired_on_schedule(api, users, create_item, app):
    item = _approved(create_item, users)
    response = api.call(
        "POST",
        f"{BASE}/{item.pk}/schedule",
        users["approver"],
        json={"publish_at": "2027-01-01T08:00:00Z", "expire_at": "2027-12-31T23:00:00Z"},
    )
    assert response.status_code == 200 and response.get_json()["publish_at"] == "2027-01-01T08:00:00Z"
    with app.app_context():
        assert scheduling.run_due(datetime(2026, 12, 31)) == []
        assert scheduling.run_due(datetime(2027, 1, 1, 8, 0)) == [(str(item.pk), "publish")]
    stored = Content.objects.get(pk=item.pk)
    assert stored.state == "published" and stored.history[-1].actor.pk == users["approver"].pk
    assert stored.history[-1].comment == "Scheduled" and PublishedVersion.objects(item=item.pk).count() == 1
    with app.app_context():
        assert scheduling.run_due(datetime(2028, 1, 1)) == [(str(item.pk), "archive")]
    assert Content.objects.get(pk=item.pk).state == "archived"


def test_scheduling_needs_the_right_to_publish_and_sane_times(api, users, create_item):
    item = _approved(create_item, users)
    url = f"{BASE}/{item.pk}/schedule"
    assert api.call("POST", url, users["editor"], json={"publish_at": "2027-01-01T08:00:00Z"}).status_code == 403
    assert api.call("POST", url, users["approver"], json={"publish_at": "morgen"}).status_code == 422
    assert (
        api.call(
            "POST",
            url,
            users["approver"],
            json={"publish_at": "2027-02-01T08:00:00Z", "expire_at": "2027-01-01T08:00:00Z"},
        ).status_code
        == 422
    )
    draft = create_item("work_plan", owner=users["editor"])
    assert (
        api.call(
            "POST", f"{BASE}/{draft.pk}/schedule", users["approver"], json={"publish_at": "2027-01-01T08:00:00Z"}
        ).status_code
        == 422
    )
    assert Content.objects.get(pk=item.pk).publish_at is None


def test_the_cli_fires_what_is_due(app, users, create_item, monkeypatch):
    item = _approved(create_item, users)
    Content._get_collection().update_one(
        {"_id": item.pk},
        {"$set": {"publish_at": utcnow() - timedelta(minutes=1), "scheduled_by": users["approver"].pk}},
    )
    monkeypatch.setenv("CMS_MONGODB_URI", app.config["CMS_MONGODB_URI"])
    monkeypatch.setenv("CMS_SECRET_KEY", app.config["SECRET_KEY"])
    monkeypatch.setenv("CMS_DATA_DIR", app.config["CMS_DATA_DIR"])
    result = CliRunner().invoke(main, ["publish-scheduled"], catch_exceptions=False)
    assert "1 scheduled transitions fired." in result.output
    assert Content.objects.get(pk=item.pk).state == "published"


def test_a_scheduler_whose_user_lost_the_right_fires_nothing(app, users, create_item):
    item = _approved(create_item, users)
    Content._get_collection().update_one(
        {"_id": item.pk}, {"$set": {"publish_at": datetime(2027, 1, 1), "scheduled_by": users["member"].pk}}
    )
    with app.app_context():
        assert scheduling.run_due(datetime(2027, 1, 2)) == []
    assert Content.objects.get(pk=item.pk).state == "approved"


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
