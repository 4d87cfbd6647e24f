"""Writing messages to the outbox (once per event and recipient), and what admins do with failed ones."""

import logging
from dataclasses import dataclass

import mongoengine as me

from cms import audit
from cms.mail import kinds, preferences
from content_types import OutboxMessage
from content_types.base import LANGUAGES, utcnow
from content_types.mail import MailAttachment

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    """Whom a message goes to, and in which language they read."""

    email: str
    language: str
    name: str = ""


def put(
    kind: str,
    occasion: str,
    recipient: Recipient,
    context: dict,
    item=None,
    event: str = "",
    attachments: tuple[MailAttachment, ...] = (),
    headers: dict | None = None,
    user=None,
) -> OutboxMessage | None:
    """Write the mail of `kind` for `occasion` to `recipient`, rendered in their language; None if it is there.

    `occasion` names what happened (e.g. "circular:<id>:v1"): with the kind and
    the recipient it is the message's idempotency key, so writing it again
    (a repaired publication, a listener run twice) adds nothing. `user` is the
    account the message is for, if it is for one: when that person reads this
    kind in the daily digest, the message is written held for it.
    """
    email = recipient.email.strip().lower()
    language = recipient.language if recipient.language in LANGUAGES else "en"
    key = f"{kind}:{occasion}:{email}"
    if OutboxMessage.objects(key=key).only("id").first() is not None:
        return None
    rendered = kinds.render(kind, language, context)
    message = OutboxMessage(
        key=key,
        kind=kind,
        event=event or occasion,
        item=getattr(item, "pk", item),
        recipient=email,
        recipient_name=one_line(recipient.name)[:200],
        language=language,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        attachments=list(attachments),
        headers=dict(headers or {}),
        user=getattr(user, "pk", None),
        status="for_digest" if preferences.holds_for_digest(user, kind) else "pending",
    )
    try:
        message.save(force_insert=True)
    except me.NotUniqueError:  # written at the same moment by another process
        return None
    return message


def one_line(text: str) -> str:
    """Return `text` as one line: whitespace runs (line breaks too) as one space, other control characters gone.

    A recipient's name goes into the To header: a line break there makes the
    mail library refuse the message, so every mail to that person would fail.
    """
    return "".join(char for char in " ".join((text or "").split()) if ord(char) >= 32 and ord(char) != 127)


def put_all(kind: str, occasion: str, recipients, context_for, **fields) -> int:
    """Write one message per recipient (context_for(recipient) gives its context); return how many are new."""
    written = 0
    for recipient in unique(recipients):
        if put(kind, occasion, recipient, context_for(recipient), **fields) is not None:
            written += 1
    return written


def unique(recipients) -> list[Recipient]:
    """Return `recipients` with each address once (the first one named wins), skipping empty addresses."""
    seen, kept = set(), []
    for recipient in recipients:
        email = (recipient.email or "").strip().lower()
        if email and email not in seen:
            seen.add(email)
            kept.append(recipient)
    return kept


def release_held(user, kinds_now_immediate) -> int:
    """Put `user`'s held messages of kinds they now read immediately in line for sending; return how many."""
    kinds_now_immediate = list(kinds_now_immediate)
    if not kinds_now_immediate:
        return 0
    return OutboxMessage.objects(user=user.pk, status="for_digest", kind__in=kinds_now_immediate).update(
        set__status="pending", set__next_attempt_at=utcnow()
    )


def resend(message: OutboxMessage, actor) -> bool:
    """Put a failed or unconfirmed message back in line for sending (an admin's decision); return whether it was."""
    moved = OutboxMessage.objects(pk=message.pk, status__in=("failed", "unconfirmed")).update_one(
        set__status="pending", set__next_attempt_at=utcnow(), set__attempts=0, set__last_error=""
    )
    if moved:
        audit.record("update", actor, None, "mail_resent", recipient=message.recipient, subject=message.subject)
    return bool(moved)
