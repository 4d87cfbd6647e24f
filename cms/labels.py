"""Translatable field labels (shared by the admin, its forms and the rendered PDFs) and how meetings are named."""

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

FIELD_LABELS = {
    "number": _l("Number"),
    "encloses": _l("Encloses"),
    "encloses_version": _l("Enclosed version"),
    "title": _l("Title"),
    "language": _l("Language"),
    "body": _l("Text"),
    "year": _l("Year"),
    "period_start": _l("Period starts"),
    "period_end": _l("Period ends"),
    "topics": _l("Topics"),
    "projects": _l("Projects"),
    "signed_on": _l("Signed on"),
    "dated": _l("Dated"),
    "city": _l("City"),
    "subject": _l("Subject"),
    "recipients": _l("Recipients (empty: all member cities)"),
    "summary": _l("Summary"),
    "half": _l("Half-year"),
    "host_city": _l("Host city"),
    "starts_on": _l("Starts on"),
    "ends_on": _l("Ends on"),
    "location": _l("Location"),
    "agenda_items": _l("Agenda items"),
    "minutes": _l("Minutes"),
    "public": _l("Public (everyone may see it once published)"),
}

# An account's fields, in the accounts admin and in the audit log's account entries.
ACCOUNT_LABELS = {
    "email": _l("E-mail"),
    "name": _l("Name"),
    "roles": _l("Roles"),
    "city": _l("City"),
    "active": _l("Active"),
    "language": _l("Language"),
    "password": _l("Password"),
}


def describe_meeting(meeting) -> str:
    """Name a meeting in the reader's language (its half-year and host city), whatever its title's language."""
    city = meeting.host_city.name(str(get_locale() or "de")) if meeting.host_city else ""
    return _("the half-yearly meeting %(half)s/%(year)s in %(city)s", half=meeting.half, year=meeting.year, city=city)
