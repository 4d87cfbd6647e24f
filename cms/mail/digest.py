"""The daily digest: each person's held messages of a day, compiled into one mail in their language.

Two steps, each safe to repeat, so that a run stopped anywhere loses and
doubles nothing: first the held messages of a day that is over are taken
for that day's digest (held → digesting, marked with the digest's key, by
one conditional update); then, for each digest key with messages
digesting, the digest is written to the outbox under that key (written
once: the outbox's key is unique) and its messages become digested. A
message held after its day's digest was written (it would have to be
written more than GRACE after its own time stamp) waits for the next
day's digest instead.
"""

import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

from flask import current_app
from flask_babel import force_locale

from cms.mail import kinds, outbox
from cms.mail.links import absolute
from cms.mail.outbox import Recipient
from cms.mail.preferences import DIGEST_KIND
from content_types import OutboxMessage, User
from content_types.base import LANGUAGES, utcnow

log = logging.getLogger(__name__)
# How long after midnight (UTC) a day's held messages are compiled: a message is stamped when it is
# rendered and stored a moment later, so a day is closed only once nothing can still arrive for it.
GRACE = timedelta(minutes=10)


def compile_due(now=None) -> int:
    """Write the digests of every day that is over; return how many digests were written."""
    now = now or utcnow()
    _take_held(now)
    return _write_taken()


def day_of(message: OutboxMessage):
    """Return the (UTC) day whose digest lists `message`."""
    return message.created.date()


def digest_key(user_id, day) -> str:
    """Return the key that names one person's digest of one day (the occasion of its outbox message)."""
    return f"{user_id}:{day.isoformat()}"


def _take_held(now) -> None:
    """Mark the held messages of closed days as digesting, each with its person's and day's digest key."""
    closed_before = datetime.combine((now - GRACE).date(), time.min)  # naive UTC, as stored
    held = OutboxMessage.objects(status="for_digest", created__lt=closed_before).only("user", "created")
    days = {(message.user, day_of(message)) for message in held if message.user is not None}
    for user_id, day in sorted(days, key=str):
        start = datetime.combine(day, time.min)
        OutboxMessage.objects(
            user=user_id, status="for_digest", created__gte=start, created__lt=start + timedelta(days=1)
        ).update(set__status="digesting", set__digest_key=digest_key(user_id, day))


def _write_taken() -> int:
    """Write a digest for each key with messages digesting, then mark them digested; return how many were new."""
    groups = defaultdict(list)
    for message in OutboxMessage.objects(status="digesting").order_by("created"):
        groups[(message.digest_key, message.user)].append(message)
    written = 0
    for (key, user_id), messages in groups.items():
        recipient = _recipient(user_id, messages[-1])
        context = _context(recipient.language, messages)
        attachments = tuple(attachment for message in messages for attachment in message.attachments)
        if outbox.put(DIGEST_KIND, key, recipient, context, event="digest", attachments=attachments) is not None:
            written += 1
        OutboxMessage.objects(pk__in=[message.pk for message in messages], status="digesting").update(
            set__status="digested"
        )
    return written


def _recipient(user_id, last: OutboxMessage) -> Recipient:
    # The person's address and language now; an account deleted since still gets what was held for it,
    # as it would have had it at once.
    user = User.objects(pk=user_id).first()
    if user is None:
        return Recipient(last.recipient, last.language, last.recipient_name)
    language = user.language if user.language in LANGUAGES else current_app.config["BABEL_DEFAULT_LOCALE"]
    return Recipient(user.email, language, user.name or "")


def _context(language: str, messages: list[OutboxMessage]) -> dict:
    with force_locale(language):
        entries = [
            {
                "title": str(kinds.KINDS[message.kind].title) if message.kind in kinds.KINDS else message.kind,
                "subject": message.subject,
                "time": message.created.strftime("%H:%M") + " UTC",
                # Without each message's signature: the digest has one.
                "text": message.text.split("\n-- \n")[0].strip(),
            }
            for message in messages
        ]
    return {
        "day": day_of(messages[0]),
        "entries": entries,
        "settings_link": absolute("public.notification_settings", lang=language),
    }
