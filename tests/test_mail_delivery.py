"""Delivering the outbox through a real SMTP server on loopback: once, in the recipient's language, with the PDF.

The issue's "done when": publishing a circular delivers one mail, with its PDF,
to every contact person of the recipient cities in their language; stopping
the SMTP server during that batch and starting it again delivers the rest
exactly once.
"""

import threading
from datetime import timedelta

import pytest

from cms.mail import sender
from content_types import Circular, Content, MemberCity, OutboxMessage
from content_types.base import utcnow
from content_types.city import Contact
from workflows import engine

LATER = timedelta(days=2)  # past every retry delay the tests cause


@pytest.fixture(autouse=True)
def in_the_app(app):
    """Transitions run in the app, as in requests, commands and the background workers."""
    with app.app_context():
        yield


def _give_contacts():
    """Contacts for three member cities: default languages by country, one who reads English, one without mail."""
    foshan = MemberCity.objects.get(name_de="Foshan")
    foshan.contacts = [
        Contact(name="李明", email="li@foshan.example"),
        Contact(name="Wang Fang", email="wang@foshan.example", language="en"),
    ]
    foshan.save()
    aachen = MemberCity.objects.get(name_de="Aachen")
    aachen.contacts = [Contact(name="Anna Schmidt", email="anna@aachen.example"), Contact(name="Ohne Mail")]
    aachen.save()
    wuppertal = MemberCity.objects.get(name_de="Wuppertal")
    wuppertal.contacts = [Contact(name="Ben Berg", email="ben@wuppertal.example")]
    wuppertal.save()
    return {
        "li@foshan.example": "zh",
        "wang@foshan.example": "en",
        "anna@aachen.example": "de",
        "ben@wuppertal.example": "de",
    }


def _publish_circular(users, recipients=()):
    circular = Circular(title="Rundschreiben Jahrestreffen", subject="Einladung zum Jahrestreffen", language="de")
    circular.owner = users["editor"]
    circular.recipients = list(recipients)
    engine.initialize(circular)
    circular.assign_number()
    circular.save_revision()
    engine.fire(users["editor"], circular, "submit")
    published = engine.fire(users["reviewer"], Circular.objects.get(pk=circular.pk), "publish")
    # The reviewer and the owner were told of the steps too (test_mail_notifications); here: the circular's batch.
    OutboxMessage.objects(kind__ne="circular").delete()
    return published


def _expected(languages, circular):
    sent_to = {city.pk for city in MemberCity.objects(pk__in=[c.pk for c in circular.sent_to])}
    return {
        contact.email: languages[contact.email]
        for city in MemberCity.objects(pk__in=list(sent_to))
        for contact in city.contacts
        if contact.email
    }


def test_publishing_a_circular_mails_every_contact_person_once_with_the_pdf_in_their_language(app, users, smtp):
    languages = _give_contacts()
    circular = _publish_circular(users)
    expected = _expected(languages, circular)
    assert set(expected) == set(languages)  # sent to all member cities, so to every contact with an address

    delivery = sender.deliver_due()

    assert len(delivery.sent) == len(expected) and not delivery.retrying
    assert sorted(smtp.inbox.recipients()) == sorted(expected)
    subjects = {"zh": "通函", "de": "Rundschreiben", "en": "Circular"}
    for address, language in expected.items():
        (mail,) = smtp.inbox.to(address)
        assert mail["Subject"].startswith(subjects[language]) and circular.number in mail["Subject"]
        pdfs = [part for part in mail.iter_attachments() if part.get_content_type() == "application/pdf"]
        assert len(pdfs) == 1 and pdfs[0].get_content().startswith(b"%PDF")
        text = mail.get_body(("plain",)).get_content()
        assert f"/{language}/documents/{circular.pk}" in text and text.count("http://127.0.0.1:5000/") == 1
    # Sent, and never again.
    assert OutboxMessage.objects(status="sent").count() == len(expected)
    assert sender.deliver_due(now=utcnow() + LATER).sent == []
    assert len(smtp.inbox.messages) == len(expected)


def test_a_circular_to_some_cities_reaches_only_their_contact_persons(app, users, smtp):
    _give_contacts()
    _publish_circular(users, recipients=[MemberCity.objects.get(name_de="Aachen")])
    sender.deliver_due()
    assert smtp.inbox.recipients() == ["anna@aachen.example"]


def test_stopping_the_smtp_server_during_the_batch_delivers_the_rest_exactly_once_after_it_is_back(
    app, users, smtp, monkeypatch
):
    languages = _give_contacts()
    circular = _publish_circular(users)
    expected = _expected(languages, circular)
    handed_over = []
    real_send = sender._SmtpBackend.send

    def send_then_stop_after_the_second(backend, message):
        real_send(backend, message)
        handed_over.append(message.recipient)
        if len(handed_over) == 2:
            smtp.stop()

    monkeypatch.setattr(sender._SmtpBackend, "send", send_then_stop_after_the_second)
    first = sender.deliver_due()
    assert len(first.sent) == 2 and len(first.retrying) == 1  # the third found the server gone; the run stopped
    assert len(smtp.inbox.messages) == 2
    assert OutboxMessage.objects(status="pending").count() == len(expected) - 2

    assert sender.deliver_due(now=utcnow() + LATER).sent == []  # still down: nothing sent, nothing lost
    smtp.start()
    second = sender.deliver_due(now=utcnow() + 2 * LATER)  # when the retries are due
    assert len(second.sent) == len(expected) - 2
    assert sorted(smtp.inbox.recipients()) == sorted(expected)  # each contact exactly once
    assert OutboxMessage.objects(status="sent").count() == len(expected)


class SimulatedCrash(BaseException):
    """The process dies (not an error the sender could handle)."""


def test_a_crash_between_handing_over_and_marking_never_sends_that_message_twice(app, users, smtp, monkeypatch):
    languages = _give_contacts()
    circular = _publish_circular(users)
    expected = _expected(languages, circular)
    real_mark = sender._mark_sent
    marked = []

    def crash_on_the_second_mark(message, worker):
        if len(marked) == 1:
            raise SimulatedCrash
        real_mark(message, worker)
        marked.append(message.recipient)

    monkeypatch.setattr(sender, "_mark_sent", crash_on_the_second_mark)
    with pytest.raises(SimulatedCrash):
        sender.deliver_due()
    monkeypatch.setattr(sender, "_mark_sent", real_mark)
    assert len(smtp.inbox.messages) == 2  # the second went out, but was never marked

    # The restarted sender, after the crashed one's lease ran out.
    after_restart = sender.deliver_due(now=utcnow() + timedelta(seconds=app.config["CMS_MAIL_LEASE_SECONDS"] + 1))
    assert len(after_restart.unconfirmed) == 1 and len(after_restart.sent) == len(expected) - 2
    assert sorted(smtp.inbox.recipients()) == sorted(expected)  # nobody got a second copy
    (unconfirmed,) = OutboxMessage.objects(status="unconfirmed")
    assert "may have been sent" in unconfirmed.last_error


def test_a_refusing_server_is_retried_with_growing_delays_then_given_up_visibly(app, users, smtp):
    _give_contacts()
    _publish_circular(users, recipients=[MemberCity.objects.get(name_de="Wuppertal")])
    smtp.inbox.refuse = "451 Requested action aborted: local error"
    now = utcnow()
    waits = []
    for _attempt in range(app.config["CMS_MAIL_MAX_ATTEMPTS"]):
        delivery = sender.deliver_due(now=now)
        message = OutboxMessage.objects.get()
        waits.append(round((message.next_attempt_at - now).total_seconds()))  # stored to the millisecond
        now = message.next_attempt_at
    assert delivery.failed and message.status == "failed" and "451" in message.last_error
    assert waits[1] == 2 * waits[0] and waits[2] == 2 * waits[1]
    assert smtp.inbox.messages == []

    smtp.inbox.refuse = "451 still busy"
    message = OutboxMessage.objects.get()
    assert sender.deliver_due(now=now + LATER).sent == []  # given up: not tried by itself
    smtp.inbox.refuse = None
    from cms.mail import outbox

    assert outbox.resend(message, users["admin"]) is True  # an admin decides to try again
    assert len(sender.deliver_due().sent) == 1 and smtp.inbox.recipients() == ["ben@wuppertal.example"]


def test_a_permanent_refusal_is_given_up_at_once(app, users, smtp):
    _give_contacts()
    _publish_circular(users, recipients=[MemberCity.objects.get(name_de="Wuppertal")])
    smtp.inbox.refuse = "550 No such user here"
    delivery = sender.deliver_due()
    assert len(delivery.failed) == 1 and OutboxMessage.objects.get().attempts == 1


def test_a_contact_name_with_a_line_break_reaches_the_to_header_on_one_line(app, users, smtp):
    # Stored directly (as before contact names were checked): the mail library refuses a line break in a header.
    aachen = MemberCity.objects.get(name_de="Aachen")
    aachen.contacts = [Contact(name="Anna\r\nBcc: evil@example.org\u2028Schmidt", email="anna@aachen.example")]
    aachen.save()
    _publish_circular(users, recipients=[aachen])
    (message,) = OutboxMessage.objects(recipient="anna@aachen.example")
    assert message.recipient_name == "Anna Bcc: evil@example.org Schmidt"
    assert len(sender.deliver_due().sent) == 1
    assert smtp.inbox.recipients() == ["anna@aachen.example"]
    (received,) = smtp.inbox.to("anna@aachen.example")
    (to,) = received["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Anna Bcc: evil@example.org Schmidt", "anna@aachen.example")
    assert received["Bcc"] is None


def test_a_message_written_with_a_line_break_in_the_name_is_still_delivered_with_the_name_on_one_line(app, users, smtp):
    _give_contacts()
    _publish_circular(users, recipients=[MemberCity.objects.get(name_de="Wuppertal")])
    OutboxMessage.objects(recipient="ben@wuppertal.example").update_one(set__recipient_name="Ben\r\nBcc: x@example.org")
    assert len(sender.deliver_due().sent) == 1
    (received,) = smtp.inbox.to("ben@wuppertal.example")
    (to,) = received["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Ben Bcc: x@example.org", "ben@wuppertal.example")
    assert received["Bcc"] is None and smtp.inbox.recipients() == ["ben@wuppertal.example"]


def test_a_message_the_mail_library_refuses_is_given_up_at_once_and_the_others_still_go(app, users, smtp):
    _give_contacts()
    _publish_circular(users, recipients=[MemberCity.objects.get(name_de="Foshan")])
    # A header the library won't write (as a line break in any header would be): no retry can change that.
    first = OutboxMessage.objects.order_by("next_attempt_at", "id").first()
    OutboxMessage.objects(pk=first.pk).update_one(set__subject="Rundschreiben\r\nBcc: evil@example.org")
    delivery = sender.deliver_due()
    assert delivery.failed == [str(first.pk)] and len(delivery.sent) == 1
    assert OutboxMessage.objects.get(pk=first.pk).status == "failed" and len(smtp.inbox.recipients()) == 1
    assert "evil@example.org" not in smtp.inbox.recipients()


def test_two_senders_at_once_send_every_message_once(app, users, smtp):
    _give_contacts()
    _publish_circular(users)
    total = OutboxMessage.objects.count()
    results = []

    def run():
        with app.app_context():
            results.append(sender.deliver_due())

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(len(result.sent) for result in results) == total
    assert len(smtp.inbox.messages) == total and len(set(smtp.inbox.recipients())) == total


def test_a_failing_outbox_never_fails_the_publication_and_the_repair_writes_the_mail(app, users, smtp, monkeypatch):
    from cms import publication
    from cms.mail import outbox

    _give_contacts()

    def database_gone(*args, **kwargs):
        raise ConnectionError("the outbox can't be written")

    monkeypatch.setattr(outbox, "put", database_gone)
    circular = _publish_circular(users)
    assert circular.state == "published" and OutboxMessage.objects.count() == 0
    assert Content.objects.get(pk=circular.pk).publication_pending is True  # the repair will come back to it

    monkeypatch.undo()
    assert publication.repair() == [str(circular.pk)]
    assert publication.repair() == []  # once: the mark is cleared
    assert len(sender.deliver_due().sent) == OutboxMessage.objects.count() == 4


def test_the_file_backend_writes_each_message_as_an_eml_file(app, users, tmp_path):
    from pathlib import Path

    _give_contacts()
    app.config["CMS_MAIL_BACKEND"] = "file"
    try:
        _publish_circular(users, recipients=[MemberCity.objects.get(name_de="Aachen")])
        delivery = sender.deliver_due()
    finally:
        app.config["CMS_MAIL_BACKEND"] = None
    (message_id,) = delivery.sent
    written = Path(app.config["CMS_DATA_DIR"]) / "mail" / f"{message_id}.eml"
    assert b"anna@aachen.example" in written.read_bytes()


def test_publishing_the_approved_work_plan_mails_its_circular_with_the_plan_to_every_contact(
    app, users, smtp, create_item
):
    from tests.workflow_helpers import force_state

    languages = _give_contacts()
    plan = create_item("work_plan", owner=users["editor"], title="Arbeitsplan 2027")
    plan = force_state(plan, "approved", approved_revision=plan.revision)
    engine.fire(users["approver"], plan, "publish")
    (circular,) = Circular.objects(encloses=plan.pk)

    sender.deliver_due()
    for address, language in languages.items():
        (mail,) = [m for m in smtp.inbox.to(address) if circular.number in m["Subject"]]
        names = [part.get_filename() for part in mail.iter_attachments()]
        assert len(names) == 2 and "Arbeitsplan-2027-v1.pdf" in names, names


def test_a_contact_gets_the_circular_in_their_language_once_it_is_published_and_no_other_language_twice(
    app, users, smtp
):
    languages = _give_contacts()
    german = _publish_circular(users)  # only German so far: everyone gets it once
    sender.deliver_due()
    assert sorted(smtp.inbox.recipients()) == sorted(languages)

    chinese = Circular(
        title="致成员城市：年会邀请",
        subject="年会邀请",
        language="zh",
        translation_group=german.translation_group,
        translation_of=german.pk,
        number=german.number,
    )
    chinese.owner = users["editor"]
    engine.initialize(chinese)
    chinese.save_revision()
    engine.fire(users["editor"], chinese, "submit")
    engine.fire(users["reviewer"], Circular.objects.get(pk=chinese.pk), "publish")
    OutboxMessage.objects(kind__ne="circular").delete()
    smtp.inbox.messages.clear()
    sender.deliver_due()
    # The Chinese reader now gets it in Chinese; the others had it already and get nothing more.
    assert smtp.inbox.recipients() == ["li@foshan.example"]
    (mail,) = smtp.inbox.to("li@foshan.example")
    assert "年会邀请" in mail["Subject"] and german.number in mail["Subject"]


def test_two_send_mail_processes_at_once_send_every_message_once(app, users, smtp):
    import os
    import subprocess
    import sys

    _give_contacts()
    _publish_circular(users)
    total = OutboxMessage.objects.count()
    environment = {
        **os.environ,
        "CMS_MONGODB_URI": app.config["CMS_MONGODB_URI"],
        "CMS_DATA_DIR": app.config["CMS_DATA_DIR"],
        "CMS_SECRET_KEY": app.config["SECRET_KEY"],
        "CMS_MAIL_SERVER": "127.0.0.1",
        "CMS_MAIL_PORT": str(smtp.port),
    }
    command = [sys.executable, "-c", "from cms.cli import main; main()", "send-mail"]
    workers = [subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), outputs
    assert sum(int(output.split("sent,")[0].split()[-1]) for output in outputs) == total
    assert len(smtp.inbox.messages) == total and len(set(smtp.inbox.recipients())) == total


def test_send_mail_says_what_failed_and_exits_non_zero_for_cron(app, users, smtp, monkeypatch):
    from click.testing import CliRunner

    from cms.cli import main

    _give_contacts()
    _publish_circular(users, recipients=[MemberCity.objects.get(name_de="Aachen")])
    smtp.inbox.refuse = "550 mailbox unavailable"
    for name, value in (
        ("CMS_MONGODB_URI", app.config["CMS_MONGODB_URI"]),
        ("CMS_DATA_DIR", app.config["CMS_DATA_DIR"]),
        ("CMS_SECRET_KEY", app.config["SECRET_KEY"]),
        ("CMS_MAIL_SERVER", "127.0.0.1"),
        ("CMS_MAIL_PORT", str(smtp.port)),
    ):
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, ["send-mail"])
    assert result.exit_code == 1 and "0 sent, 0 to retry, 1 failed" in result.output
