"""Notification preferences and the daily digest: held messages compiled per person and day, sent once."""

from datetime import datetime, timedelta

import pytest

from cms import scheduler
from cms.mail import digest, outbox, sender
from cms.mail.outbox import Recipient
from cms.operations import mail as mail_operations
from content_types import AuditEntry, OutboxMessage, User
from content_types.base import utcnow
from content_types.refusals import BadRequest, NotPossible
from tests.mail_support import STEP
from workflows import engine

WAITING = {**STEP, "steps": ["Prüfen"], "state_title": "In Prüfung"}
YESTERDAY = datetime.combine(utcnow().date() - timedelta(days=1), datetime.min.time()) + timedelta(hours=9)


@pytest.fixture(autouse=True)
def in_the_app(app):
    """Mail is written and compiled in the app, as in requests, commands and the background workers."""
    with app.app_context():
        yield


def _choose_digest(user, *kinds):
    User.objects(pk=user.pk).update_one(set__digest_kinds=list(kinds))
    return User.objects.get(pk=user.pk)


def _held(user, kind="step_taken", occasion="one", context=STEP, at=YESTERDAY):
    """Write a message for `user` as the notifications do, stamped at `at`."""
    message = outbox.put(kind, occasion, Recipient(user.email, user.language or "en"), context, user=user)
    OutboxMessage.objects(pk=message.pk).update_one(set__created=at)
    return OutboxMessage.objects.get(pk=message.pk)


def test_a_message_for_someone_who_chose_the_digest_is_held_and_never_sent_by_itself(users, smtp):
    owner = _choose_digest(users["editor"], "step_taken")
    held = _held(owner)
    immediate = _held(owner, "work_waiting", context=WAITING)
    assert held.status == "for_digest" and held.user == owner.pk
    assert immediate.status == "pending"  # a kind they read at once
    sender.deliver_due(now=utcnow() + timedelta(days=3))
    assert [message["Subject"] for message in smtp.inbox.to(owner.email)] == [immediate.subject]
    assert OutboxMessage.objects.get(pk=held.pk).status == "for_digest"


def test_mandatory_kinds_and_mail_without_an_account_are_never_held(users):
    owner = _choose_digest(users["editor"], "step_taken", "circular")
    circular = outbox.put(
        "circular",
        "c1",
        Recipient(owner.email, "de"),
        {"number": "1", "subject": "S", "title": "T", "body_text": "", "city": "Aachen", "link": "", "files": []},
        user=owner,
    )
    assert circular.status == "pending"
    assert outbox.put("step_taken", "x", Recipient(owner.email, "de"), STEP).status == "pending"  # no user= given


def test_a_transition_holds_the_owners_notice_when_they_chose_the_digest(users, create_item):
    owner = _choose_digest(users["editor"], "step_taken")
    item = engine.fire(owner, create_item("work_plan", owner=owner, title="Arbeitsplan 2027"), "submit")
    engine.fire(users["reviewer"], item, "reject", {"comment": "Bitte ergänzen."})
    (notice,) = OutboxMessage.objects(recipient=owner.email, kind="step_taken")
    assert notice.status == "for_digest" and notice.user == owner.pk and "Bitte ergänzen." in notice.text
    (waiting,) = OutboxMessage.objects(recipient=users["reviewer"].email, kind="work_waiting")
    assert waiting.status == "pending"  # the reviewer reads it at once (the default)


def test_a_digest_delivers_one_mail_listing_the_days_held_messages_in_the_persons_language_and_only_once(users, smtp):
    User.objects(pk=users["editor"].pk).update_one(set__language="de")
    owner = _choose_digest(users["editor"], "step_taken", "work_waiting")
    first = _held(owner, occasion="one")
    second = _held(
        owner, "work_waiting", "two", {**WAITING, "title": "Rundschreiben 7"}, at=YESTERDAY + timedelta(hours=5)
    )
    today = _held(owner, occasion="today", context={**STEP, "title": "Heute"}, at=utcnow())
    other = _choose_digest(users["reviewer"], "step_taken")
    theirs = _held(other, occasion="three", context={**STEP, "title": "Bericht"})

    assert digest.compile_due() == 2  # one for each person with held mail of a day that is over
    sender.deliver_due()
    (mail,) = smtp.inbox.to(owner.email)
    text = mail.get_body(("plain",)).get_content()
    assert mail["Subject"].startswith("Ihre tägliche Zusammenfassung") and "2 Nachrichten" in mail["Subject"]
    assert first.subject in text and second.subject in text and "Heute" not in text
    assert "Rundschreiben 7" in mail.get_body(("html",)).get_content()
    assert "/de/members/notifications" in text  # where to change it
    (their_mail,) = smtp.inbox.to(other.email)
    assert theirs.subject in their_mail.get_body(("plain",)).get_content() and first.subject not in str(their_mail)

    assert {m.status for m in OutboxMessage.objects(pk__in=[first.pk, second.pk, theirs.pk])} == {"digested"}
    assert OutboxMessage.objects.get(pk=today.pk).status == "for_digest"  # its day is not over
    # Again and again: nothing new is written or sent.
    assert digest.compile_due() == 0 and scheduler.run_once() is not None
    sender.deliver_due(now=utcnow() + timedelta(days=3))
    assert len(smtp.inbox.messages) == 2
    # Tomorrow today's held message gets its own digest.
    assert digest.compile_due(now=utcnow() + timedelta(days=1, hours=1)) == 1
    sender.deliver_due(now=utcnow() + timedelta(days=3))
    assert (
        len(smtp.inbox.to(owner.email)) == 2
        and "Heute" in smtp.inbox.to(owner.email)[1].get_body(("plain",)).get_content()
    )


def test_a_digest_run_stopped_halfway_is_finished_by_the_next_without_a_second_digest(users, smtp, monkeypatch):
    owner = _choose_digest(users["editor"], "step_taken")
    messages = [_held(owner, occasion=f"o{index}", context={**STEP, "title": f"Plan {index}"}) for index in range(3)]

    class Stopped(BaseException):
        """The process dies after taking the held messages."""

    def die():
        raise Stopped

    monkeypatch.setattr(digest, "_write_taken", die)
    with pytest.raises(Stopped):
        digest.compile_due()
    assert {m.status for m in OutboxMessage.objects(pk__in=[m.pk for m in messages])} == {"digesting"}
    monkeypatch.undo()
    assert digest.compile_due() == 1
    # Stopped after writing the digest but before marking its messages: the next run writes no second one.
    OutboxMessage.objects(pk__in=[m.pk for m in messages]).update(set__status="digesting")
    assert digest.compile_due() == 0
    assert {m.status for m in OutboxMessage.objects(pk__in=[m.pk for m in messages])} == {"digested"}
    sender.deliver_due()
    (mail,) = smtp.inbox.to(owner.email)
    text = mail.get_body(("plain",)).get_content()
    assert all(f"Plan {index}" in text for index in range(3))


def test_send_mail_writes_the_due_digests_and_sends_them(app, users, monkeypatch):
    from click.testing import CliRunner

    from cms.cli import main

    owner = _choose_digest(users["editor"], "step_taken")
    _held(owner)
    for name, key in (
        ("CMS_MONGODB_URI", "CMS_MONGODB_URI"),
        ("CMS_SECRET_KEY", "SECRET_KEY"),
        ("CMS_DATA_DIR", "CMS_DATA_DIR"),
    ):
        monkeypatch.setenv(name, app.config[key])
    monkeypatch.setenv("CMS_MAIL_BACKEND", "file")
    result = CliRunner().invoke(main, ["send-mail"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "1 daily digests written." in result.output and "1 sent" in result.output
    (written,) = OutboxMessage.objects(kind="digest")
    assert written.status == "sent" and written.recipient == owner.email


def test_choices_are_saved_and_mandatory_kinds_refused(users):
    editor = users["editor"]
    assert mail_operations.save_notification_choices(editor, {"step_taken": "digest"}) == ["step_taken"]
    assert User.objects.get(pk=editor.pk).digest_kinds == ["step_taken"]
    for kind in ("circular", "consultation", "consent_reminder", "meeting_announced", "digest"):
        with pytest.raises(NotPossible):
            mail_operations.save_notification_choices(editor, {kind: "digest"})
    for choices in ({"nonsense": "digest"}, {"step_taken": "weekly"}, {"step_taken": {"$ne": ""}}):
        with pytest.raises(BadRequest):
            mail_operations.save_notification_choices(editor, choices)
    assert User.objects.get(pk=editor.pk).digest_kinds == ["step_taken"]
    assert AuditEntry.objects(event="notification_choices_saved", actor=editor.pk).count() == 1


def test_choosing_immediately_again_sends_what_was_held(users):
    owner = _choose_digest(users["editor"], "step_taken")
    held = _held(owner)
    mail_operations.save_notification_choices(owner, {"step_taken": "immediately"})
    assert OutboxMessage.objects.get(pk=held.pk).status == "pending"
