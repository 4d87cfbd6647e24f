"""One vocabulary for "no": every refusal carries the HTTP status it is answered with.

Raised by the lowest layer that knows the reason (a stale save here in
content_types, an unmet condition in the workflow engine, a missing right in
the operations) and answered once: by the API's error handler as JSON, by the
admin's view wrapper as the page with the message, with the same status.
"""


class Refused(Exception):
    """Something asked can't be done; `message` says why in the reader's language, `details` for scripts."""

    status = 422
    code = "not_possible"

    def __init__(self, message="", details: dict | None = None, code: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.details = details or {}
        if code is not None:
            self.code = code


class BadRequest(Refused):
    """The request itself is malformed (a parameter, the body's shape)."""

    status = 400
    code = "bad_request"


class NotAuthenticated(Refused):
    """The caller must log in first (or their token is not valid)."""

    status = 401
    code = "not_authenticated"


class NotAllowed(Refused):
    """The caller may see the thing but not do this to it."""

    status = 403
    code = "forbidden"


class NotFound(Refused):
    """There is no such thing, or the caller may not even see it."""

    status = 404
    code = "not_found"


class Conflict(Refused):
    """Someone changed the thing meanwhile, or it already exists: nothing was written."""

    status = 409
    code = "conflict"


class TooLarge(Refused):
    """What was sent is larger than allowed."""

    status = 413
    code = "too_large"


class UnsupportedType(Refused):
    """The kind of content sent is not accepted (a file type, a request body type)."""

    status = 415
    code = "unsupported_media_type"


class TooMany(Refused):
    """Too many requests of this kind from one sender for now (a limit against abuse); later it works again."""

    status = 429
    code = "too_many_requests"


class NotPossible(Refused):
    """A rule refuses it: a condition unmet, a field invalid, a step not possible from here."""

    status = 422
    code = "not_possible"
