"""Who is told what by mail, in which language, with which link (the outbox as written; delivery is tested apart)."""

from datetime import datetime, timedelta

import pytest
from flask_babel import force_locale

from cms.mail import notifications
from cms.operations import consents, content
from content_types import Content, MemberCity, MembershipApplication, OutboxMessage, Reminder, User
from content_types.base import utcnow
from content_types.city import Contact
from tests.workflow_helpers import force_state
from workflows import engine
from workflows.audiences import AUDIENCES
from workflows.types import TYPES


@pytest.fixture(autouse=True)
def in_the_app(app):
    """Transitions run in the app, as in requests, commands and the background workers."""
    with app.app_context():
        yield


def mail_to(address, kind=None):
    """The outbox's messages to `address` (of `kind`)."""
    query = OutboxMessage.objects(recipient=address)
    return list(query.filter(kind=kind) if kind else query)


def test_every_audience_a_definition_may_name_has_its_writer():
    assert set(notifications.AUDIENCES) == set(AUDIENCES)


def test_a_submitted_document_is_announced_to_the_reviewers_not_to_its_submitter(users, create_item):
    User.objects(pk=users["reviewer"].pk).update_one(set__language="zh")
    item = create_item("work_plan", owner=users["editor"], title="Arbeitsplan 2027")
    engine.fire(users["editor"], item, "submit")

    (message,) = mail_to(users["reviewer"].email, "work_waiting")
    assert message.language == "zh" and message.subject == "等待您处理：Arbeitsplan 2027"
    assert f"http://127.0.0.1:5000/admin/content_work_plan/workflow/?id={item.pk}" in message.text
    assert mail_to(users["editor"].email) == []  # the submitter knows
    assert mail_to(users["approver"].email) == [] and mail_to(users["member"].email) == []


def test_a_send_back_tells_the_owner_with_the_comment_and_the_agenda_tells_the_approvers(
    users, create_item, create_user
):
    owner = create_user("editor")
    item = engine.fire(owner, create_item("work_plan", owner=owner, title="Arbeitsplan 2027"), "submit")
    engine.fire(users["reviewer"], item, "reject", {"comment": "Bitte die Budgettabelle ergänzen."})
    (message,) = mail_to(owner.email, "step_taken")
    assert message.language == "en" and message.subject.startswith("Send back")
    assert "Bitte die Budgettabelle ergänzen." in message.text and "Bitte die Budgettabelle" in message.html

    meeting = force_state(_meeting(users), "announced", starts_on=datetime(2030, 5, 1))
    item = engine.fire(owner, Content.objects.get(pk=item.pk), "submit")
    engine.fire(users["reviewer"], item, "accept", {"meeting_id": str(meeting.pk)})
    (waiting,) = mail_to(users["approver"].email, "work_waiting")
    assert "Record the meeting's approval" not in waiting.text  # offered only once the meeting was held
    assert "Defer" in waiting.text


def _meeting(users):
    from content_types import Meeting

    meeting = Meeting(
        title="Frühjahrstreffen 2030",
        language="de",
        year=2030,
        half=1,
        host_city=MemberCity.objects.get(name_de="Foshan"),
    )
    meeting.owner = users["editor"]
    engine.initialize(meeting)
    meeting.save_revision()
    return meeting


def _contacts(*pairs):
    """Give each named city one contact person: (city, address[, language])."""
    for name, address, *language in pairs:
        city = MemberCity.objects.get(name_de=name)
        city.contacts = [Contact(name=f"Kontakt {name}", email=address, language=(language or [None])[0])]
        city.save()


def test_announcing_a_meeting_tells_every_member_city_s_contacts_with_the_agenda_in_their_language(users):
    _contacts(("Foshan", "li@foshan.example"), ("Aachen", "anna@aachen.example"), ("Bonn", "ben@bonn.example"))
    meeting = _meeting(users)
    Content._get_collection().update_one(
        {"_id": meeting.pk},
        {"$set": {"agenda_items": ["Begrüßung", "Arbeitsplan"], "agenda_items_zh": ["欢迎", "工作计划"]}},
    )
    engine.fire(users["editor"], Content.objects.get(pk=meeting.pk), "announce")

    (chinese,) = mail_to("li@foshan.example", "meeting_announced")
    assert chinese.language == "zh" and "欢迎" in chinese.text and "工作计划" in chinese.html
    (german,) = mail_to("anna@aachen.example", "meeting_announced")
    assert german.language == "de" and "Begrüßung" in german.text
    assert mail_to("ben@bonn.example") == []  # Bonn is not a member


def test_an_announced_agenda_names_only_what_each_city_may_read_the_rest_by_its_type(users, create_item):
    # The meeting's page shows an item its reader may not view by its type only; its announcement does too.
    _contacts(("Foshan", "li@foshan.example", "de"), ("Aachen", "anna@aachen.example"))
    meeting = _meeting(users)
    internal = create_item("concept", owner=users["editor"], title="Vertraulich: Entwurf zum Austritt")
    published = create_item("news", owner=users["editor"], title="Bericht aus Foshan")
    addressed = create_item("circular", owner=users["editor"], title="Nur für Foshan: Haushalt")
    force_state(internal, "on_agenda", agenda_meeting=meeting.pk)
    force_state(published, "published", agenda_meeting=meeting.pk)
    foshan = MemberCity.objects.get(name_de="Foshan")
    force_state(addressed, "published", agenda_meeting=meeting.pk, recipients=[foshan.pk])
    engine.fire(users["editor"], Content.objects.get(pk=meeting.pk), "announce")

    with force_locale("de"):
        concept, circular = str(TYPES["concept"].title), str(TYPES["circular"].title)
    (to_foshan,) = mail_to("li@foshan.example", "meeting_announced")
    (to_aachen,) = mail_to("anna@aachen.example", "meeting_announced")
    for message in (to_foshan, to_aachen):
        assert "Vertraulich" not in message.text + message.html + message.subject
        assert "Bericht aus Foshan" in message.text and f". {concept}\n" in message.text
    assert "Nur für Foshan: Haushalt" in to_foshan.text
    assert "Nur für Foshan" not in to_aachen.text + to_aachen.html and f". {circular}\n" in to_aachen.text


def test_a_membership_application_asks_each_consulted_city_then_tells_secretariat_and_applicant(users, create_user):
    _contacts(("Foshan", "li@foshan.example"), ("Aachen", "anna@aachen.example", "en"))
    hannover = MemberCity(name_de="Hannover", name_zh="汉诺威", name_en="Hanover", country="DE").save()
    item = content.new_item(users["editor"], MembershipApplication.type_name)
    item.title, item.city, item.contact_email = "Beitrittsantrag Hannover", hannover, "buero@hannover.example"
    item = engine.fire(users["editor"], content.create_item(users["editor"], item), "circulate")

    (asked,) = mail_to("li@foshan.example", "consultation")
    assert asked.language == "zh" and "汉诺威" in asked.subject
    assert f"/zh/members/applications/{item.pk}" in asked.text
    (asked_in_english,) = mail_to("anna@aachen.example", "consultation")
    assert "Hanover" in asked_in_english.subject

    representative = create_user("member", city_name="Aachen")
    consents.record_decision(representative, Content.objects.get(pk=item.pk), "object", "Nicht jetzt.")
    assert Content.objects.get(pk=item.pk).state == "rejected"
    (to_applicant,) = mail_to("buero@hannover.example", "application_decided")
    assert to_applicant.language == "de" and "Abgelehnt" in to_applicant.subject
    assert "Aachen" not in to_applicant.text  # who objected stays within the alliance
    assert "/admin/" not in to_applicant.text  # the applicant has no account: no link into the admin
    (to_secretariat,) = mail_to(users["editor"].email, "application_decided")
    assert "Aachen" in to_secretariat.text
    assert len(mail_to(users["admin"].email, "application_decided")) == 1


def test_reminders_go_to_the_missing_cities_by_hand_and_when_overdue_once_per_period(app, users, create_user):
    _contacts(("Foshan", "li@foshan.example"), ("Aachen", "anna@aachen.example"))
    hannover = MemberCity(name_de="Hannover", name_zh="汉诺威", name_en="Hanover", country="DE").save()
    item = content.new_item(users["editor"], MembershipApplication.type_name)
    item.title, item.city = "Beitrittsantrag Hannover", hannover
    item = engine.fire(users["editor"], content.create_item(users["editor"], item), "circulate")
    consents.record_decision(create_user("member", city_name="Foshan"), Content.objects.get(pk=item.pk), "consent")

    consents.send_reminder(users["editor"], Content.objects.get(pk=item.pk))
    assert len(mail_to("anna@aachen.example", "consent_reminder")) == 1
    assert mail_to("li@foshan.example", "consent_reminder") == []  # Foshan decided

    days = app.config["CMS_CONSENT_REMINDER_DAYS"]
    assert consents.remind_overdue(now=utcnow() + timedelta(days=days - 1)) == []  # reminded by hand just now
    later = utcnow() + timedelta(days=days, hours=1)
    assert consents.remind_overdue(now=later) == [str(item.pk)]
    assert consents.remind_overdue(now=later) == []  # reminded in this period already
    assert len(mail_to("anna@aachen.example", "consent_reminder")) == 2
    assert Reminder.objects(application=item.pk).count() == 2


def test_links_in_mail_point_at_the_configured_site_whatever_host_the_request_named(app, users, create_item, api):
    item = create_item("work_plan", owner=users["editor"], title="Arbeitsplan 2027")
    response = api.call(
        "POST", f"/api/v1/content/{item.pk}/workflow/submit", users["editor"], headers={"Host": "evil.example"}
    )
    assert response.status_code == 200
    (message,) = mail_to(users["reviewer"].email, "work_waiting")
    assert "evil.example" not in message.text and "http://127.0.0.1:5000/admin/" in message.text


def test_a_failing_mail_writer_never_fails_the_step(users, create_item, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the template broke")

    monkeypatch.setattr(notifications.outbox, "put", broken)
    item = engine.fire(users["editor"], create_item("work_plan", owner=users["editor"]), "submit")
    assert item.state == "in_review" and OutboxMessage.objects.count() == 0


def test_a_step_taken_in_german_is_told_in_each_recipient_s_own_language(users, create_item):
    from flask_babel import force_locale

    User.objects(pk=users["reviewer"].pk).update_one(set__language="zh")
    item = create_item("work_plan", owner=users["editor"], title="Arbeitsplan 2027")
    with force_locale("de"):  # the editor's request runs in German
        engine.fire(users["editor"], item, "submit")
    (message,) = mail_to(users["reviewer"].email, "work_waiting")
    with force_locale("zh"):
        from workflows.definitions import state_title

        chinese_state = str(state_title("work_plan", "in_review"))
    with force_locale("de"):
        german_state = str(state_title("work_plan", "in_review"))
    assert chinese_state != german_state
    assert chinese_state in message.text and german_state not in message.text
