"""Reading and writing a content type's own fields as JSON, generated from its mongoengine fields."""

import datetime
import re

import mongoengine as me
from bson import ObjectId
from flask_babel import gettext as _

from cms.api.requests import invalid_fields
from cms.security import can
from content_types import Content, MemberCity
from workflows.permissions import VIEW_CONTACTS
from workflows.types import TYPES

# What the API shows of an item besides its fields (read-only like them).
SHOWN_NAMES = {"type", "id", "versions", "meeting_id", "allowed_transitions", "allowed_actions"}


# A wall-clock time at a venue (an event's start), in the item's own time zone: no offset, no Z.
WALL_CLOCK_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?$"


def writable_fields(cls) -> dict:
    """Return {name: mongoengine field} of the fields a caller may set on `cls` (the type's allow-list)."""
    return {name: cls._fields[name] for name in cls.editable_fields}


def describe(field) -> dict:
    """Return a JSON-schema-like description of one field (for /types and OpenAPI)."""
    if isinstance(field, me.ListField):
        return {"type": "array", "items": describe(field.field)}
    if isinstance(field, me.ReferenceField):
        return {"type": "string", "format": "city_id" if field.document_type is MemberCity else "content_id"}
    if isinstance(field, me.BooleanField):
        return {"type": "boolean"}
    if isinstance(field, me.IntField):
        spec = {"type": "integer"}
        if field.choices:
            spec["enum"] = list(field.choices)
        if field.min_value is not None:
            spec["minimum"] = field.min_value
        if field.max_value is not None:
            spec["maximum"] = field.max_value
        return spec
    if isinstance(field, me.DateField):
        return {"type": "string", "format": "date"}
    if isinstance(field, me.DateTimeField) and _is_wall_clock(field):
        return {"type": "string", "pattern": WALL_CLOCK_PATTERN, "description": "local time in the item's time_zone"}
    if isinstance(field, me.DateTimeField):
        return {"type": "string", "format": "date-time"}
    spec = {"type": "string"}
    if getattr(field, "max_length", None):
        spec["maxLength"] = field.max_length
    if field.choices:
        spec["enum"] = list(field.choices)
    if isinstance(field, me.StringField) and field.name == "body":
        spec["format"] = "html"
    return spec


def _city(value):
    if not isinstance(value, str) or not ObjectId.is_valid(value):
        raise ValueError(_("must be a city id"))
    city = MemberCity.objects(pk=value).first()
    if city is None:
        raise ValueError(_("no such city"))
    return city


def _item(cls, value):
    # A reference to another content item (a newsletter's news items): an id of an item of that type.
    item = cls.objects(pk=value).first() if isinstance(value, str) and ObjectId.is_valid(value) else None
    if item is None:
        raise ValueError(_("must be the id of an item of the type “%(type)s”", type=TYPES[cls.type_name].title))
    return item


def _is_wall_clock(field) -> bool:
    # The fields a type declares as local times at its venue (an event's start and end).
    return field.name in getattr(field.owner_document, "wall_clock_fields", ())


def wall_clock(value) -> datetime.datetime:
    """Return a local time like 2027-04-15T09:00 as a naive datetime; raise ValueError for anything else."""
    if isinstance(value, str) and re.fullmatch(WALL_CLOCK_PATTERN, value):
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(_("must be a local time like 2027-04-15T09:00"))


def _parse(field, value):
    """Return `value` converted for `field`, or raise ValueError saying what is expected."""
    if value is None:
        if field.required:
            raise ValueError(_("is required"))
        return None
    if isinstance(field, me.ListField):
        if not isinstance(value, list) or len(value) > 200:
            raise ValueError(_("must be a list (at most 200 entries)"))
        return [_parse(field.field, entry) for entry in value]
    if isinstance(field, me.ReferenceField):
        return _city(value) if field.document_type is MemberCity else _item(field.document_type, value)
    if isinstance(field, me.BooleanField):
        if not isinstance(value, bool):
            raise ValueError(_("must be true or false"))
        return value
    if isinstance(field, me.IntField):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(_("must be an integer"))
        return value
    if isinstance(field, me.DateField):
        try:
            if isinstance(value, str) and len(value) == 10:
                return datetime.date.fromisoformat(value)
        except ValueError:
            pass
        raise ValueError(_("must be a date like 2026-10-15"))
    if isinstance(field, me.DateTimeField) and _is_wall_clock(field):
        return wall_clock(value)
    if isinstance(field, me.DateTimeField):
        raise ValueError(_("is read-only"))
    if not isinstance(value, str):
        raise ValueError(_("must be a string"))
    return value


def parse_fields(cls, data: dict) -> dict:
    """Return the JSON fields in `data` as values for `cls`, refusing (422) unknown, read-only and ill-typed ones."""
    fields = writable_fields(cls)
    parsed, errors = {}, {}
    for name, value in data.items():
        if not isinstance(name, str) or name.startswith("$") or "." in name:
            errors[str(name)[:50]] = _("is not a field")
        elif name not in fields and (name in cls._fields or name in SHOWN_NAMES):
            errors[name] = _("is read-only")
        elif name not in fields:
            errors[name] = _("is not a field of this type")
        else:
            try:
                parsed[name] = _parse(fields[name], value)
            except ValueError as error:
                errors[name] = str(error)
    if errors:
        raise invalid_fields(errors)
    return parsed


def _json_value(value):
    if isinstance(value, list):
        return [_json_value(entry) for entry in value]
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0).isoformat() + "Z"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, me.Document):
        return str(value.pk)
    if isinstance(value, ObjectId):
        return str(value)
    return value


def serialize_fields(item: Content, user) -> dict:
    """Return the type's editable and assigned fields of `item` as JSON values; those for members only to them."""
    hidden = () if can(user, VIEW_CONTACTS) else type(item).members_only_fields
    names = (*type(item).editable_fields, *type(item).assigned_fields)
    local = getattr(type(item), "wall_clock_fields", ())
    return {
        name: _local(getattr(item, name)) if name in local else _json_value(getattr(item, name))
        for name in names
        if name not in hidden
    }


def _local(value) -> str | None:
    # A wall-clock time is written as it is read at the venue: no Z, the item's time_zone says where.
    return value.replace(microsecond=0).isoformat() if value else None


def iso(value) -> str | None:
    """Return a datetime as ISO 8601 UTC with Z, or None."""
    return _json_value(value) if value else None
