"""What the search pages (public site, member area, company finder, admin) show: results, facets, page links."""

from urllib.parse import urlencode

from flask_babel import lazy_gettext as _l

from cms import search
from cms.search.query import PER_PAGE, snippet
from content_types import LANGUAGE_NAMES, MemberCity
from content_types.city import COUNTRY_NAMES
from content_types.company import INTEREST_TITLES, SIZE_TITLES, STAGE_TITLES
from content_types.sectors import sector_title
from workflows.definitions import state_title
from workflows.types import TYPES

FACET_TITLES = {
    "type": _l("Type"),
    "state": _l("State"),
    "language": _l("Language"),
    "year": _l("Year"),
    "city": _l("City"),
    "country": _l("Country"),
    "sector": _l("Sector"),
    "interests": _l("Cooperation interests"),
    "stage": _l("Stage"),
    "size": _l("Size"),
}
# The company finder's facets (the other fields are the same for every company).
COMPANY_FACETS = ("sector", "country", "city", "interests", "size")


def _state_title(state: str) -> str:
    for type_name in TYPES:
        title = state_title(type_name, state)
        if title and title != state:
            return str(title)
    return state


def value_title(field: str, value: str, language: str, cities: dict) -> str:
    """Return how a facet value is shown to a reader of `language`."""
    titles = {
        "type": lambda: TYPES[value].title if value in TYPES else value,
        "state": lambda: _state_title(value),
        "language": lambda: LANGUAGE_NAMES.get(value, value),
        "city": lambda: cities[value].name(language) if value in cities else value,
        "country": lambda: COUNTRY_NAMES.get(value, value),
        "sector": lambda: sector_title(value),
        "interests": lambda: INTEREST_TITLES.get(value, value),
        "stage": lambda: STAGE_TITLES.get(value, value),
        "size": lambda: SIZE_TITLES.get(value, value),
    }
    return str(titles.get(field, lambda: value)())


def link(base: str, args: dict, kept_empty=(), **changes) -> str:
    """Return `base` with the query `args` changed by `changes` (None removes a parameter; the page starts over).

    A parameter in `kept_empty` set to "" stays in the link as chosen-empty (the company finder's country:
    "any country" rather than "the other country", which an address without it gets).
    """
    merged = {**args, "page": None, **changes}
    query = urlencode(
        [(name, value) for name, value in merged.items() if value is not None and (value != "" or name in kept_empty)]
    )
    return f"{base}?{query}" if query else base


def results(
    user, text: str, filters: dict, page: int, base: str, language: str, item_url, facets=None, kept_empty=()
) -> dict:
    """Return what a search page renders: hits with their links and snippets, facets with counts and links."""
    found = search.search(user, text, filters, page, PER_PAGE, **({"facets": facets} if facets else {}))
    terms, _prefix = search.query_terms(text)
    args = {"q": text, **{name: "" for name in kept_empty}, **filters}
    removed = {name: "" if name in kept_empty else None for name in FACET_TITLES}
    cities = {str(city.pk): city for city in MemberCity.objects.only("name_de", "name_zh", "name_en")}
    facet_rows = []
    for field, counts in found.facets.items():
        if not counts:
            continue
        values = [
            {
                "title": value_title(field, value, language, cities),
                "count": count,
                "chosen": filters.get(field) == value,
                "url": link(
                    base, args, kept_empty, **{field: removed[field] if filters.get(field) == value else value}
                ),
            }
            for value, count in sorted(counts.items(), key=lambda entry: (-entry[1], entry[0]))
        ]
        facet_rows.append({"field": field, "title": FACET_TITLES[field], "values": values})
    hits = [
        {
            "title": hit.title,
            "type": TYPES[hit.type].title if hit.type in TYPES else hit.type,
            "snippet": snippet(hit.preview, terms),
            "url": item_url(hit),
        }
        for hit in found.hits
    ]
    pages = -(-found.total // PER_PAGE)
    return {
        "hits": hits,
        "total": found.total,
        "facets": facet_rows,
        "text": text,
        "filters": [
            {
                "title": FACET_TITLES[field],
                "value": value_title(field, value, language, cities),
                "url": link(base, args, kept_empty, **{field: removed[field]}),
            }
            for field, value in filters.items()
        ],
        "previous": link(base, args, kept_empty, page=page - 1) if page > 1 else None,
        "next": link(base, args, kept_empty, page=page + 1) if page < min(pages, 500) else None,
        "page": page,
        "pages": pages,
    }
