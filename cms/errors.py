"""Error pages: JSON under /api/, a plain translated page elsewhere; never a stack trace."""

import logging

from flask import current_app, render_template
from flask_babel import gettext as _
from pymongo.errors import ConnectionFailure, ServerSelectionTimeoutError
from werkzeug.exceptions import HTTPException

from cms.api import is_api_request
from cms.api.errors import error_response, http_error_response, refusal_response
from cms.database import follow_embedded, mark_unavailable
from content_types.refusals import Refused

log = logging.getLogger(__name__)


def _page(status: int, title: str, message: str):
    return render_template("error.html", status=status, title=title, message=message), status


def handle_http(error: HTTPException):
    """Answer 4xx/5xx raised by Flask (404, 405, 413, CSRF 400, ...)."""
    if is_api_request():
        return http_error_response(error)
    titles = {
        400: _("Bad request"),
        403: _("Not allowed"),
        404: _("Page not found"),
        405: _("Method not allowed"),
        413: _("Too large"),
    }
    messages = {
        400: _("The request could not be understood. If you sent a form, reload the page and try again."),
        403: _("You are not allowed to see this page."),
        404: _("There is no page at this address."),
        405: _("This address does not accept that kind of request."),
        413: _("What you sent is larger than allowed."),
    }
    status = error.code or 500
    response = _page(status, titles.get(status, _("Error")), messages.get(status, _("Something went wrong.")))
    return response


def handle_refusal(refusal: Refused):
    """Answer a refusal that reached no view's own handling: JSON under /api/, else a page saying why."""
    if is_api_request():
        return refusal_response(refusal)
    titles = {401: _("Please log in"), 403: _("Not allowed"), 404: _("Page not found"), 409: _("Changed meanwhile")}
    return _page(refusal.status, titles.get(refusal.status, _("Not possible")), refusal.message)


def handle_database_down(error):
    """Answer 503 while the database can't be reached; the next request tries again."""
    log.error("database unavailable: %s", type(error).__name__)
    mark_unavailable()
    if follow_embedded(current_app):
        log.warning("the embedded database moved to a new owner; connected to it")
    if is_api_request():
        return error_response(
            503, "database_unavailable", _("The service is temporarily unavailable. Please try again shortly.")
        )
    return _page(
        503, _("Temporarily unavailable"), _("The service is temporarily unavailable. Please try again shortly.")
    )


def handle_unexpected(error):
    """Answer any other failure with a generic 500 (the details go to the log only)."""
    if isinstance(error, HTTPException):
        return handle_http(error)
    log.exception("unhandled error")
    if is_api_request():
        return error_response(500, "internal_error", _("Something went wrong on our side."))
    return _page(500, _("Error"), _("Something went wrong on our side."))


def init_app(app) -> None:
    """Register the error handlers."""
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Refused, handle_refusal)
    app.register_error_handler(ServerSelectionTimeoutError, handle_database_down)
    app.register_error_handler(ConnectionFailure, handle_database_down)
    app.register_error_handler(Exception, handle_unexpected)
