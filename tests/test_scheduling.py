"""Scheduled publication and expiry, fired through the engine as the user who scheduled it."""

from datetime import datetime, timedelta

from click.testing import CliRunner

from cms.cli import main
from cms.operations import scheduling
from content_types import Content, PublishedVersion
from content_types.base import utcnow
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


def test_an_item_scheduled_for_publication_alone_stays_published(api, users, create_item, app):
    item = _approved(create_item, users)
    other = _approved(create_item, users)  # scheduled for nothing: never fired
    response = api.call(
        "POST", f"{BASE}/{item.pk}/schedule", users["approver"], json={"publish_at": "2027-01-01T08:00:00Z"}
    )
    assert response.status_code == 200 and response.get_json()["expire_at"] is None
    with app.app_context():
        assert scheduling.run_due(datetime(2027, 1, 1, 8, 0)) == [(str(item.pk), "publish")]
        # The next runs find no expiry due (the embedded database once took the missing one as long past).
        assert scheduling.run_due(datetime(2027, 1, 1, 8, 1)) == []
    assert Content.objects.get(pk=item.pk).state == "published"
    assert Content.objects.get(pk=other.pk).state == "approved"
