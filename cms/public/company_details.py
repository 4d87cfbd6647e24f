"""What a company's or a cooperation project's page shows beside its text: its facts, contact and partners."""

from flask import url_for
from flask_babel import format_decimal
from flask_login import current_user

from cms.labels import FIELD_LABELS
from cms.operations import companies
from cms.security import can
from content_types import Company
from content_types.base import reference_id
from content_types.city import COUNTRY_NAMES, MemberCity
from content_types.company import INTEREST_TITLES, PROJECT_KIND_TITLES, SIZE_TITLES, STAGE_TITLES
from content_types.sectors import sector_title
from workflows.permissions import VIEW, VIEW_CONTACTS


def _city_name(value, language: str) -> str:
    city = MemberCity.objects(pk=reference_id(value)).first() if value is not None else None
    return city.name(language) if city else ""


def company_facts(item, language: str) -> list[tuple[str, str]]:
    """Return (label, text) of a company's facts; its contact only for member cities and staff."""
    facts = [(FIELD_LABELS[name], getattr(item, name)) for name in ("name_de", "name_zh", "name_en")]
    facts += [
        (FIELD_LABELS["city"], _city_name(item._data.get("city"), language)),
        (FIELD_LABELS["country"], str(COUNTRY_NAMES.get(item.country, item.country or ""))),
        (FIELD_LABELS["sector"], sector_title(item.sector)),
        (FIELD_LABELS["size"], str(SIZE_TITLES.get(item.size, ""))),
        (FIELD_LABELS["products"], ", ".join(item.products)),
        (FIELD_LABELS["interests"], ", ".join(str(INTEREST_TITLES[code]) for code in item.interests)),
        (FIELD_LABELS["website"], item.website),
    ]
    if can(current_user, VIEW_CONTACTS):
        facts += [(FIELD_LABELS[name], getattr(item, name)) for name in type(item).members_only_fields]
    return [(str(label), text) for label, text in facts if text]


def project_facts(item, language: str) -> list[tuple[str, str]]:
    """Return (label, text) of a cooperation project's facts, its companies only those the reader may view."""
    volume = f"{format_decimal(item.volume)} {item.currency}" if item.volume is not None else ""
    facts = [
        (FIELD_LABELS["cooperation"], str(PROJECT_KIND_TITLES.get(item.cooperation, ""))),
        (FIELD_LABELS["stage"], str(STAGE_TITLES.get(item.stage, ""))),
        (FIELD_LABELS["german_city"], _city_name(item._data.get("german_city"), language)),
        (FIELD_LABELS["chinese_city"], _city_name(item._data.get("chinese_city"), language)),
        (FIELD_LABELS["volume"], volume),
        (FIELD_LABELS["started_on"], item.started_on.isoformat() if item.started_on else ""),
        (FIELD_LABELS["ends_on"], item.ends_on.isoformat() if item.ends_on else ""),
        (FIELD_LABELS["source"], item.source),
    ]
    for side in ("german_companies", "chinese_companies"):
        ids = [reference_id(company) for company in item._data.get(side) or ()]
        seen = [company.title for company in Company.objects(pk__in=ids) if can(current_user, VIEW, company)]
        facts.append((FIELD_LABELS[side], ", ".join(seen)))
    return [(str(label), text) for label, text in facts if text]


def partners(item) -> list[dict]:
    """Return the partners suggested for a company, each with its page and the reasons, for the reader."""
    return [
        {
            "title": found.company.title,
            "url": url_for("public.document", item_id=found.company.pk),
            "sector": sector_title(found.company.sector),
            "reasons": [companies.explain(reason) for reason in found.reasons],
        }
        for found in companies.partner_suggestions(current_user, item)
    ]


def init_app(app) -> None:
    """Offer the company pages' helpers to the templates."""
    app.jinja_env.globals.update(company_facts=company_facts, project_facts=project_facts, company_partners=partners)
