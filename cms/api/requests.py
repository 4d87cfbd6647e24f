"""Checking what a request brings before anything touches the database."""

from flask import current_app, request
from flask_babel import gettext as _

from cms.api.errors import ApiError


def json_body() -> dict:
    """Return the request's JSON object, or raise 400 for anything else."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", _("Send JSON with Content-Type: application/json."))
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "malformed_json", _("The request body must be a JSON object."))
    _refuse_operators(data)
    return data


def _refuse_operators(value, depth: int = 0) -> None:
    # MongoDB operators ($gt, $where, ...) as keys anywhere in a body are never
    # meaningful input; refusing them here keeps them out of every query.
    if depth > 20:
        raise ApiError(400, "malformed_json", _("The JSON document is nested too deeply."))
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(key, str) and key.startswith("$"):
                raise ApiError(422, "operator_refused", _("Keys starting with $ are not allowed."), {"field": key[:50]})
            _refuse_operators(inner, depth + 1)
    elif isinstance(value, list):
        for inner in value:
            _refuse_operators(inner, depth + 1)


def refuse_unknown(data: dict, allowed: set[str]) -> None:
    """Raise 422 naming every key of `data` outside `allowed` (nothing is written)."""
    unknown = set(data) - allowed
    if unknown:
        raise ApiError(
            422,
            "invalid_fields",
            _("Some fields are not accepted."),
            {str(field)[:50]: _("is not a field") for field in unknown},
        )


def query_args(allowed: tuple[str, ...]) -> dict:
    """Return the query parameters as plain strings, refusing unknown or repeated ones (400)."""
    values = {}
    for key in request.args.keys():
        if key not in allowed:
            raise ApiError(400, "invalid_parameter", _("Unknown query parameter."), {"parameter": key[:50]})
        entries = request.args.getlist(key)
        if len(entries) != 1:
            raise ApiError(400, "invalid_parameter", _("Give each query parameter once."), {"parameter": key})
        values[key] = entries[0]
    return values


def _positive_int(args: dict, name: str, default: int) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise ApiError(400, "invalid_parameter", _("Must be a positive whole number."), {"parameter": name})
    return int(raw)


def pagination(args: dict) -> tuple[int, int]:
    """Return (page, per_page) from the query, refusing page sizes above the maximum (400)."""
    page = _positive_int(args, "page", 1)
    per_page = _positive_int(args, "per_page", 20)
    maximum = current_app.config["CMS_MAX_PAGE_SIZE"]
    if per_page > maximum:
        raise ApiError(
            400, "invalid_parameter", _("per_page may be at most %(max)d.", max=maximum), {"parameter": "per_page"}
        )
    return page, per_page


def page_of(query, page: int, per_page: int, serialize) -> dict:
    """Return one page of `query` in the contract's list format."""
    total = query.count()
    items = [serialize(item) for item in query.skip((page - 1) * per_page).limit(per_page)]
    return {"items": items, "total": total, "page": page, "per_page": per_page}
