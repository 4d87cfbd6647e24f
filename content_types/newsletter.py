"""The newsletter: an issue compiling the news of a period, and the people who receive it."""

import secrets

import mongoengine as me
from flask_babel import lazy_gettext as _l

from content_types.base import LANGUAGES, Content, translatable, utcnow

SUBSCRIBER_STATUSES = ("pending", "confirmed", "unsubscribed")


class Newsletter(Content):
    """An issue of the newsletter: the news items of a period (chosen, or the period's released news) and an intro.

    The intro is the body. `news_items` is what the editor chose; empty means
    the released public news of the period, which the publication records in
    `carried` (what the issue sent, as a circular records `sent_to`).
    """

    type_name = "newsletter"
    # For the public (subscribers read it without an account): not a switch on its form, always public.
    editable_fields = ("title", "language", "period_start", "period_end", "news_items", "body")
    translatable_fields = translatable()
    year_field = "period_end"

    public = me.BooleanField(default=True)
    period_start = me.DateField(required=True)
    period_end = me.DateField(required=True)
    news_items = me.ListField(me.ReferenceField("News"), default=list, max_length=200)
    # Recorded by the publication: the news items the issue carries, in the order it shows them.
    carried = me.ListField(me.ObjectIdField(), default=list)

    def clean(self):
        """Refuse a period that ends before it starts; keep the issue public."""
        super().clean()
        self.public = True
        self.news_items = list(self.news_items or [])
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise me.ValidationError(errors={"period_end": _l("Ends before the period starts")})


def new_nonce() -> str:
    """Return a fresh random value naming one subscription (a confirmation link is good for it alone)."""
    return secrets.token_urlsafe(12)


class Subscriber(me.Document):
    """An address that asked for the newsletter: pending until it confirms (double opt-in), until it unsubscribes."""

    email = me.EmailField(required=True, unique=True, max_length=254)
    language = me.StringField(required=True, choices=LANGUAGES, default="de")
    status = me.StringField(required=True, choices=SUBSCRIBER_STATUSES, default="pending")
    # Changed whenever the address subscribes anew: links of an earlier subscription stop confirming it.
    nonce = me.StringField(required=True, max_length=40, default=new_nonce)
    created = me.DateTimeField(default=utcnow)
    subscribed_at = me.DateTimeField(default=utcnow)
    confirmed_at = me.DateTimeField()
    unsubscribed_at = me.DateTimeField()

    meta = {"collection": "subscribers", "indexes": ["status"]}

    def clean(self):
        """Keep the address in lower case (one subscriber per address, however it was typed)."""
        self.email = (self.email or "").strip().lower()
