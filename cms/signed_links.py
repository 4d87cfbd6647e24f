"""Signed, expiring tokens for links sent by mail (itsdangerous), each purpose with a salt of its own.

A token signed for one purpose is refused for every other: the salt is part
of the signature, so a link from one kind of mail can't be replayed at
another's address.
"""

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

# The purposes links are signed for (each is its own salt).
CONFIRM_APPLICATION = "alliance-cms.confirm-membership-application"
PURPOSES = (CONFIRM_APPLICATION,)
# Longer tokens than any we sign are refused before they are parsed.
MAX_TOKEN_LENGTH = 300


class BadToken(Exception):
    """The token is not one we signed for this purpose (forged, altered, another purpose's, malformed)."""


class ExpiredToken(BadToken):
    """The token was signed for this purpose but is older than allowed."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown link purpose {purpose!r}")
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def sign(purpose: str, value: str) -> str:
    """Return a URL-safe token carrying `value`, signed for `purpose` now."""
    return _serializer(purpose).dumps(value)


def read(purpose: str, token, max_age_seconds: int) -> str:
    """Return the value a token signed for `purpose` carries; BadToken or ExpiredToken otherwise."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise BadToken(token)
    try:
        value = _serializer(purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired as expired:
        raise ExpiredToken(token) from expired
    except BadSignature as bad:
        raise BadToken(token) from bad
    if not isinstance(value, str):
        raise BadToken(token)
    return value
