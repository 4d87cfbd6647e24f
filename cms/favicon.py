"""The site's icon at /favicon.ico, where browsers look for it unasked (a PDF in the viewer has no page naming it)."""

from flask import Blueprint, current_app, send_from_directory

blueprint = Blueprint("favicon", __name__)
WEEK = 7 * 24 * 3600


@blueprint.route("/favicon.ico")
def icon():
    """Send the icon (static/favicon.ico); browsers may keep it for a week."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/x-icon", max_age=WEEK)


def init_app(app) -> None:
    """Register the icon's route."""
    app.register_blueprint(blueprint)
