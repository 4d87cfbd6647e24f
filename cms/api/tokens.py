"""Bearer tokens: issuing and revoking (who is calling is cms.auth.token_user)."""

import secrets
from datetime import timedelta

from flask import current_app, g, jsonify

from cms import audit
from cms.api import blueprint
from cms.api.fields import iso
from cms.api.requests import json_body, require_user
from cms.auth import LoginRefused, authenticate, hash_key
from content_types import ApiToken
from content_types.base import utcnow


@blueprint.post("/auth/token")
def issue_token():
    """Exchange e-mail and password for a bearer token."""
    data = json_body()
    try:
        user = authenticate(data.get("email"), data.get("password"))
    except LoginRefused:
        audit.record("login_failed", email=data.get("email")[:254] if isinstance(data.get("email"), str) else "")
        raise
    audit.record("login", user, detail="api token")
    token = secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(hours=current_app.config["CMS_API_TOKEN_HOURS"])
    ApiToken(token_hash=hash_key(token), user=user, expires=expires).save()
    return jsonify({"token": token, "expires_at": iso(expires)})


@blueprint.delete("/auth/token")
def revoke_token():
    """Revoke the token this request carries."""
    require_user()
    ApiToken.objects(token_hash=g.token_hash).delete()
    return "", 204
