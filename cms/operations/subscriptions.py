"""Newsletter subscriptions: subscribing (double opt-in), confirming and unsubscribing by signed links.

Anyone may subscribe an address; nobody learns from the answer whether it
was known (the caller says the same thing whatever happened). Only a
confirmed subscriber receives issues. Each subscription has its own nonce:
subscribing anew, or unsubscribing, replaces it, so an earlier confirmation
link can't confirm again — re-subscribing needs the new confirmation.
"""

import hashlib
from datetime import timedelta

import mongoengine as me
from bson import ObjectId
from flask import current_app
from flask_babel import gettext as _

from cms.mail import newsletter
from cms.mail.tokens import InvalidLink, read_confirmation, read_unsubscribe
from content_types import LANGUAGES, OutboxMessage, Subscriber
from content_types.base import utcnow
from content_types.documents import Counter
from content_types.newsletter import new_nonce
from content_types.refusals import TooMany

# A pending address is sent a new confirmation mail at most this often, however often it is entered.
RESEND_AFTER = timedelta(minutes=15)
# At most this many confirmation mails to one address in a week, however often it is entered: the form
# must not become a way to mail someone again and again. Past it the visitor gets the same answer.
CONFIRMATIONS_PER_WEEK = 3


def subscribe(email: str, language: str, client: str = "") -> None:
    """Ask `email` to confirm a subscription in `language`, unless it is confirmed already or was just asked.

    Raises TooMany when the client address sent more than CMS_NEWSLETTER_PER_ADDRESS subscriptions today
    (that answer says nothing about the e-mail address).
    """
    email = email.strip().lower()
    language = language if language in LANGUAGES else "en"
    now = utcnow()
    _count_the_client(client, now)
    week_ago = now - timedelta(days=7)
    if OutboxMessage.objects(kind="newsletter_confirmation", recipient=email, created__gt=week_ago).count() >= (
        CONFIRMATIONS_PER_WEEK
    ):
        return
    subscriber = Subscriber.objects(email=email).first()
    if subscriber is None:
        subscriber = Subscriber(email=email, language=language, subscribed_at=now)
        try:
            subscriber.save(force_insert=True)
        except me.NotUniqueError:
            return  # entered twice at the same moment: the other request asks for the confirmation
        newsletter.write_confirmation(subscriber)
        return
    if subscriber.status == "confirmed":
        return  # nothing to do, and nothing that tells the visitor so
    if subscriber.status == "pending" and subscriber.subscribed_at and now - subscriber.subscribed_at < RESEND_AFTER:
        return
    # Pending for a while (the mail may be lost) or unsubscribed: a new subscription with its own confirmation.
    renewed = Subscriber.objects(pk=subscriber.pk, status=subscriber.status, nonce=subscriber.nonce).modify(
        new=True, set__status="pending", set__nonce=new_nonce(), set__language=language, set__subscribed_at=now
    )
    if renewed is not None:
        newsletter.write_confirmation(renewed)


def _count_the_client(client: str, now) -> None:
    # One counter per client address and day (hashed: the key stays short and holds no address).
    digest = hashlib.sha256((client or "unknown").encode()).hexdigest()[:16]
    counter = Counter.objects(key=f"newsletter:{digest}:{now:%Y%m%d}").modify(upsert=True, new=True, inc__value=1)
    if counter.value > current_app.config["CMS_NEWSLETTER_PER_ADDRESS"]:
        raise TooMany(_("Too many subscriptions from your address today. Please try again tomorrow."))


def _subscriber(payload: dict) -> Subscriber | None:
    return Subscriber.objects(pk=payload["s"]).first() if ObjectId.is_valid(payload["s"]) else None


def subscriber_to_confirm(token: str) -> Subscriber:
    """Return the subscriber a confirmation link is for; InvalidLink (400) if it is not genuine, expired or stale."""
    payload = read_confirmation(token)
    subscriber = _subscriber(payload)
    # A link of an earlier subscription (since unsubscribed, or subscribed anew) confirms nothing.
    if subscriber is None or payload.get("n") != subscriber.nonce:
        raise InvalidLink(_stale())
    return subscriber


def confirm(token: str) -> Subscriber:
    """Confirm the subscription a link is for (confirming twice changes nothing); return the subscriber."""
    subscriber = subscriber_to_confirm(token)
    if subscriber.status == "pending":
        confirmed = Subscriber.objects(pk=subscriber.pk, status="pending", nonce=subscriber.nonce).modify(
            new=True, set__status="confirmed", set__confirmed_at=utcnow()
        )
        subscriber = confirmed or Subscriber.objects.get(pk=subscriber.pk)
    return subscriber


def subscriber_to_unsubscribe(token: str) -> Subscriber | None:
    """Return the subscriber an unsubscribe link is for (None if the address was removed); InvalidLink if forged."""
    return _subscriber(read_unsubscribe(token))


def unsubscribe(token: str) -> Subscriber | None:
    """Unsubscribe the address an unsubscribe link is for (again: nothing changes); return the subscriber."""
    subscriber = subscriber_to_unsubscribe(token)
    if subscriber is None or subscriber.status == "unsubscribed":
        return subscriber
    # A new nonce: the old confirmation link can't bring the address back without a new request.
    left = Subscriber.objects(pk=subscriber.pk, status__ne="unsubscribed").modify(
        new=True, set__status="unsubscribed", set__unsubscribed_at=utcnow(), set__nonce=new_nonce()
    )
    return left or Subscriber.objects(pk=subscriber.pk).first()


def _stale() -> str:
    return _(
        "This confirmation link belongs to an earlier subscription. Please use the newest one, or subscribe again."
    )
