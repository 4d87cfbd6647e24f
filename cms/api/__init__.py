"""The JSON API (/api/v1): the contract in shared/API.md, every answer asking can()."""

from flask import Blueprint, g, request

from cms import page_cache
from cms.auth import token_user

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")


def is_api_request() -> bool:
    """Return whether the current request is under /api/ (and must be answered in JSON)."""
    return request.path == "/api" or request.path.startswith("/api/")


# The route modules register themselves on the blueprint when imported.
from cms.api import (  # noqa: E402,F401
    attachments,
    cities,
    companies,
    content,
    events,
    exports,
    meetings,
    membership,
    meta,
    openapi,
    revisions,
    search,
    tokens,
    translations,
    users,
    versions,
    workflow,
)

# GET answers that must reach the database every time: whether it answers at all; search, whose index
# changes without a database write (`cms reindex`) and, in another worker, a moment after the write; and the
# exports, streamed files too large to keep.
NEVER_CACHED = frozenset({"api.health", "api.search_content", *(f"api.{name}" for name in exports.EXPORTS)})


@blueprint.before_request
def answer_from_cache():
    """Answer a repeated GET from the cache, per caller (every write the answer could show drops it)."""
    if request.method != "GET" or request.endpoint in NEVER_CACHED:
        return None
    token_user()  # a bad token is refused before any cached answer is looked at
    return page_cache.answer_from_cache(g.get("token_hash") or "anonymous")


@blueprint.after_request
def keep_answer(response):
    """Keep a GET's answer for the next time (see answer_from_cache)."""
    return page_cache.keep_answer(response)


def init_app(app, csrf) -> None:
    """Register the API; it authenticates by bearer token only, so it is exempt from CSRF."""
    csrf.exempt(blueprint)
    app.register_blueprint(blueprint)
