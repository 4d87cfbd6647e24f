"""The company database's own API answers: a company's partner suggestions."""

from flask import jsonify

from cms.api import blueprint
from cms.api.content import load_item
from cms.auth import token_user
from cms.operations import companies
from content_types.base import reference_id


@blueprint.get("/content/<item_id>/partners")
def company_partners(item_id):
    """Return the partners suggested for a company (the other country's), each with why it was suggested."""
    user = token_user()
    company = load_item(item_id, user)
    return jsonify(
        {
            "items": [
                {
                    "id": str(found.company.pk),
                    "title": found.company.title,
                    "city": str(reference_id(found.company._data.get("city"))),
                    "country": found.company.country,
                    "sector": found.company.sector,
                    "score": found.score,
                    "reasons": [
                        {"field": reason.field, "kind": reason.kind, "text": companies.explain(reason)}
                        for reason in found.reasons
                    ],
                }
                for found in companies.partner_suggestions(user, company)
            ]
        }
    )
