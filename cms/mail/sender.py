"""Delivering the outbox: claim a message, hand it to the mail server, mark it — once, across processes.

Each message is claimed by one compare-and-set (pending → sending), so two
senders (the background sender of a server — one per installation, see
cms.background — and `cms send-mail --watch` beside it) never take the same
message. A message whose hand-over failed goes back to
pending with a growing delay, and after CMS_MAIL_MAX_ATTEMPTS to failed. A
sender that dies between handing a message over and marking it leaves it
`sending`; when its lease has run out it becomes `unconfirmed` and is not
sent again by itself (it may have gone out: sending it again could double
it), but shown to admins, who can resend it.
"""

import logging
import os
import smtplib
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from hashlib import sha256
from pathlib import Path

import gridfs
import mongoengine as me
from flask import current_app
from flask_mail import BadHeaderError, Message

from cms.mail import mail
from cms.mail.outbox import one_line
from content_types import OutboxMessage
from content_types.base import utcnow

log = logging.getLogger(__name__)
BACKENDS = ("smtp", "file", "console")
# The longest wait between two attempts at one message.
MAX_DELAY = timedelta(hours=6)


@dataclass
class Delivery:
    """What one run of the sender did."""

    sent: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)


def backend_name() -> str:
    """Return how mail leaves: CMS_MAIL_BACKEND, else smtp when a mail server is configured, else file."""
    config = current_app.config
    return config["CMS_MAIL_BACKEND"] or ("smtp" if config.get("MAIL_SERVER") else "file")


def deliver_due(limit: int = 200, now=None, keep_going: Callable[[], bool] = lambda: True) -> Delivery:
    """Send up to `limit` messages that are due, oldest first; return what happened to each.

    A mail server that can't be reached ends the run after the first message
    (it is retried later); the others stay pending untouched. `keep_going` is
    asked before each message: a sender whose lease was lost stops there.
    """
    now = now or utcnow()
    delivery = Delivery(unconfirmed=_expire_leases(now))
    worker = f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
    backend = _open_backend()
    try:
        for _ in range(limit):
            if not keep_going():
                break
            message = _claim(worker, now)
            if message is None:
                break
            try:
                backend.send(message)
            except Exception as error:  # noqa: BLE001 — every failure is recorded on the message
                gave_up = _release(message, error, now)
                (delivery.failed if gave_up else delivery.retrying).append(str(message.pk))
                if not _is_about_the_message(error):
                    break  # the server is down or refuses us: the rest waits for the next run
                backend.reset()
                continue
            _mark_sent(message, worker)
            delivery.sent.append(str(message.pk))
    finally:
        backend.close()
    return delivery


def _claim(worker: str, now) -> OutboxMessage | None:
    lease = timedelta(seconds=current_app.config["CMS_MAIL_LEASE_SECONDS"])
    document = OutboxMessage._get_collection().find_one_and_update(
        {"status": "pending", "next_attempt_at": {"$lte": now}},
        {
            "$set": {"status": "sending", "claimed_by": worker, "lease_until": now + lease},
            "$inc": {"attempts": 1},
        },
        sort=[("next_attempt_at", 1), ("_id", 1)],
        return_document=True,
    )
    return OutboxMessage._from_son(document) if document else None


def _mark_sent(message: OutboxMessage, worker: str) -> None:
    OutboxMessage._get_collection().update_one(
        {"_id": message.pk, "status": "sending", "claimed_by": worker},
        {"$set": {"status": "sent", "sent_at": utcnow(), "last_error": ""}, "$unset": {"lease_until": ""}},
    )


def _release(message: OutboxMessage, error: Exception, now) -> bool:
    """Put `message` back for a later attempt, or give it up; return whether it was given up."""
    config = current_app.config
    permanent = isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600
    # A refused recipient, or a header the mail library won't write: trying again can't change the answer.
    permanent = permanent or isinstance(error, (smtplib.SMTPRecipientsRefused, BadHeaderError))
    gave_up = permanent or message.attempts >= config["CMS_MAIL_MAX_ATTEMPTS"]
    delay = min(timedelta(seconds=config["CMS_MAIL_RETRY_SECONDS"] * 2 ** (message.attempts - 1)), MAX_DELAY)
    text = f"{type(error).__name__}: {error}"[:2000]
    OutboxMessage._get_collection().update_one(
        {"_id": message.pk, "status": "sending"},
        {
            "$set": {
                "status": "failed" if gave_up else "pending",
                "last_error": text,
                "next_attempt_at": now + delay,
            },
            "$unset": {"lease_until": "", "claimed_by": ""},
        },
    )
    log.warning("mail %s to %s not sent (attempt %s): %s", message.pk, message.recipient, message.attempts, text)
    return gave_up


def _is_about_the_message(error: Exception) -> bool:
    # A refusal of this message or recipient: the next message may well go through on the same server.
    return isinstance(
        error, (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused, BadHeaderError)
    )


def _expire_leases(now) -> list[str]:
    """Mark messages whose sender died while handing them over as unconfirmed; return their ids."""
    collection = OutboxMessage._get_collection()
    expired = [doc["_id"] for doc in collection.find({"status": "sending", "lease_until": {"$lt": now}}, {"_id": 1})]
    for message_id in expired:
        collection.update_one(
            {"_id": message_id, "status": "sending", "lease_until": {"$lt": now}},
            {
                "$set": {
                    "status": "unconfirmed",
                    "last_error": "the sender stopped while handing this message over; it may have been sent",
                }
            },
        )
    if expired:
        log.warning("%s mail(s) unconfirmed: a sender stopped while handing them over", len(expired))
    return [str(message_id) for message_id in expired]


def email_message(message: OutboxMessage) -> Message:
    """Return the flask-mail message for an outbox message, its attachments read from where they are stored."""
    email = Message(
        subject=message.subject,
        # One line also for a message written before outbox.put made names so.
        recipients=[
            (one_line(message.recipient_name), message.recipient) if message.recipient_name else message.recipient
        ],
        body=message.text,
        html=message.html or None,
        extra_headers={**message.headers, "Auto-Submitted": "auto-generated"},
    )
    # The same message always has the same Message-ID: a receiving system can tell a copy from a new mail.
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip(">") or "alliance-cms"
    email.msgId = f"<{sha256(message.key.encode()).hexdigest()[:32]}@{domain}>"
    database = me.connection.get_db()
    for attachment in message.attachments:
        data = gridfs.GridFS(database, attachment.bucket).get(attachment.file_id).read()
        email.attach(attachment.name, attachment.content_type, data)
    return email


def _open_backend():
    name = backend_name()
    if name == "smtp":
        return _SmtpBackend()
    if name == "file":
        return _FileBackend(Path(current_app.config["CMS_DATA_DIR"]) / "mail")
    return _ConsoleBackend()


class _SmtpBackend:
    """One SMTP connection per run, opened at the first message and reopened after a failed one."""

    def __init__(self):
        self.connection = None

    def send(self, message: OutboxMessage) -> None:
        email = email_message(message)
        if self.connection is None:
            self.connection = mail.connect().__enter__()
        self.connection.send(email)

    def reset(self) -> None:
        self.close()

    def close(self) -> None:
        if self.connection is not None and self.connection.host is not None:
            try:
                self.connection.host.quit()
            except (smtplib.SMTPException, OSError):
                pass  # the connection is gone already
        self.connection = None


class _FileBackend:
    """For development: each message is written as an .eml file into the data directory's mail folder."""

    def __init__(self, folder: Path):
        self.folder = folder

    def send(self, message: OutboxMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"{message.pk}.eml").write_bytes(email_message(message).as_bytes())

    def reset(self) -> None:
        pass

    def close(self) -> None:
        pass


class _ConsoleBackend(_FileBackend):
    """For development: each message is logged."""

    def __init__(self):
        super().__init__(Path("."))

    def send(self, message: OutboxMessage) -> None:
        log.info("mail to %s: %s\n%s", message.recipient, message.subject, email_message(message).as_string())
