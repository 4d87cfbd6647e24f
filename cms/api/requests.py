"""Checking what a request brings before anything touches the database."""

from bson import ObjectId
from flask import current_app, request
from flask_babel import gettext as _

from cms.auth import token_user
from content_types.refusals import BadRequest, NotAuthenticated, NotFound, NotPossible, UnsupportedType
from content_types.validation import Invalid


def json_body() -> dict:
    """Return the request's JSON object, or refuse anything else (415, 400, 422 for $ operators)."""
    if not request.is_json:
        raise UnsupportedType(_("Send JSON with Content-Type: application/json."))
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser goes: not something anyone means
        data = None
    if not isinstance(data, dict):
        raise BadRequest(_("The request body must be a JSON object."), code="malformed_json")
    _refuse_operators(data)
    return data


def optional_json_body() -> dict:
    """Return the request's JSON object, or {} for an empty body."""
    return json_body() if request.get_data() else {}


def _refuse_operators(value, depth: int = 0) -> None:
    # MongoDB operators ($gt, $where, ...) as keys anywhere in a body are never
    # meaningful input; refusing them here keeps them out of every query.
    if depth > 20:
        raise BadRequest(_("The JSON document is nested too deeply."), code="malformed_json")
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(key, str) and key.startswith("$"):
                raise NotPossible(
                    _("Keys starting with $ are not allowed."), {"field": key[:50]}, code="operator_refused"
                )
            _refuse_operators(inner, depth + 1)
    elif isinstance(value, list):
        for inner in value:
            _refuse_operators(inner, depth + 1)


def invalid_fields(details: dict) -> Invalid:
    """Return the 422 naming each unusable field of a request."""
    return Invalid(details)


def refuse_unknown(data: dict, allowed: set[str]) -> None:
    """Raise 422 naming every key of `data` outside `allowed` (nothing is written)."""
    unknown = set(data) - allowed
    if unknown:
        raise invalid_fields({str(field)[:50]: _("is not a field") for field in unknown})


def bad_parameter(message: str, name: str) -> BadRequest:
    """Return the 400 for a query parameter that can't be used."""
    return BadRequest(message, {"parameter": name[:50]}, code="invalid_parameter")


def query_args(allowed) -> dict:
    """Return the query parameters as plain strings, refusing ones not in `allowed` or repeated ones (400)."""
    values = {}
    for key in request.args.keys():
        if key not in allowed:
            raise bad_parameter(_("Unknown query parameter."), key)
        entries = request.args.getlist(key)
        if len(entries) != 1:
            raise bad_parameter(_("Give each query parameter once."), key)
        values[key] = entries[0]
    return values


def _positive_int(args: dict, name: str, default: int) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise bad_parameter(_("Must be a positive whole number."), name)
    return int(raw)


# The database's skip is a 32-bit number: pages beyond it don't exist.
MAX_SKIP = 2**31 - 1


def pagination(args: dict) -> tuple[int, int]:
    """Return (page, per_page) from the query, refusing page sizes above the maximum and pages out of range (400)."""
    page = _positive_int(args, "page", 1)
    per_page = _positive_int(args, "per_page", 20)
    maximum = current_app.config["CMS_MAX_PAGE_SIZE"]
    if per_page > maximum:
        raise bad_parameter(_("per_page may be at most %(max)d.", max=maximum), "per_page")
    if (page - 1) * per_page > MAX_SKIP:
        raise bad_parameter(_("There is no such page."), "page")
    return page, per_page


def search_text(args: dict) -> str | None:
    """Return the search text `q`, refusing one that is too long or holds control characters (400)."""
    text = args.get("q")
    if not text:
        return None
    if len(text) > current_app.config["CMS_SEARCH_MAX_LENGTH"]:
        raise bad_parameter(_("The search text is too long."), "q")
    if any(ord(char) < 32 for char in text):
        raise bad_parameter(_("The search text may not hold control characters."), "q")
    return text


def page_of(query, page: int, per_page: int, serialize) -> dict:
    """Return one page of `query` in the contract's list format."""
    total = query.count()
    items = [serialize(item) for item in query.skip((page - 1) * per_page).limit(per_page)]
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def object_id(value) -> str:
    """Return `value` if it is a well-formed id; otherwise refuse with 404 (never a 500 for a bad id)."""
    if not isinstance(value, str) or not ObjectId.is_valid(value):
        raise NotFound(_("No such item."))
    return value


def require_user():
    """Return the calling token's user, or refuse with 401."""
    user = token_user()
    if user is None:
        raise NotAuthenticated(_("Log in first: send Authorization: Bearer <token>."))
    return user
