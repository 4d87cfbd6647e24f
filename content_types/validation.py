"""Validating a document before it is written, with the reasons in the reader's language."""

import mongoengine as me
from flask_babel import lazy_gettext as _l

from content_types.refusals import NotPossible

# mongoengine's own messages are English; these say the same in the reader's
# language (matched by their start, since some end with the offending value).
# Our own validation messages are translated where they are raised.
ENGINE_MESSAGES = (
    ("Field is required", _l("This field is required.")),
    ("String value is too long", _l("This is too long.")),
    ("String value is too short", _l("This is too short.")),
    ("String value did not match validation regex", _l("This is not in the expected format.")),
    ("StringField only accepts string values", _l("This must be text.")),
    ("Value must be one of", _l("This is not one of the allowed values.")),
    ("Integer value is too", _l("This number is out of the allowed range.")),
    ("Float value is too", _l("This number is out of the allowed range.")),
    ("List is too long", _l("This list has too many entries.")),
    ("Only lists and tuples", _l("This must be a list.")),
    ("could not be converted to int", _l("This must be a whole number.")),
    ("Invalid ObjectID", _l("This is not a valid reference.")),
    ("A ReferenceField only accepts", _l("This is not a valid reference.")),
    ("BooleanField only accepts", _l("This must be true or false.")),
    ("cannot parse date", _l("This is not a valid date.")),
    ("Invalid email address", _l("This is not a valid e-mail address.")),
)


class Invalid(NotPossible):
    """Fields are not valid (of a document, a form or a request); `details` maps each field to its reason."""

    code = "invalid_fields"

    def __init__(self, details: dict, message=None, code: str | None = None):
        reasons = {name: str(reason) for name, reason in details.items()}
        super().__init__(message or _l("Some fields are not valid."), reasons, code)


def field_errors(error: me.ValidationError) -> dict[str, str]:
    """Return {field: message} for a ValidationError, including those raised by clean()."""
    errors = {}
    for field, detail in (error.errors or {}).items():
        if field == me.base.document.NON_FIELD_ERRORS and isinstance(detail, me.ValidationError) and detail.errors:
            errors.update(field_errors(detail))
        elif isinstance(detail, me.ValidationError):
            errors[field] = str(detail.message or detail)
        else:
            errors[field] = str(detail)
    if not errors:
        errors[me.base.document.NON_FIELD_ERRORS] = str(error.message or error)
    return errors


def readable(message: str) -> str:
    """Return mongoengine's English `message` in the reader's language (ours are translated already)."""
    for start, translated in ENGINE_MESSAGES:
        if message.startswith(start) or (start[0].islower() and start in message):
            return str(translated)
    return message


def validate(document: me.Document) -> None:
    """Run the document's validation (and its clean()); raise Invalid with a readable reason per field."""
    try:
        document.validate()
    except me.ValidationError as error:
        raise Invalid({field: readable(message) for field, message in field_errors(error).items()}) from None
