"""Member cities: names in de/zh/en, country, status; contacts only for members and staff."""

from flask import jsonify
from flask_babel import gettext as _

from cms.api import blueprint
from cms.api.fields import iso
from cms.api.requests import bad_parameter, object_id, query_args
from cms.api.schema import QUERIES
from cms.auth import token_user
from cms.security import can
from content_types import MemberCity
from content_types.city import CITY_STATUSES, COUNTRIES
from content_types.refusals import NotFound
from workflows.permissions import VIEW_CONTACTS


def serialize_city(city: MemberCity, with_contacts: bool) -> dict:
    """Return a city as JSON; contacts only when `with_contacts`."""
    data = {
        "id": str(city.pk),
        "names": {"de": city.name_de, "zh": city.name_zh, "en": city.name_en},
        "country": city.country,
        "initiator": city.initiator,
        "status": city.status,
        "joined": iso(city.joined),
    }
    if with_contacts:
        data["contact_office"] = city.contact_office
        data["responsible_person"] = city.responsible_person
        data["contacts"] = [{"name": c.name, "role": c.role, "email": c.email, "phone": c.phone} for c in city.contacts]
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
    return jsonify({"items": [serialize_city(city, with_contacts) for city in cities], "total": cities.count()})


@blueprint.get("/cities/<city_id>")
def read_city(city_id):
    """Return one member city."""
    city = MemberCity.objects(pk=object_id(city_id)).first()
    if city is None:
        raise NotFound(_("No such item."))
    return jsonify(serialize_city(city, can(token_user(), VIEW_CONTACTS)))
