"""Server-side records of logins: sessions, API tokens and failed-login counters."""

import mongoengine as me

from content_types.base import utcnow


class LoginSession(me.Document):
    """One browser login; the cookie holds a random key whose SHA-256 is stored here."""

    key_hash = me.StringField(required=True, unique=True, max_length=64)
    user = me.ReferenceField("User", required=True)
    created = me.DateTimeField(default=utcnow)
    expires = me.DateTimeField(required=True)

    meta = {"collection": "login_sessions", "indexes": ["user"]}


class ApiToken(me.Document):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    token_hash = me.StringField(required=True, unique=True, max_length=64)
    user = me.ReferenceField("User", required=True)
    created = me.DateTimeField(default=utcnow)
    expires = me.DateTimeField(required=True)

    meta = {"collection": "api_tokens", "indexes": ["user"]}


class LoginFailures(me.Document):
    """Failed logins counted under one key (an account from one client address, or one address), for throttling."""

    key = me.StringField(required=True, unique=True, max_length=400)
    count = me.IntField(default=0)
    locked_until = me.DateTimeField()
    last_failure = me.DateTimeField(default=utcnow)

    meta = {"collection": "login_failures"}
