"""Signed links for newsletter subscribers: one salt per purpose, so a link made for one thing does no other.

A token names a subscriber (and for confirmation the subscription it
confirms); it is signed with the app's secret key, so it can't be forged or
altered. Confirmation links expire; unsubscribe links don't (a mail read a
year later still lets its reader leave).
"""

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from content_types.refusals import BadRequest

CONFIRM = "newsletter-confirm"
UNSUBSCRIBE = "newsletter-unsubscribe"
PURPOSES = (CONFIRM, UNSUBSCRIBE)
# Longer than any token this module makes: a longer one is refused unread.
MAX_LENGTH = 300


class InvalidLink(BadRequest):
    """A link that was not made by this site for this purpose (forged, altered, cut, or for something else)."""

    code = "invalid_link"


class ExpiredLink(InvalidLink):
    """A genuine confirmation link that is too old."""

    code = "expired_link"


def _invalid() -> InvalidLink:
    return InvalidLink(_("This link is not valid. Please check that you opened it exactly as it was sent."))


def _serializer(secret: str, purpose: str) -> URLSafeTimedSerializer:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    return URLSafeTimedSerializer(secret, salt=f"alliance-cms:{purpose}")


def make_token(secret: str, purpose: str, payload: dict) -> str:
    """Return `payload` signed for `purpose` with `secret` (URL-safe)."""
    return _serializer(secret, purpose).dumps(payload)


def read_token(secret: str, purpose: str, token: str, max_age: float | None = None) -> dict:
    """Return the payload of a token signed for `purpose`; raise ExpiredLink or InvalidLink (400) otherwise."""
    if not isinstance(token, str) or not token or len(token) > MAX_LENGTH:
        raise _invalid()
    try:
        payload = _serializer(secret, purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise ExpiredLink(_("This confirmation link has expired. Please subscribe again.")) from None
    except BadSignature:
        raise _invalid() from None
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), str):
        raise _invalid()
    return payload


def confirmation_token(subscriber) -> str:
    """Return the token of `subscriber`'s confirmation link (good for this subscription only)."""
    return make_token(current_app.secret_key, CONFIRM, {"s": str(subscriber.pk), "n": subscriber.nonce})


def unsubscribe_token(subscriber) -> str:
    """Return the token of `subscriber`'s unsubscribe link."""
    return make_token(current_app.secret_key, UNSUBSCRIBE, {"s": str(subscriber.pk)})


def read_confirmation(token: str) -> dict:
    """Return a confirmation token's payload if it is genuine and not expired; else raise (400)."""
    hours = current_app.config["CMS_NEWSLETTER_CONFIRM_HOURS"]
    return read_token(current_app.secret_key, CONFIRM, token, max_age=hours * 3600)


def read_unsubscribe(token: str) -> dict:
    """Return an unsubscribe token's payload if it is genuine; else raise (400)."""
    return read_token(current_app.secret_key, UNSUBSCRIBE, token)
