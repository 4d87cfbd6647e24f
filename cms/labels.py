"""Translatable field labels (shared by the admin, its forms and the rendered PDFs) and how meetings are named."""

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from content_types import LANGUAGE_NAMES
from content_types.company import CURRENCIES, INTEREST_TITLES, PROJECT_KIND_TITLES, SIZE_TITLES, STAGE_TITLES
from content_types.event import EVENT_KIND_TITLES, TIME_ZONE_TITLES
from content_types.proposal import PROPOSAL_KIND_TITLES
from content_types.sectors import SECTORS

FIELD_LABELS = {
    "kind": _l("What is proposed"),
    "number": _l("Number"),
    "encloses": _l("Encloses"),
    "encloses_version": _l("Enclosed version"),
    "title": _l("Title"),
    "title_zh": _l("Title in Chinese"),
    "title_en": _l("Title in English"),
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
    "economic_data": _l("Economic key data"),
    "industrial_characteristics": _l("Industrial characteristics"),
    "national_cooperation": _l("Current national cooperation"),
    "international_cooperation": _l("Current international cooperation"),
    "cooperation_wishes": _l("Cooperation wishes"),
    "contact_name": _l("Contact person of the applicant"),
    "contact_email": _l("Contact e-mail of the applicant"),
    "consulted_cities": _l("Consulted member cities"),
    "circulated_at": _l("Circulated"),
    "objecting_city": _l("Objected by"),
    "declaration_file": _l("Signed declaration"),
    "declaration_text": _l("Declaration text signed"),
    "notification_letter": _l("Notification letter"),
    "announced_meeting": _l("Announced at"),
    "recipients": _l("Recipients (empty: all member cities)"),
    "summary": _l("Summary"),
    "news_items": _l("News items (none chosen: the published news of the period)"),
    "half": _l("Half-year"),
    "host_city": _l("Host city"),
    "starts_on": _l("Starts on"),
    "ends_on": _l("Ends on"),
    "location": _l("Location"),
    "location_zh": _l("Location in Chinese"),
    "location_en": _l("Location in English"),
    "agenda_items": _l("Agenda items"),
    "agenda_items_zh": _l("Agenda items in Chinese"),
    "agenda_items_en": _l("Agenda items in English"),
    "minutes": _l("Minutes"),
    "public": _l("Public (everyone may see it once published)"),
    "translation_source_revision": _l("Source revision translated"),
    "requested_on": _l("Date of the letter"),
    "circular_number": _l("Circular informing the members"),
    "left_on": _l("Left the alliance on"),
    "reasons": _l("Reasons"),
    "decision_text": _l("The meeting's decision"),
    "decided_at": _l("Decision recorded"),
    "name_de": _l("Name in German"),
    "name_zh": _l("Name in Chinese"),
    "name_en": _l("Name in English"),
    "country": _l("Country"),
    "sector": _l("Sector (NACE)"),
    "size": _l("Size"),
    "products": _l("Products"),
    "interests": _l("Cooperation interests"),
    "website": _l("Website"),
    "contact_person": _l("Contact person"),
    "contact_mail": _l("Contact e-mail"),
    "contact_phone": _l("Contact telephone"),
    "cooperation": _l("Kind of cooperation"),
    "stage": _l("Stage"),
    "german_city": _l("German city"),
    "chinese_city": _l("Chinese city"),
    "german_companies": _l("German companies"),
    "chinese_companies": _l("Chinese companies"),
    "volume": _l("Volume"),
    "currency": _l("Currency"),
    "started_on": _l("Started on"),
    "source": _l("Source"),
    "event_kind": _l("Kind of event"),
    "starts": _l("Starts (local time)"),
    "ends": _l("Ends (local time)"),
    "time_zone": _l("Time zone (empty: the host city's)"),
    "meeting": _l("Part of the programme of"),
    "host_company": _l("Host company visited"),
    "registration_deadline": _l("Registration deadline"),
}

# Fields whose stored codes the forms offer by title.
FIELD_CHOICES = {
    "kind": PROPOSAL_KIND_TITLES,
    "sector": SECTORS,
    "size": SIZE_TITLES,
    "cooperation": PROJECT_KIND_TITLES,
    "stage": STAGE_TITLES,
    "interests": INTEREST_TITLES,
    "currency": {code: code for code in CURRENCIES},
    "event_kind": EVENT_KIND_TITLES,
    # Empty: the host city's country's (content_types.event.Event.clean).
    "time_zone": {"": _l("the host city's"), **TIME_ZONE_TITLES},
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


def _reader_language(item) -> str:
    return str(get_locale() or item.language)


def text_in(item, name: str) -> tuple[str, str]:
    """Return (an item's text field `name` as the reader's language has it, the language it is in)."""
    return item.text_in(name, _reader_language(item))


def agenda_in(meeting) -> list[tuple[str, str]]:
    """Return a meeting's agenda items as the reader's language has them: [(item, its language)]."""
    return meeting.agenda_in(_reader_language(meeting))


def fallback_marker(language: str) -> Markup:
    """Return the small note after a text shown in `language` because the reader's language lacks it."""
    return Markup(' <small class="fallback">{}</small>').format(
        _("(only in %(language)s)", language=LANGUAGE_NAMES.get(language, language))
    )


def shown(item, name: str) -> Markup:
    """Return an item's text field in the reader's language where it has it, else in its own, saying so.

    Only fields an item carries in several languages (a meeting's title) get
    the note: a document has one language, and its others are items of their own.
    """
    text, language = text_in(item, name)
    if language == _reader_language(item):
        return Markup("{}").format(text)
    note = fallback_marker(language) if name in type(item).multilingual_fields else ""
    return Markup('<span lang="{}">{}</span>{}').format(language, text, note)
