"""The search box's pages: the site-wide search (public and member area) and the member area's company finder."""

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cms.exports.filters import COMPANY_FILTERS
from cms.i18n import current_language
from cms.public import blueprint
from cms.search import pages, query
from cms.security import can
from content_types.city import COUNTRIES
from content_types.refusals import BadRequest
from workflows.permissions import VIEW_CONTACTS


def _parsed():
    try:
        return query.parse(request.args)
    except BadRequest:
        abort(400)


def _document_url(hit) -> str:
    return url_for("public.document", item_id=hit.id)


@blueprint.route("/search")
def search_page():
    """Search everything the viewer may see (anonymous: the public, released items); not cached: the index moves."""
    text, filters, page = _parsed()
    found = pages.results(
        current_user, text, filters, page, url_for("public.search_page"), current_language(), _document_url
    )
    return render_template("public/search.html", found=found)


@blueprint.route("/members/companies")
@login_required
def companies():
    """The company finder: the search over companies, faceted by sector, country, city, interests and size.

    A representative lands on the other country's companies (partners for their city) unless they chose.
    """
    if not can(current_user, VIEW_CONTACTS):
        abort(404)
    city = current_user.city
    if not request.args and city is not None and city.country in COUNTRIES:
        other = next(country for country in COUNTRIES if country != city.country)
        return redirect(url_for("public.companies", country=other))
    text, filters, page = _parsed()
    filters = {**filters, "type": "company"}
    found = pages.results(
        current_user,
        text,
        filters,
        page,
        url_for("public.companies"),
        current_language(),
        _document_url,
        facets=pages.COMPANY_FACETS,
        kept_empty=("country",),
    )
    # The type is the page's own: not shown as a filter to remove.
    found["filters"] = [chosen for chosen, field in zip(found["filters"], filters) if field != "type"]
    # The same filters, as a spreadsheet (cms.exports): only those an export takes (the page's own `type`,
    # its paging, are not filters of the companies).
    chosen = {name: request.args.getlist(name) for name in COMPANY_FILTERS if request.args.getlist(name)}
    export_url = url_for("exports.companies", kind="xlsx", **chosen)
    return render_template("public/companies.html", found=found, export_url=export_url, text=text)
