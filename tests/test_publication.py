"""What follows a transition runs in a written order, and never turns a committed transition into an error."""

import pytest
from click.testing import CliRunner

from cms import publication, scheduler, versions
from cms.cli import main
from content_types import AuditEntry, Content, PublishedVersion
from tests.workflow_helpers import force_state
from workflows.signals import transition_fired

BASE = "/api/v1/content"


def _approved(create_item, users, **fields):
    item = create_item("work_plan", owner=users["editor"], title="Arbeitsplan 2027", **fields)
    return force_state(item, "approved", approved_revision=item.revision)


@pytest.fixture
def broken_pdf_renderer(monkeypatch):
    """A renderer that raises, as a missing font or a damaged template would."""

    def fail(*args, **kwargs):
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr(versions, "render_pdf", fail)
    return monkeypatch


def test_a_failing_pdf_leaves_the_item_published_and_the_repair_freezes_it(
    app, api, users, create_item, broken_pdf_renderer
):
    item = _approved(create_item, users)
    response = api.call("POST", f"{BASE}/{item.pk}/workflow/publish", users["approver"])
    assert response.status_code == 200 and response.get_json()["state"] == "published"
    stored = Content.objects.get(pk=item.pk)
    assert stored.state == "published" and stored.publication_pending is True
    assert PublishedVersion.objects(item=item.pk).count() == 0
    assert AuditEntry.objects(action="transition", item_id=item.pk).count() == 1  # the listeners still heard of it

    with app.app_context():
        assert publication.repair() == []  # still broken: it stays pending, and nothing raises
    assert Content.objects.get(pk=item.pk).publication_pending is True
    broken_pdf_renderer.undo()
    with app.app_context():
        assert publication.repair() == [str(item.pk)]
    assert [v.number for v in PublishedVersion.objects(item=item.pk)] == [1]
    assert Content.objects.get(pk=item.pk).publication_pending is None


def test_cms_repair_and_the_scheduler_finish_pending_publications(app, users, create_item, monkeypatch):
    first = force_state(_approved(create_item, users), "published", publication_pending=True)
    second = force_state(create_item("news", owner=users["editor"]), "published", publication_pending=True)
    for name in ("CMS_MONGODB_URI", "CMS_DATA_DIR"):
        monkeypatch.setenv(name, app.config[name])
    monkeypatch.setenv("CMS_SECRET_KEY", app.config["SECRET_KEY"])
    result = CliRunner().invoke(main, ["repair"], catch_exceptions=False)
    assert result.exit_code == 0 and "1 pending publications" not in result.output
    assert "2 pending publications" in result.output
    assert PublishedVersion.objects(item__in=[first.pk, second.pk]).count() == 2
    third = force_state(create_item("news", owner=users["editor"]), "published", publication_pending=True)
    with app.app_context():
        fired, repaired = scheduler.run_once()
    assert fired == [] and repaired == [str(third.pk)]


def test_a_failing_check_in_keeps_the_new_text_and_the_repair_freezes_v2(
    app, api, users, create_item, broken_pdf_renderer
):
    broken_pdf_renderer.undo()
    original = _approved(create_item, users, body="<p>Fassung eins</p>")
    assert api.call("POST", f"{BASE}/{original.pk}/workflow/publish", users["approver"]).status_code == 200
    copy = api.call("POST", f"{BASE}/{original.pk}/working-copy", users["editor"]).get_json()
    api.call("PATCH", f"{BASE}/{copy['id']}", users["editor"], json={"revision": 1, "body": "<p>Fassung zwei</p>"})
    force_state(Content.objects.get(pk=copy["id"]), "approved", approved_revision=2)

    def fail(*args, **kwargs):
        raise RuntimeError("the renderer broke")

    broken_pdf_renderer.setattr(versions, "render_pdf", fail)
    response = api.call("POST", f"{BASE}/{copy['id']}/workflow/publish", users["approver"])
    assert response.status_code == 200
    stored = Content.objects.get(pk=original.pk)
    assert stored.body == "<p>Fassung zwei</p>" and stored.publication_pending is True
    assert Content.objects(pk=copy["id"]).count() == 0  # checked in
    assert [v.number for v in PublishedVersion.objects(item=original.pk)] == [1]
    broken_pdf_renderer.undo()
    with app.app_context():
        assert publication.repair() == [str(original.pk)]
    assert [v.number for v in PublishedVersion.objects(item=original.pk)] == [1, 2]


def test_a_listener_that_raises_never_reaches_the_caller(api, users, create_item):
    item = force_state(create_item("news", owner=users["editor"]), "in_review")

    def broken_listener(sender, **kwargs):
        raise RuntimeError("a listener broke")

    transition_fired.connect(broken_listener)
    try:
        response = api.call("POST", f"{BASE}/{item.pk}/workflow/publish", users["reviewer"])
    finally:
        transition_fired.disconnect(broken_listener)
    assert response.status_code == 200 and Content.objects.get(pk=item.pk).state == "published"
    assert AuditEntry.objects(action="transition", item_id=item.pk).count() == 1


def test_listeners_hear_of_a_publication_once_its_version_is_frozen(api, users, create_item):
    item = force_state(create_item("news", owner=users["editor"]), "in_review")
    seen = []

    def listener(sender, **kwargs):
        seen.append((sender.pk, PublishedVersion.objects(item=sender.pk).count()))

    transition_fired.connect(listener)
    try:
        api.call("POST", f"{BASE}/{item.pk}/workflow/publish", users["reviewer"])
    finally:
        transition_fired.disconnect(listener)
    assert seen == [(item.pk, 1)]


def test_publishing_the_work_plan_sends_it_to_all_member_cities_as_a_circular(app, api, users, create_item, city):
    """Seed VII: approved at the annual meeting, "und anschließend in Form eines Rundschreibens ... versandt"."""
    from content_types import Attachment, Circular, MemberCity

    meeting = force_state(create_item("meeting", year=2026, half=2, host_city=city("Aachen")), "held")
    german = _approved(create_item, users)
    Content._get_collection().update_one({"_id": german.pk}, {"$set": {"approved_meeting": meeting.pk}})
    assert api.call("POST", f"{BASE}/{german.pk}/workflow/publish", users["approver"]).status_code == 200
    plan_pdf = PublishedVersion.objects.get(item=german.pk).files[0]
    circular = Circular.objects.get(encloses=german.pk)
    assert circular.state == "published" and circular.language == "de" and circular.encloses_version == 1
    assert circular.number and "Arbeitsplan 2027" in circular.title
    members = {city.pk for city in MemberCity.objects(status="member")}
    assert {city.pk for city in circular.sent_to} == members and circular.recipients == []
    assert [a.sha256 for a in Attachment.objects(item=circular.pk)] == [plan_pdf.sha256]
    sent_version = PublishedVersion.objects.get(item=circular.pk)
    assert plan_pdf.sha256 in [f.sha256 for f in sent_version.files]  # the frozen circular carries the plan
    for member in (users["member"], users["member_b"]):
        listed = api.call("GET", f"{BASE}?type=circular", member).get_json()["items"]
        assert [entry["id"] for entry in listed] == [str(circular.pk)]

    # Its Chinese translation, certified and published, goes out in Chinese under the same number.
    chinese = api.call("POST", f"{BASE}/{german.pk}/translations", users["editor"], json={"language": "zh"}).get_json()
    api.call("POST", f"{BASE}/{chinese['id']}/workflow/submit", users["editor"])
    api.call("POST", f"{BASE}/{chinese['id']}/workflow/certify", users["reviewer"])
    api.call("POST", f"{BASE}/{chinese['id']}/workflow/publish", users["approver"])
    in_chinese = Circular.objects.get(encloses=chinese["id"])
    assert in_chinese.language == "zh" and in_chinese.number == circular.number
    assert in_chinese.translation_group == circular.translation_group and in_chinese.state == "published"

    # Repeating the publication step (a repair) sends nothing twice.
    with app.app_context():
        publication.publish(Content.objects.get(pk=german.pk), users["approver"])
    assert Circular.objects(encloses=german.pk).count() == 1
