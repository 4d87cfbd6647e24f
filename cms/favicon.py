"""The site's icon at /favicon.ico, where browsers look for it unasked (a PDF in the viewer has no page naming it)."""

import functools
import hashlib
from pathlib import Path

from flask import Blueprint, Response, current_app, request

blueprint = Blueprint("favicon", __name__)
WEEK = 7 * 24 * 3600


@functools.cache
def _icon(static_folder: str) -> tuple[bytes, str]:
    # Read once and kept (a few KB): no file is left open per request, and the ETag is computed once.
    data = (Path(static_folder) / "favicon.ico").read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:32]


@blueprint.route("/favicon.ico")
def icon():
    """Send the icon (static/favicon.ico); browsers may keep it for a week."""
    data, etag = _icon(current_app.static_folder)
    response = Response(data, mimetype="image/x-icon")
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = WEEK
    return response.make_conditional(request)


def init_app(app) -> None:
    """Register the icon's route."""
    app.register_blueprint(blueprint)
