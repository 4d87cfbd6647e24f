"""A search's parameters read from a request (API or page), checked before they reach the index; snippets."""

import re

from bson import ObjectId
from flask import current_app
from flask_babel import gettext as _

from cms.search.analysis import is_han
from content_types import LANGUAGES
from content_types.city import COUNTRIES
from content_types.company import INTERESTS, SIZES, STAGES
from content_types.refusals import BadRequest
from content_types.search import fold_for_search
from content_types.sectors import SECTORS
from workflows.types import TYPES

FILTERS = ("type", "city", "country", "sector", "state", "year", "language", "interests", "stage", "size")
SNIPPET_LENGTH = 220
PER_PAGE = 20
MAX_PER_PAGE = 100
# Relevance ranking beyond the 500th page helps nobody, and each page deeper costs the engine more.
MAX_PAGE = 500
_STATE = re.compile(r"^[a-z_]{1,40}$")


def _check(name: str, value: str) -> str | None:
    # The message for a value the filter can't take, or None.
    allowed = {
        "type": TYPES,
        "country": COUNTRIES,
        "sector": SECTORS,
        "language": LANGUAGES,
        "interests": INTERESTS,
        "stage": STAGES,
        "size": SIZES,
    }
    if name in allowed:
        return None if value in allowed[name] else _("Unknown value for this filter.")
    if name == "city":
        return None if ObjectId.is_valid(value) else _("Give a member city's id.")
    if name == "state":
        return None if _STATE.match(value) else _("Unknown state.")
    if name == "year":
        ok = value.isdigit() and len(value) == 4 and 1900 <= int(value) <= 2999
        return None if ok else _("Give a year like 2027.")
    return _("Unknown query parameter.")


def bad(message: str, name: str) -> BadRequest:
    """Return the 400 for a search parameter that can't be used."""
    return BadRequest(message, {"parameter": name[:50]}, code="invalid_parameter")


def parse(args) -> tuple[str, dict, int]:
    """Return (search text, facet filters, page) from request arguments; refuse unusable ones (400)."""
    filters = {}
    for name in args.keys():
        if name not in (*FILTERS, "q", "page", "per_page"):
            raise bad(_("Unknown query parameter."), name)
        values = args.getlist(name) if hasattr(args, "getlist") else [args[name]]
        if len(values) != 1:
            raise bad(_("Give each query parameter once."), name)
        value = values[0]
        if name in FILTERS and value != "":
            if (message := _check(name, value)) is not None:
                raise bad(message, name)
            filters[name] = value
    text = args.get("q") or ""
    if len(text) > current_app.config["CMS_SEARCH_MAX_LENGTH"]:
        raise bad(_("The search text is too long."), "q")
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        raise bad(_("The search text may not hold control characters."), "q")
    raw_page = args.get("page") or "1"
    if not raw_page.isdigit() or len(raw_page) > 6 or int(raw_page) < 1:
        raise bad(_("Must be a positive whole number."), "page")
    if int(raw_page) > MAX_PAGE:
        raise bad(_("There is no such page."), "page")
    return text, filters, int(raw_page)


def per_page_of(args) -> int:
    """Return the API's page size (`per_page`, default 20, at most 100); refuse others (400)."""
    raw = args.get("per_page") or str(PER_PAGE)
    if not raw.isdigit() or len(raw) > 3 or not 1 <= int(raw) <= MAX_PER_PAGE:
        raise bad(_("per_page may be at most %(max)d.", max=MAX_PER_PAGE), "per_page")
    return int(raw)


def snippet(preview: str, terms: list[str]) -> str:
    """Return a stretch of `preview` around the first word a term matches (its start if none does)."""
    if not preview:
        return ""
    start = 0
    latin = [term for term in terms if not is_han(term)]
    chinese = [term for term in terms if is_han(term)]
    found = [preview.find(term) for term in chinese if term in preview]
    for match in re.finditer(r"[^\W_]+", preview):
        if latin and any(fold_for_search(match.group()).startswith(term) for term in latin):
            found.append(match.start())
            break
    if found:
        start = max(0, min(found) - 60)
    text = preview[start : start + SNIPPET_LENGTH]
    return ("…" if start else "") + text + ("…" if start + SNIPPET_LENGTH < len(preview) else "")
