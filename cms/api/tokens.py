"""Bearer tokens: issuing and revoking (who is calling is cms.auth.token_user)."""

from flask import current_app, g, jsonify, request

from cms import audit
from cms.api import blueprint
from cms.api.fields import iso
from cms.api.requests import json_body, require_user
from cms.auth import LoginRefused, authenticate
from cms.operations import accounts


@blueprint.post("/auth/token")
def issue_token():
    """Exchange e-mail and password for a bearer token."""
    data = json_body()
    try:
        user = authenticate(data.get("email"), data.get("password"), request.remote_addr)
    except LoginRefused:
        audit.record("login_failed", email=data.get("email")[:254] if isinstance(data.get("email"), str) else "")
        raise
    audit.record("login", user, event="api_token")
    token, expires = accounts.issue_token(user, current_app.config["CMS_API_TOKEN_HOURS"])
    return jsonify({"token": token, "expires_at": iso(expires)})


@blueprint.delete("/auth/token")
def revoke_token():
    """Revoke the token this request carries."""
    require_user()
    accounts.revoke_token(g.token_hash)
    return "", 204
