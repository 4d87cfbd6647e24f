"""Bearer tokens: issuing, revoking, and who is calling."""

import secrets
from datetime import timedelta

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _

from cms import audit
from cms.api import blueprint
from cms.api.errors import ApiError
from cms.api.fields import iso
from cms.api.requests import json_body
from cms.auth import LoginRefused, authenticate, hash_key
from content_types import ApiToken, User
from content_types.base import utcnow


def api_user():
    """Return the user of the request's bearer token, or None for an anonymous call.

    The API never looks at the session cookie: a cookie is what CSRF abuses,
    so only token-authenticated calls are exempt from CSRF tokens.
    """
    if "api_user" not in g:
        g.api_user = _user_from_header()
    return g.api_user


def require_user():
    """Return the calling user, or raise 401."""
    user = api_user()
    if user is None:
        raise ApiError(401, "not_authenticated", _("Log in first: send Authorization: Bearer <token>."))
    return user


def _user_from_header():
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        raise ApiError(401, "invalid_token", _("The token is missing, invalid or expired."))
    record = ApiToken.objects(token_hash=hash_key(token.strip()), expires__gt=utcnow()).first()
    user = User.objects(pk=record.user.pk).first() if record else None
    if user is None or not user.is_active:
        raise ApiError(401, "invalid_token", _("The token is missing, invalid or expired."))
    g.api_token_hash = record.token_hash
    return user


@blueprint.post("/auth/token")
def issue_token():
    """Exchange e-mail and password for a bearer token."""
    data = json_body()
    try:
        user = authenticate(data.get("email"), data.get("password"))
    except LoginRefused as refusal:
        audit.record("login_failed", email=data.get("email")[:254] if isinstance(data.get("email"), str) else "")
        raise ApiError(401, "invalid_credentials", str(refusal)) from None
    audit.record("login", user, detail="api token")
    token = secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(hours=current_app.config["CMS_API_TOKEN_HOURS"])
    ApiToken(token_hash=hash_key(token), user=user, expires=expires).save()
    return jsonify({"token": token, "expires_at": iso(expires)})


@blueprint.delete("/auth/token")
def revoke_token():
    """Revoke the token this request carries."""
    require_user()
    ApiToken.objects(token_hash=g.api_token_hash).delete()
    return "", 204
