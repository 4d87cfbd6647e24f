"""The API's error format: {"error": {"code", "message", "details"}} with the refusal's status."""

from flask import jsonify
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from content_types.refusals import Refused

# Codes for errors raised by Flask/Werkzeug itself (unknown route, wrong method, a body too large):
# the refusals' own codes, and the statuses no refusal has.
_HTTP_CODES = {
    **{refusal.status: refusal.code for refusal in Refused.__subclasses__()},
    405: "method_not_allowed",
    429: "too_many_requests",
    503: "unavailable",
}


def error_response(status: int, code: str, message: str, details: dict | None = None):
    """Return a JSON error response in the contract's format."""
    response = jsonify({"error": {"code": code, "message": str(message), "details": details or {}}})
    response.status_code = status
    return response


def refusal_response(refusal: Refused):
    """Answer a refusal: its status, code, message and details."""
    return error_response(refusal.status, refusal.code, refusal.message, refusal.details)


def http_error_response(error: HTTPException):
    """Answer Flask's own HTTP errors (404 route, 405 method, 413 body) as JSON."""
    status = error.code or 500
    messages = {
        404: _("No such resource."),
        405: _("This method is not allowed here."),
        413: _("The request is too large."),
    }
    response = error_response(status, _HTTP_CODES.get(status, "error"), messages.get(status, error.description))
    valid_methods = getattr(error, "valid_methods", None)
    if status == 405 and valid_methods:
        response.headers["Allow"] = ", ".join(valid_methods)
    return response
