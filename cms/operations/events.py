"""Events and delegations: who may register a city's delegation, who may read the names, and the registering.

Delegates' names are personal data: the secretariat reads them all, a member
city's representatives their own city's delegations, and the host city's
representatives every delegation to the events it hosts (the "lists for the
host"); other member cities and the public see none of them.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import mongoengine as me
from flask_babel import gettext as _

from cms import audit
from cms.operations import refuse_unless
from cms.security import can
from content_types import MemberCity
from content_types.base import has_control_characters, reference_id, utcnow
from content_types.event import DELEGATE_FUNCTIONS, MAX_DELEGATES, Delegate, Delegation, Event
from content_types.refusals import Conflict
from content_types.validation import Invalid
from workflows import has_flag
from workflows.permissions import MANAGE_DELEGATIONS, REGISTER_DELEGATION, VIEW, VIEW_DELEGATES

DELEGATE_KEYS = ("name", "function", "position")


def is_released(event: Event) -> bool:
    """Whether the event is out (published): only then do member cities register for it."""
    return has_flag(event.type_name, event.state, "released")


def local_zone(event: Event) -> ZoneInfo:
    """Return the time zone the event's times are written in."""
    return ZoneInfo(event.time_zone or "UTC")


def registration_closes(event: Event) -> datetime | None:
    """Return when registration closes (aware): the end of the deadline's day at the venue, else the start."""
    zone = local_zone(event)
    if event.registration_deadline:
        return datetime.combine(event.registration_deadline + timedelta(days=1), time(0), tzinfo=zone)
    return event.starts.replace(tzinfo=zone) if event.starts else None


def registration_open(event: Event, now: datetime | None = None) -> bool:
    """Whether representatives may still register (the deadline, or the start, has not passed)."""
    closes = registration_closes(event)
    now = now or datetime.now(ZoneInfo("UTC"))
    return closes is None or now < closes


def may_register_delegation(user, event: Event, city: MemberCity) -> bool:
    """Whether `user` may register or change `city`'s delegation to `event` now.

    The event must be released and visible to them; a representative
    registers their own member city's delegation until registration closes,
    the secretariat any member city's at any time.
    """
    if city is None or city.status != "member" or not is_released(event) or not can(user, VIEW, event):
        return False
    if not can(user, REGISTER_DELEGATION, city):
        return False
    return registration_open(event) or can(user, MANAGE_DELEGATIONS)


def may_view_host_lists(user, event: Event) -> bool:
    """Whether `user` reads every delegation to `event`: the secretariat, and the host city's representatives."""
    if not can(user, VIEW, event):
        return False
    if can(user, MANAGE_DELEGATIONS):
        return True
    host = event.host_city if reference_id(event._data.get("host_city")) else None
    return host is not None and can(user, VIEW_DELEGATES, host)


def may_view_delegation(user, event: Event, city: MemberCity) -> bool:
    """Whether `user` may read the names in `city`'s delegation to `event` (its own city, the host, staff)."""
    if not can(user, VIEW, event):
        return False
    return can(user, VIEW_DELEGATES, city) or may_view_host_lists(user, event)


def anchor(event: Event):
    """Return the id delegations to `event` are kept under: the original's, shared by its translations."""
    return event.translation_of or event.pk


def delegation_of(event: Event, city) -> Delegation | None:
    """Return `city`'s delegation to `event`, if it registered one."""
    return Delegation.objects(event=anchor(event), city=reference_id(city)).first()


def visible_delegations(user, event: Event) -> list[Delegation]:
    """Return the delegations to `event` whose names `user` may read (none for the public)."""
    if not can(user, VIEW, event):
        return []
    delegations = Delegation.objects(event=anchor(event))
    if may_view_host_lists(user, event):
        return list(delegations)
    own = getattr(user, "city_id", None)
    if own is None:
        return []
    city = MemberCity.objects(pk=own).first()
    return list(delegations.filter(city=own)) if city is not None and can(user, VIEW_DELEGATES, city) else []


def delegates_from(entries) -> list[Delegate]:
    """Return the delegates a form or request lists (dicts of name, function, position); refuse others with Invalid."""
    if not isinstance(entries, list) or len(entries) > MAX_DELEGATES:
        raise Invalid({"members": _("A list of at most %(max)d delegates.", max=MAX_DELEGATES)})
    delegates = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or set(entry) - set(DELEGATE_KEYS):
            raise Invalid({"members": _("Each delegate has a name, a function and a position, nothing else.")})
        if not all(value is None or isinstance(value, str) for value in entry.values()):
            raise Invalid({"members": _("Each delegate's details are text.")})
        values = {key: (entry.get(key) or "").strip() for key in DELEGATE_KEYS}
        if not values["name"]:
            raise Invalid({"members": _("Delegate %(number)d has no name.", number=number)})
        if values["function"] not in DELEGATE_FUNCTIONS:
            raise Invalid({"members": _("Delegate %(number)d: choose the function they represent.", number=number)})
        if len(values["name"]) > 200 or len(values["position"]) > 200:
            raise Invalid({"members": _("Delegate %(number)d: at most 200 characters each.", number=number)})
        if has_control_characters(values["name"]) or has_control_characters(values["position"]):
            # The names go into the host's lists and their CSV download.
            raise Invalid(
                {"members": _("Delegate %(number)d: no line breaks or other control characters.", number=number)}
            )
        delegates.append(Delegate(**values))
    return delegates


def _is_revision(value) -> bool:
    # Range-checked before it reaches the driver; True is not 1 here.
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31)


def save_delegation(user, event: Event, city: MemberCity, members, expected_revision=None) -> Delegation:
    """Register `city`'s delegation to `event` (no revision, or 0) or change it (the revision edited).

    Raises NotAllowed (not this city's representative, registration closed),
    Invalid (a delegate without name or function), Conflict (registered
    meanwhile, or changed since `expected_revision`); nothing is written then.
    One delegation per event and city, kept by a unique index: of two
    registrations at the same moment one is kept, the other told.
    """
    refuse_unless(
        may_register_delegation(user, event, city),
        user,
        event,
        "register_delegation",
        city=getattr(city, "name_de", ""),
    )
    if not _is_revision(expected_revision):
        message = _("Send the revision you edited as a whole number.")
        raise Invalid({"revision": message}, message, code="revision_required")
    delegates = delegates_from(members)
    now = utcnow()
    if not expected_revision:
        delegation = Delegation(
            event=anchor(event), city=city, members=delegates, revision=1, created=now, modified=now, modified_by=user
        )
        try:
            delegation.save(force_insert=True)
        except me.NotUniqueError:
            raise Conflict(
                _("This city's delegation was registered meanwhile; reload the page and change it there."),
                code="delegation_exists",
            ) from None
        audit.record("create", user, event, "delegation_saved", city=city.name_de, delegates=len(delegates))
        return delegation
    setting = {
        "members": [delegate.to_mongo().to_dict() for delegate in delegates],
        "revision": expected_revision + 1,
        "modified": now,
        "modified_by": user.pk,
    }
    result = Delegation._get_collection().update_one(
        {"event": anchor(event), "city": city.pk, "revision": expected_revision}, {"$set": setting}
    )
    if result.matched_count != 1:
        raise Conflict(
            _("Someone changed this delegation meanwhile; reload it and make your change again."),
            code="stale_revision",
        )
    audit.record("update", user, event, "delegation_saved", city=city.name_de, delegates=len(delegates))
    return delegation_of(event, city)


def host_list(user, event: Event) -> dict:
    """Return every delegation to `event` for its host: rows of (city, delegates) and counts per function.

    Refuses (NotAllowed) anyone but the secretariat and the host city's representatives.
    """
    refuse_unless(may_view_host_lists(user, event), user, event, "view_host_lists")
    delegations = [d for d in Delegation.objects(event=anchor(event)) if d.members]
    cities = {city.pk: city for city in MemberCity.objects(pk__in=[reference_id(d._data["city"]) for d in delegations])}
    rows = [(cities[reference_id(d._data["city"])], d) for d in delegations if reference_id(d._data["city"]) in cities]
    counts = {function: 0 for function in DELEGATE_FUNCTIONS}
    for _city, delegation in rows:
        for delegate in delegation.members:
            counts[delegate.function] += 1
    return {"rows": rows, "counts": counts, "total": sum(counts.values())}
