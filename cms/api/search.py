"""GET /api/v1/search: the index, ranked, filtered by facets, limited to what the caller may view."""

from flask import jsonify, request

from cms import search
from cms.api import blueprint
from cms.auth import token_user
from cms.search import query


@blueprint.get("/search")
def search_content():
    """Search titles, bodies, fields and attachments' text of what the caller may view; ranked, with facet counts."""
    text, filters, page = query.parse(request.args)
    per_page = query.per_page_of(request.args)
    user = token_user()
    found = search.search(user, text, filters, page, per_page)
    terms, _prefix = search.query_terms(text)
    items = [
        {
            "id": hit.id,
            "type": hit.type,
            "title": hit.title,
            "snippet": query.snippet(hit.preview, terms),
            "score": round(hit.score, 4),
        }
        for hit in found.hits
    ]
    return jsonify({"items": items, "total": found.total, "page": page, "per_page": per_page, "facets": found.facets})
