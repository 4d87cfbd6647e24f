"""The events as the site lists them, and as an iCalendar feed (RFC 5545) of the released public ones."""

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from flask import current_app, url_for
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin

from cms import listing
from cms.operations.events import anchor, local_zone
from content_types.event import EVENT_KIND_TITLES, Event

# Released events before this many are dropped from the feed's end (the oldest): calendars poll it often.
FEED_LIMIT = 500


def ends_at(event: Event) -> datetime:
    """Return when the event ends (its start if it names no end), as an aware time at the venue."""
    return (event.ends or event.starts).replace(tzinfo=local_zone(event))


def upcoming_and_past(user, language: str) -> tuple[list, list]:
    """Return ([(event, fell_back)] not yet over, soonest first; [(event, fell_back)] over, latest first).

    The released events `user` may see, one per translation group in
    `language` where it has one (listing.one_per_group).
    """
    entries = listing.one_per_group(listing.released(user, [Event.type_name]).order_by("starts"), language)
    now = datetime.now(ZoneInfo("UTC"))
    upcoming = [entry for entry in entries if ends_at(entry[0]) >= now]
    past = [entry for entry in entries if ends_at(entry[0]) < now]
    return upcoming, list(reversed(past))


def feed(language: str) -> bytes:
    """Return the iCalendar feed of the released public events, titles and places in `language` where written."""
    anonymous = AnonymousUserMixin()
    query = listing.released(anonymous, [Event.type_name]).filter(public=True).order_by("-starts")
    entries = listing.one_per_group(query[:FEED_LIMIT], language)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Sino-German Industrial Cities Alliance//Alliance CMS//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Events of the Sino-German Industrial Cities Alliance"))
    for event, _fell_back in sorted(entries, key=lambda entry: entry[0].starts):
        calendar.add_component(_vevent(event, language))
    # The TZID parameters name zones that the feed defines itself (VTIMEZONE), as RFC 5545 asks.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def city_name(city, language: str) -> str:
    """Return a (host) city's name in `language`, or "" for none."""
    return city.name(language) if city is not None else ""


def _vevent(event: Event, language: str) -> icalendar.Event:
    site = current_app.config["CMS_SITE_URL"].rstrip("/")
    zone = local_zone(event)
    entry = icalendar.Event()
    # One UID per event, shared by its translations (the same event in another feed's language).
    entry.add("uid", f"event-{anchor(event)}@{urlsplit(site).hostname or 'alliance-cms'}")
    entry.add("dtstamp", (event.last_changed or event.created).replace(tzinfo=ZoneInfo("UTC")))
    entry.add("dtstart", event.starts.replace(tzinfo=zone))
    if event.ends:
        entry.add("dtend", event.ends.replace(tzinfo=zone))
    entry.add("summary", event.title)
    place = ", ".join(part for part in (event.location, city_name(event.host_city, language)) if part)
    if place:
        entry.add("location", place)
    details = [str(EVENT_KIND_TITLES.get(event.event_kind, ""))]
    if event.host_company:
        details.append(_("Visit: %(company)s", company=event.host_company))
    entry.add("description", "\n".join(details))
    entry.add("url", site + url_for("public.event", lang=language, item_id=str(event.pk)))
    return entry
