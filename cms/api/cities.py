"""Member cities: names and profile in de/zh/en, country, status; contacts only for members and staff.

Staff and a member city's own representatives change its contacts and profile
(PATCH); the status is never written here (the membership processes do).
"""

from flask import jsonify
from flask_babel import gettext as _
from mongoengine.queryset.visitor import Q

from cms.api import blueprint
from cms.api.fields import iso
from cms.api.requests import bad_parameter, json_body, object_id, query_args, require_user
from cms.api.schema import QUERIES
from cms.auth import token_user
from cms.operations import cities as city_operations
from cms.security import can
from content_types import MemberCity
from content_types.city import CITY_STATUSES, COUNTRIES, PROFILE_KEYS, PROFILE_LANGUAGES
from content_types.refusals import NotFound
from content_types.validation import Invalid
from workflows.permissions import ACCESS_ADMIN, VIEW_CONTACTS


def serialize_city(city: MemberCity, with_contacts: bool) -> dict:
    """Return a city as JSON; contacts only when `with_contacts`."""
    data = {
        "id": str(city.pk),
        "names": {"de": city.name_de, "zh": city.name_zh, "en": city.name_en},
        "country": city.country,
        "initiator": city.initiator,
        "status": city.status,
        "joined": iso(city.joined),
        "revision": city.revision or 0,
        # The public profile, as written in each language (empty where not written).
        "profile": {
            key: {code: getattr(city, f"{key}_{code}") or "" for code in PROFILE_LANGUAGES} for key in PROFILE_KEYS
        },
    }
    if with_contacts:
        data["contact_office"] = city.contact_office
        data["responsible_person"] = city.responsible_person
        data["contacts"] = [
            {"name": c.name, "role": c.role, "email": c.email, "phone": c.phone, "language": c.language}
            for c in city.contacts
        ]
    return data


@blueprint.get("/cities")
def list_cities():
    """List member cities, optionally by country and status."""
    args = query_args(QUERIES["list_cities"])
    filters = {}
    if "country" in args:
        if args["country"] not in COUNTRIES:
            raise bad_parameter(_("country must be CN or DE."), "country")
        filters["country"] = args["country"]
    if "status" in args:
        if args["status"] not in CITY_STATUSES:
            raise bad_parameter(_("Unknown city status."), "status")
        filters["status"] = args["status"]
    with_contacts = can(token_user(), VIEW_CONTACTS)
    cities = MemberCity.objects(**filters)
    if not can(token_user(), ACCESS_ADMIN):
        cities = cities.filter(_ANNOUNCED)
    return jsonify({"items": [serialize_city(city, with_contacts) for city in cities], "total": cities.count()})


@blueprint.get("/cities/<city_id>")
def read_city(city_id):
    """Return one member city."""
    return jsonify(serialize_city(_load_city(city_id), can(token_user(), VIEW_CONTACTS)))


@blueprint.patch("/cities/<city_id>")
def update_city(city_id):
    """Change a city's contacts and profile, given the revision the caller edited (409 if stale; status: 422)."""
    user = require_user()
    data = json_body()
    city = _load_city(city_id)
    expected = data.pop("revision", None)
    changes = {}
    for name, value in data.items():
        if name == "profile":
            changes.update(_profile_fields(value))
        else:
            changes[name] = value
    city = city_operations.update_city(user, city, expected, changes)
    return jsonify(serialize_city(city, can(user, VIEW_CONTACTS)))


def _profile_fields(profile) -> dict:
    # {"characteristics": {"de": "...", "zh": "..."}} as the GET returns it → the stored fields.
    if not isinstance(profile, dict):
        raise bad_profile()
    fields = {}
    for key, texts in profile.items():
        if key not in PROFILE_KEYS or not isinstance(texts, dict) or set(texts) - set(PROFILE_LANGUAGES):
            raise bad_profile()
        fields.update({f"{key}_{code}": text for code, text in texts.items()})
    return fields


def bad_profile():
    """Return the 422 for a profile that is not {key: {language: text}}."""
    return Invalid({"profile": _("The profile maps each of its entries to texts by language (de, zh, en).")})


# A city an applicant named in the public form is known only to staff until it is a member: anyone with a
# mailbox could otherwise put a name into the alliance's registry as others read it.
_ANNOUNCED = Q(status="member") | Q(named_by_applicant__ne=True)


def _load_city(city_id) -> MemberCity:
    query = MemberCity.objects(pk=object_id(city_id))
    if not can(token_user(), ACCESS_ADMIN):
        query = query.filter(_ANNOUNCED)
    city = query.first()
    if city is None:
        raise NotFound(_("No such item."))
    return city
