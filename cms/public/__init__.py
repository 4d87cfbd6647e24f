"""The public site: the alliance's home page and its member cities."""

from flask import Blueprint, render_template
from flask_babel import get_locale
from flask_login import current_user

from cms.security import can
from content_types import MemberCity
from workflows.permissions import ACCESS_ADMIN

blueprint = Blueprint("public", __name__)


@blueprint.route("/")
def home():
    """Show the alliance, its member cities by country, and where to log in."""
    cities = MemberCity.objects.order_by("country", "name_de")
    language = str(get_locale() or "en")
    return render_template(
        "public/home.html",
        chinese=[city for city in cities if city.country == "CN"],
        german=[city for city in cities if city.country == "DE"],
        language=language,
        staff=can(current_user, ACCESS_ADMIN),
    )


def init_app(app) -> None:
    """Register the public pages."""
    app.register_blueprint(blueprint)
