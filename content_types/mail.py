"""The outbox: every mail the CMS sends is first a stored message, delivered (once) by the sender."""

import mongoengine as me

from content_types.base import LANGUAGES, utcnow

# pending: waiting for (another) attempt; sending: claimed by a sender right now; sent: handed to the
# SMTP server; failed: given up (too many attempts, or refused for good) — shown to admins, who may
# resend it; unconfirmed: a sender stopped while handing it over, so it may or may not have gone out —
# never resent by itself (that could double it), shown to admins to decide; for_digest: for an account that
# reads this kind in its daily digest — never sent itself; digesting: taken into a digest being written;
# digested: listed in a digest that was written (the digest is a message of its own).
MAIL_STATUSES = ("pending", "sending", "sent", "failed", "unconfirmed", "for_digest", "digesting", "digested")


class MailAttachment(me.EmbeddedDocument):
    """A file a message carries, by reference to where it is stored (read when the message is sent)."""

    bucket = me.StringField(required=True, max_length=60)  # the GridFS bucket (collection prefix)
    file_id = me.ObjectIdField(required=True)
    name = me.StringField(required=True, max_length=255)
    content_type = me.StringField(required=True, max_length=120)


class OutboxMessage(me.Document):
    """One mail to one recipient, written when its event happens and marked when it was delivered."""

    # What makes it unique: the event, its occasion and the recipient. Writing the same message
    # again (a repaired publication, a repeated listener) finds the key taken and adds nothing.
    key = me.StringField(required=True, max_length=400, unique=True)
    kind = me.StringField(required=True, max_length=60)  # the notification kind (its template)
    event = me.StringField(max_length=200, default="")  # what caused it, for people reading the outbox
    item = me.ObjectIdField()  # the content item it is about, if any
    recipient = me.EmailField(required=True, max_length=254)
    recipient_name = me.StringField(max_length=200, default="")
    # The account it was written for, when it was written for one (its digest is compiled per account).
    user = me.ObjectIdField()
    # While digesting and once digested: the key of the digest that lists it.
    digest_key = me.StringField(max_length=400, default="")
    language = me.StringField(required=True, choices=LANGUAGES)
    subject = me.StringField(required=True, max_length=400)
    text = me.StringField(required=True)
    html = me.StringField(default="")
    attachments = me.EmbeddedDocumentListField(MailAttachment, default=list)
    # Extra headers (List-Unsubscribe for the newsletter).
    headers = me.DictField(default=dict)
    status = me.StringField(required=True, choices=MAIL_STATUSES, default="pending")
    attempts = me.IntField(default=0, min_value=0)
    last_error = me.StringField(max_length=2000, default="")
    created = me.DateTimeField(default=utcnow)
    next_attempt_at = me.DateTimeField(default=utcnow)
    # While `sending`: which sender holds it and until when (a sender that died leaves it `unconfirmed`).
    claimed_by = me.StringField(max_length=120, default="")
    lease_until = me.DateTimeField()
    sent_at = me.DateTimeField()

    meta = {
        "collection": "outbox",
        "indexes": ["status", "item", "recipient"],
        "ordering": ["-created"],
    }
