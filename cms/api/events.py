"""Events as the caller may see them, and registering a member city's delegation to one."""

from zoneinfo import ZoneInfo

from flask import jsonify, url_for
from flask_babel import gettext as _

from cms.api import blueprint
from cms.api.fields import iso
from cms.api.requests import json_body, object_id, page_of, pagination, query_args, refuse_unknown, require_user
from cms.api.schema import QUERIES
from cms.auth import token_user
from cms.i18n import current_language
from cms.operations import events as event_operations
from cms.security import can, permitted_query
from content_types import Event, MemberCity
from content_types.base import reference_id
from content_types.event import DELEGATE_FUNCTION_TITLES, EVENT_KIND_TITLES
from content_types.refusals import NotFound
from workflows import state_title
from workflows.permissions import VIEW

_UTC = ZoneInfo("UTC")


def _local(value) -> str | None:
    # The venue's wall-clock time (the event's time_zone says where), as the content API writes it.
    return value.replace(microsecond=0).isoformat() if value else None


def serialize_delegation(delegation) -> dict:
    """Return a delegation as JSON: its city, revision and members (only for callers who may read the names)."""
    return {
        "city_id": str(reference_id(delegation._data["city"])),
        "revision": delegation.revision,
        "modified": iso(delegation.modified),
        "members": [
            {
                "name": member.name,
                "function": member.function,
                "function_title": str(DELEGATE_FUNCTION_TITLES[member.function]),
                "position": member.position,
            }
            for member in delegation.members
        ],
    }


def serialize_event(event: Event, user) -> dict:
    """Return an event as JSON with the delegations whose names `user` may read (none for the public)."""
    closes = event_operations.registration_closes(event)
    return {
        "id": str(event.pk),
        "title": event.title,
        "language": event.language,
        "state": event.state,
        "state_title": str(state_title(event.type_name, event.state)),
        "public": event.public,
        "event_kind": event.event_kind,
        "event_kind_title": str(EVENT_KIND_TITLES[event.event_kind]),
        "starts": _local(event.starts),
        "ends": _local(event.ends),
        "time_zone": event.time_zone,
        "location": event.location,
        "host_city_id": str(reference_id(event._data.get("host_city"))) if event._data.get("host_city") else None,
        "meeting_id": str(reference_id(event._data.get("meeting"))) if event._data.get("meeting") else None,
        "host_company": event.host_company,
        "registration_deadline": event.registration_deadline.isoformat() if event.registration_deadline else None,
        "registration_closes": iso(closes.astimezone(_UTC).replace(tzinfo=None)) if closes else None,
        "registration_open": event_operations.is_released(event) and event_operations.registration_open(event),
        "url": url_for("public.event", lang=current_language(), item_id=str(event.pk)),
        "delegations": [
            serialize_delegation(d) for d in event_operations.visible_delegations(user, event) if d.members
        ],
    }


@blueprint.get("/events")
def list_events():
    """List the events the caller may see, by start; with the delegations whose names the caller may read."""
    args = query_args(QUERIES["list_events"])
    page, per_page = pagination(args)
    user = token_user()
    query = Event.objects(__raw__=permitted_query(user, VIEW, [Event.type_name])).order_by("starts")
    return jsonify(page_of(query, page, per_page, lambda event: serialize_event(event, user)))


@blueprint.put("/events/<event_id>/delegations/<city_id>")
def register_delegation(event_id, city_id):
    """Register or change a member city's delegation: {"members": [...], "revision": the one edited, or 0 for new}."""
    user = require_user()
    event = Event.objects(pk=object_id(event_id)).first()
    if event is None or not can(user, VIEW, event):
        raise NotFound(_("No such item."))
    city = MemberCity.objects(pk=object_id(city_id)).first()
    if city is None:
        raise NotFound(_("No such city."))
    data = json_body()
    refuse_unknown(data, {"members", "revision"})
    delegation = event_operations.save_delegation(user, event, city, data.get("members"), data.get("revision"))
    return jsonify(serialize_delegation(delegation))
