"""User administration through the API (admins only), with the same rules as the admin and the CLI."""

from bson import ObjectId
from flask import jsonify
from flask_babel import gettext as _

from cms.api import blueprint
from cms.api.fields import iso
from cms.api.requests import (
    invalid_fields,
    json_body,
    object_id,
    page_of,
    pagination,
    query_args,
    refuse_unknown,
    require_user,
)
from cms.api.schema import QUERIES
from cms.operations import accounts, refuse_unless
from content_types import MemberCity, User
from content_types.refusals import NotFound

# Request fields that are account fields under the same name (city_id names the city).
_FIELDS = ("email", "name", "roles", "active", "language", "password")


def serialize_user(user: User) -> dict:
    """Return an account as JSON (never its password hash)."""
    return {
        "id": str(user.pk),
        "email": user.email,
        "name": user.name,
        "roles": list(user.roles),
        "city_id": str(user.city.pk) if user.city else None,
        "active": user.active,
        "language": user.language,
        "created": iso(user.created),
    }


def _admin():
    user = require_user()
    refuse_unless(accounts.may_manage_users(user), user, None, "manage_users")
    return user


def _changes(data: dict) -> dict:
    changes = {name: value for name, value in data.items() if name in _FIELDS}
    if "city_id" in data:
        city_id = data["city_id"]
        city = None
        if city_id is not None:
            city = (
                MemberCity.objects(pk=city_id).first()
                if isinstance(city_id, str) and ObjectId.is_valid(city_id)
                else None
            )
            if city is None:
                raise invalid_fields({"city_id": _("no such city")})
        changes["city"] = city
    return changes


@blueprint.post("/users")
def create_user():
    """Create an account."""
    granter = _admin()
    data = json_body()
    refuse_unknown(data, {"email", "name", "password", "roles", "city_id"})
    changes = _changes(data)
    user = accounts.create_account(
        changes.get("email"),
        changes.get("password"),
        changes.get("roles", []),
        changes.get("name", ""),
        changes.get("city"),
        granter,
    )
    return jsonify(serialize_user(user)), 201


@blueprint.get("/users")
def list_users():
    """List accounts."""
    _admin()
    page, per_page = pagination(query_args(QUERIES["list_users"]))
    return jsonify(page_of(User.objects.order_by("email"), page, per_page, serialize_user))


@blueprint.patch("/users/<user_id>")
def update_user(user_id):
    """Change an account (roles, active, name, city, language, password); deactivation ends its sessions."""
    granter = _admin()
    data = json_body()
    user = User.objects(pk=object_id(user_id)).first()
    if user is None:
        raise NotFound(_("No such item."))
    refuse_unknown(data, {"roles", "active", "name", "city_id", "language", "password", "email"})
    return jsonify(serialize_user(accounts.update_account(granter, user, _changes(data))))
