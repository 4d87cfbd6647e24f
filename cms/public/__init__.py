"""The public site and the member area: published news, documents, meetings — what the viewer may see."""

from bson import ObjectId
from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from cms import listing
from cms.downloads import version_file_url
from cms.listing import LISTED_STATES
from cms.page_cache import cached_for_anonymous
from cms.security import can
from cms.versions import versions_of
from content_types import Content, MemberCity
from workflows import state_definition
from workflows.permissions import DOWNLOAD, VIEW

blueprint = Blueprint("public", __name__)

DOCUMENT_TYPES = ("concept", "work_plan", "mou", "declaration", "circular")
DOCUMENT_TITLES = {
    "concept": _l("Work concepts"),
    "work_plan": _l("Work plans"),
    "mou": _l("Memoranda of Understanding"),
    "declaration": _l("Member declarations"),
    "circular": _l("Circulars"),
    "news": _l("News"),
    "meeting": _l("Meetings"),
}


def visible(type_names, states):
    """Return the items of `type_names` in `states` that the current viewer may see."""
    return listing.visible(current_user, type_names, states)


def next_meeting():
    """Return the next announced meeting the current viewer may see."""
    return listing.next_meeting(current_user)


def language() -> str:
    """Return the current UI language code."""
    return str(get_locale() or "en")


@blueprint.route("/")
@cached_for_anonymous
def home():
    """The alliance, its latest news, the next meeting, and the member cities by country."""
    cities = MemberCity.objects.order_by("country", "name_de")
    return render_template(
        "public/home.html",
        news=visible(["news"], LISTED_STATES).order_by("-published_at")[:5],
        meeting=next_meeting(),
        chinese=[city for city in cities if city.country == "CN"],
        german=[city for city in cities if city.country == "DE"],
        language=language(),
    )


@blueprint.route("/news")
@cached_for_anonymous
def news():
    """All published news the viewer may see."""
    return render_template(
        "public/list.html",
        title=DOCUMENT_TITLES["news"],
        groups=[(DOCUMENT_TITLES["news"], list(visible(["news"], LISTED_STATES).order_by("-published_at")))],
    )


@blueprint.route("/documents")
@cached_for_anonymous
def documents():
    """Published documents by type and year."""
    chosen = request.args.get("type")
    types = [chosen] if chosen in DOCUMENT_TYPES else list(DOCUMENT_TYPES)
    groups = []
    for type_name in types:
        items = sorted(visible([type_name], LISTED_STATES), key=lambda item: (-(item.year_value() or 0), item.title))
        if items:
            groups.append((DOCUMENT_TITLES[type_name], items))
    return render_template(
        "public/list.html",
        title=_l("Documents"),
        groups=groups,
        types=DOCUMENT_TYPES,
        type_titles=DOCUMENT_TITLES,
        chosen=chosen,
    )


@blueprint.route("/documents/<item_id>")
@cached_for_anonymous
def document(item_id):
    """One item; 404 for anyone who may not view it (drafts included)."""
    item = Content.objects(pk=item_id).first() if ObjectId.is_valid(item_id) else None
    if item is None or not can(current_user, VIEW, item):
        abort(404)
    state = state_definition(item.type_name, item.state)
    published = (
        [
            (version, [(f, version_file_url(version, index)) for index, f in enumerate(version.files)])
            for version in reversed(versions_of(item))
        ]
        if can(current_user, DOWNLOAD, item)
        else []
    )
    return render_template(
        "public/item.html",
        item=item,
        state_title=state["title"] if state else item.state,
        type_title=DOCUMENT_TITLES.get(item.type_name, item.type_name),
        language=language(),
        versions=published,
    )


@blueprint.route("/meetings/next")
@cached_for_anonymous
def meeting():
    """The next meeting with its host city and published agenda."""
    return render_template("public/meeting.html", meeting=next_meeting(), language=language())


@blueprint.route("/members")
@login_required
def members():
    """The member area: the viewer's city, circulars sent to it, documents, the next meeting."""
    city = current_user.city
    circulars = visible(["circular"], LISTED_STATES).order_by("-published_at")
    if city is not None:
        circulars = circulars.filter(sent_to=city.pk)
    return render_template(
        "public/members.html",
        city=city,
        circulars=list(circulars[:50]),
        documents=list(
            visible([t for t in DOCUMENT_TYPES if t != "circular"], LISTED_STATES).order_by("-published_at")[:50]
        ),
        meeting=next_meeting(),
        language=language(),
        type_titles=DOCUMENT_TITLES,
    )


def init_app(app) -> None:
    """Register the public pages."""
    app.register_blueprint(blueprint)
