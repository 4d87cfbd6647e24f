"""The JSON API (/api/v1): the contract in shared/API.md, every answer asking can()."""

from flask import Blueprint, request

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")


def is_api_request() -> bool:
    """Return whether the current request is under /api/ (and must be answered in JSON)."""
    return request.path == "/api" or request.path.startswith("/api/")


# The route modules register themselves on the blueprint when imported.
from cms.api import (  # noqa: E402,F401
    attachments,
    cities,
    content,
    meetings,
    membership,
    meta,
    openapi,
    revisions,
    tokens,
    translations,
    users,
    versions,
    workflow,
)


def init_app(app, csrf) -> None:
    """Register the API; it authenticates by bearer token only, so it is exempt from CSRF."""
    csrf.exempt(blueprint)
    app.register_blueprint(blueprint)
