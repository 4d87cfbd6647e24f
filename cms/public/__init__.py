"""The public site and the member area: published news, documents, meetings — what the viewer may see."""

from bson import ObjectId
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from mongoengine.queryset.visitor import Q

from cms import listing
from cms.downloads import version_links
from cms.i18n import current_language, prefix_with_language, sort_key
from cms.labels import agenda_in, describe_meeting, fallback_marker, shown, text_in
from cms.notification_settings import settings_page
from cms.operations import cities as city_operations
from cms.operations import mail as mail_operations
from cms.operations import proposals, withdrawals
from cms.page_cache import cached_page
from cms.public import member_companies, member_proposals, member_withdrawal, own_city
from cms.security import can
from cms.versions import versions_of
from content_types import LANGUAGES, Circular, Content, MemberCity
from content_types.city import CITY_STATUS_TITLES, COUNTRY_NAMES, LISTED_STATUSES, PROFILE_KEYS, PROFILE_TITLES
from workflows import has_flag, state_title
from workflows.permissions import DOWNLOAD, VIEW, VIEW_CONTACTS
from workflows.policy import decision_requested_query
from workflows.types import DOCUMENTS, NEWS, TYPES, listed_on

# Every public page carries its language in the URL (/de/..., /zh/..., /en/...),
# so a link shows the page in the language it was shared in, and caches keep
# each language apart. The same paths without a language redirect to one.
blueprint = Blueprint("public", __name__, url_prefix=f"/<any({','.join(LANGUAGES)}):lang>")
unprefixed = Blueprint("unprefixed", __name__)
UNPREFIXED_PATHS = (
    "/",
    "/news",
    "/documents",
    "/documents/<item_id>",
    "/meetings/next",
    "/events",
    "/members",
    "/cities",
    "/newsletter",
    "/search",
)


def released(type_names):
    """Return the released items of `type_names` that the current viewer may see."""
    return listing.released(current_user, type_names)


def next_meeting():
    """Return the next announced meeting the current viewer may see."""
    return listing.next_meeting(current_user)


def language() -> str:
    """Return the current UI language code."""
    return current_language()


prefix_with_language(blueprint)


MAX_KEPT_QUERY = 500


def to_language(**_values):
    """Redirect a path without a language to the same path in the viewer's language."""
    # A query string is kept, unless it is longer than any the site makes (it is not echoed back).
    path = request.full_path.rstrip("?") if len(request.query_string) <= MAX_KEPT_QUERY else request.path
    response = redirect(f"/{language()}{path}")
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


for _path in UNPREFIXED_PATHS:
    unprefixed.add_url_rule(_path, endpoint=_path, view_func=to_language)


@blueprint.route("/")
@cached_page
def home():
    """The alliance, its latest news, the next meeting, and the member cities by country."""
    # Members, and the cities asked to join; cities that left or were excluded are not the alliance's.
    # A city an applicant named on the public form is listed once it is a member, not before (anyone could name one).
    listed = MemberCity.objects(Q(status="member") | Q(status__in=LISTED_STATUSES, named_by_applicant__ne=True))
    cities = sorted(listed, key=lambda city: _city_key(city, language()))
    return render_template(
        "public/home.html",
        news=listing.one_per_group(released(listed_on(NEWS)).order_by("-published_at")[:30], language())[:5],
        meeting=next_meeting(),
        chinese=[city for city in cities if city.country == "CN"],
        german=[city for city in cities if city.country == "DE"],
        status_titles=CITY_STATUS_TITLES,
        language=language(),
    )


@blueprint.route("/news")
@cached_page
def news():
    """All published news the viewer may see."""
    return render_template(
        "public/list.html",
        title=TYPES[listed_on(NEWS)[0]].plural,
        groups=[
            (
                TYPES[listed_on(NEWS)[0]].plural,
                listing.one_per_group(released(listed_on(NEWS)).order_by("-published_at"), language()),
            )
        ],
        dated=True,
        newsletter_link=True,
    )


@blueprint.route("/documents")
@cached_page
def documents():
    """Published documents by type and year."""
    chosen = request.args.get("type")
    documents = listed_on(DOCUMENTS)
    types = [chosen] if chosen in documents else documents
    groups = []
    for type_name in types:
        entries = sorted(
            listing.one_per_group(released([type_name]), language()),
            key=lambda entry: (-(entry[0].year_value() or 0), sort_key(entry[0].title, language())),
        )
        if entries:
            groups.append((TYPES[type_name].plural, entries))
    return render_template(
        "public/list.html",
        title=_l("Documents"),
        groups=groups,
        types=documents,
        type_titles={name: TYPES[name].plural for name in documents},
        chosen=chosen,
    )


@blueprint.route("/documents/<item_id>")
@cached_page
def document(item_id):
    """One item; 404 for anyone who may not view it (drafts included)."""
    item = Content.objects(pk=item_id).first() if ObjectId.is_valid(item_id) else None
    if item is None or not can(current_user, VIEW, item):
        abort(404)
    published = (
        [(version, version_links(version)) for version in reversed(versions_of(item))]
        if can(current_user, DOWNLOAD, item)
        else []
    )
    siblings = listing.released_translations(current_user, item)
    return render_template(
        "public/item.html",
        item=item,
        siblings=siblings,
        wanted_missing=not item.speaks(language()) and language() not in siblings,
        state_title=state_title(item.type_name, item.state),
        preview=not has_flag(item.type_name, item.state, "released"),
        type_title=TYPES[item.type_name].title,
        language=language(),
        versions=published,
    )


@blueprint.route("/meetings/next")
@cached_page
def meeting():
    """The next meeting with its host city and published agenda."""
    return render_template("public/meeting.html", meeting=next_meeting(), language=language())


@blueprint.route("/cities")
@cached_page
def cities():
    """The member cities with their public profile in the reader's language; contacts for members and staff."""
    members = sorted(MemberCity.objects(status="member"), key=lambda city: _city_key(city, language()))
    return render_template(
        "public/cities.html",
        cities=members,
        profile=[(key, PROFILE_TITLES[key]) for key in PROFILE_KEYS],
        with_contacts=can(current_user, VIEW_CONTACTS),
        country_names=COUNTRY_NAMES,
        language=language(),
    )


@blueprint.route("/members")
@login_required
def members():
    """The member area: the viewer's city, circulars sent to it, documents, the next meeting."""
    city = current_user.city
    circulars = released([Circular.type_name]).order_by("-published_at")
    if city is not None:
        circulars = circulars.filter(sent_to=city.pk)
    return render_template(
        "public/members.html",
        city=city,
        circulars=listing.one_per_group(circulars[:150], language())[:50],
        documents=listing.one_per_group(
            released([t for t in listed_on(DOCUMENTS) if t != Circular.type_name]).order_by("-published_at")[:150],
            language(),
        )[:50],
        meeting=next_meeting(),
        may_edit_city=city is not None and city_operations.may_edit_city(current_user, city),
        may_propose=proposals.may_propose(current_user),
        may_propose_companies=member_companies.may_propose_companies(current_user),
        may_withdraw=withdrawals.may_file_withdrawal(current_user),
        may_choose_notifications=mail_operations.may_choose_notifications(current_user),
        language=language(),
        type_titles={name: registered.title for name, registered in TYPES.items()},
        awaiting=_awaiting_decision(),
    )


# The member area's page for a representative's own city (contacts and profile).
blueprint.add_url_rule(
    "/members/city", endpoint="own_city", view_func=login_required(own_city.own_city), methods=["GET", "POST"]
)
# A representative's proposals to the secretariat (Vorschlagsrecht).
blueprint.add_url_rule(
    "/members/proposals",
    endpoint="proposals",
    view_func=login_required(member_proposals.proposals_page),
    methods=["GET", "POST"],
)
# A representative proposes companies of their city for the company database (seed IV.1).
blueprint.add_url_rule(
    "/members/companies/propose",
    endpoint="member_companies",
    view_func=login_required(member_companies.companies_page),
    methods=["GET", "POST"],
)
blueprint.add_url_rule(
    "/members/companies/propose/<item_id>/send",
    endpoint="member_company_send",
    view_func=login_required(member_companies.send_entry),
    methods=["POST"],
)
# A representative files their city's written withdrawal request (seed V).
blueprint.add_url_rule(
    "/members/withdrawal",
    endpoint="withdrawal",
    view_func=login_required(member_withdrawal.withdrawal_page),
    methods=["GET", "POST"],
)


# How notifications reach the logged-in person: immediately or in the daily digest, per kind.
@blueprint.route("/members/notifications", methods=["GET", "POST"])
@login_required
def notification_settings():
    """Choose, per kind of notification, immediately or in the daily digest (any logged-in account)."""
    return settings_page(
        lambda **values: render_template("public/notification_settings.html", **values),
        url_for("public.notification_settings"),
    )


def _awaiting_decision() -> list[Content]:
    # The applications on which the viewer's city's decision is requested (the member's worklist).
    query = decision_requested_query(current_user)
    return list(Content.objects(__raw__=query).order_by("changed")[:50]) if query is not None else []


def _city_key(city: MemberCity, language: str):
    return (city.country, sort_key(city.name(language), language))


def init_app(app) -> None:
    """Register the public pages and the redirects from paths without a language."""
    app.register_blueprint(blueprint)
    app.register_blueprint(unprefixed)
    newsletter.init_app(app)
    company_details.init_app(app)
    app.jinja_env.globals["describe_meeting"] = describe_meeting
    app.jinja_env.globals.update(text_in=text_in, agenda_in=agenda_in, shown=shown, fallback_marker=fallback_marker)
    app.jinja_env.globals["meeting_documents"] = lambda meeting: listing.meeting_documents(current_user, meeting)
    app.jinja_env.globals["newsletter_news"] = lambda issue: listing.newsletter_news(current_user, issue)


# The member area's application pages, the public membership form and the newsletter pages register
# themselves on the blueprint when imported.
from cms.public import applications, apply, company_details, events, newsletter, search_pages  # noqa: E402,F401
