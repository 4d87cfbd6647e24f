"""The filters of an export, from the query string: checked (a bad one is a 400 naming it) and made a query.

Multi-valued filters take repeated parameters or comma-separated values and
match any of them; different filters must all match. Values are compared with
stored codes or ids only (no regular expression from the request), except the
text `q`, which is folded and escaped before it is searched for in the title.
"""

import re
from collections.abc import Mapping
from datetime import datetime

from bson import ObjectId
from flask_babel import gettext as _

from content_types.city import COUNTRIES, MemberCity
from content_types.company import INTERESTS, PROJECT_KINDS, SIZES, STAGES
from content_types.refusals import BadRequest
from content_types.search import fold_for_search
from content_types.sectors import SECTOR_CODES

MAX_VALUE_LENGTH = 200
MAX_VALUES = 50
FIRST_YEAR, LAST_YEAR = 1900, 2999

COMPANY_FILTERS = ("q", "country", "city", "sector", "interests", "size")
PROJECT_FILTERS = ("q", "stage", "cooperation", "city", "year")
# Read by other parts of the request (the interface language, the API's format): allowed, not filters.
IGNORED = ("lang", "format")


def bad_filter(message: str, name: str) -> BadRequest:
    """Return the 400 for a filter that can't be used, naming it."""
    return BadRequest(message, {"parameter": str(name)[:50]}, code="invalid_parameter")


def values_of(args: Mapping[str, list[str]], allowed: tuple[str, ...]) -> dict[str, list[str]]:
    """Return each allowed filter's values (repeated or comma-separated, blanks dropped); refuse unknown ones (400)."""
    values = {}
    for name, entries in args.items():
        if name in IGNORED:
            continue
        if name not in allowed:
            raise bad_filter(_("Unknown filter."), name)
        split = [part.strip() for entry in entries for part in (entry.split(",") if name != "q" else [entry])]
        split = [part for part in split if part]
        if len(split) > MAX_VALUES or any(len(part) > MAX_VALUE_LENGTH for part in split):
            raise bad_filter(_("Too many or too long values."), name)
        if any(ord(char) < 32 for part in split for char in part):
            raise bad_filter(_("The value may not hold control characters."), name)
        if split:
            values[name] = split
    return values


def _codes(values: list[str], known, name: str) -> list[str]:
    unknown = [value for value in values if value not in known]
    if unknown:
        raise bad_filter(_("Unknown value: %(value)s", value=unknown[0]), name)
    return values


def sector_codes(values: list[str]) -> list[str]:
    """Return the stored sector codes that `values` name: a code, a division ("C29") or a section ("C"); else 400."""
    matched = []
    for value in values:
        wanted = value.upper()
        codes = [code for code in SECTOR_CODES if code == wanted or code.startswith(wanted + ".")]
        if not codes and len(wanted) == 1:
            codes = [code for code in SECTOR_CODES if code.startswith(wanted)]
        if not codes:
            raise bad_filter(_("Unknown sector: %(value)s", value=value), "sector")
        matched += [code for code in codes if code not in matched]
    return matched


def city_ids(values: list[str]) -> list[ObjectId]:
    """Return the ids of the member cities `values` name (an id, or a name in German, Chinese or English); else 400."""
    cities = list(MemberCity.objects.only("id", "name_de", "name_zh", "name_en"))
    found = []
    for value in values:
        folded = fold_for_search(value)
        city = next(
            (
                city
                for city in cities
                if str(city.pk) == value
                or folded in {fold_for_search(n) for n in (city.name_de, city.name_zh, city.name_en)}
            ),
            None,
        )
        if city is None:
            raise bad_filter(_("No such member city: %(value)s", value=value), "city")
        found.append(city.pk)
    return found


def _title_contains(values: list[str]) -> dict:
    folded = fold_for_search(values[0])
    return {"search_text": {"$regex": re.escape(folded)}} if folded else {}


def year_of(values: list[str]) -> int:
    """Return the one year `values` give (four digits, 1900–2999); else 400."""
    if len(values) != 1 or not re.fullmatch(r"[0-9]{4}", values[0]) or not FIRST_YEAR <= int(values[0]) <= LAST_YEAR:
        raise bad_filter(_("Give one year, like 2026."), "year")
    return int(values[0])


def company_query(args: Mapping[str, list[str]]) -> dict:
    """Return the MongoDB filter for the companies the query string's filters choose (400 for a bad filter)."""
    values = values_of(args, COMPANY_FILTERS)
    clauses = []
    if "q" in values:
        clauses.append(_title_contains(values["q"]))
    if "country" in values:
        countries = _codes([value.upper() for value in values["country"]], COUNTRIES, "country")
        clauses.append({"country": {"$in": countries}})
    if "city" in values:
        clauses.append({"city": {"$in": city_ids(values["city"])}})
    if "sector" in values:
        clauses.append({"sector": {"$in": sector_codes(values["sector"])}})
    if "interests" in values:
        clauses.append({"interests": {"$in": _codes(values["interests"], INTERESTS, "interests")}})
    if "size" in values:
        clauses.append({"size": {"$in": _codes(values["size"], SIZES, "size")}})
    return _all_of(clauses)


def project_query(args: Mapping[str, list[str]]) -> dict:
    """Return the MongoDB filter for the projects the query string's filters choose (400 for a bad filter).

    A project's year is the year it started; one without a start date counts
    in the year it was entered.
    """
    values = values_of(args, PROJECT_FILTERS)
    clauses = []
    if "q" in values:
        clauses.append(_title_contains(values["q"]))
    if "stage" in values:
        clauses.append({"stage": {"$in": _codes(values["stage"], STAGES, "stage")}})
    if "cooperation" in values:
        clauses.append({"cooperation": {"$in": _codes(values["cooperation"], PROJECT_KINDS, "cooperation")}})
    if "city" in values:
        ids = city_ids(values["city"])
        clauses.append({"$or": [{"german_city": {"$in": ids}}, {"chinese_city": {"$in": ids}}]})
    if "year" in values:
        year = year_of(values["year"])
        within = {"$gte": datetime(year, 1, 1), "$lt": datetime(year + 1, 1, 1)}
        clauses.append({"$or": [{"started_on": within}, {"started_on": None, "created": within}]})
    return _all_of(clauses)


def _all_of(clauses: list[dict]) -> dict:
    clauses = [clause for clause in clauses if clause]
    if not clauses:
        return {}
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
