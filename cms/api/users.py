"""User administration through the API (admins only)."""

from bson import ObjectId
from flask import jsonify
from flask_babel import gettext as _

from cms.accounts import AccountError, check_roles, create_account, end_sessions
from cms.api import blueprint
from cms.api.errors import ApiError, forbidden, not_found
from cms.api.fields import iso
from cms.api.requests import json_body, page_of, pagination, query_args, refuse_unknown
from cms.api.tokens import require_user
from cms.security import can
from content_types import ApiToken, MemberCity, User
from workflows.permissions import MANAGE_USERS


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
    if not can(user, MANAGE_USERS):
        raise forbidden()
    return user


def _city(city_id):
    if city_id is None:
        return None
    city = MemberCity.objects(pk=city_id).first() if isinstance(city_id, str) and ObjectId.is_valid(city_id) else None
    if city is None:
        raise ApiError(422, "invalid_fields", _("Some fields are not accepted."), {"city_id": _("no such city")})
    return city


@blueprint.post("/users")
def create_user():
    """Create an account."""
    granter = _admin()
    data = json_body()
    refuse_unknown(data, {"email", "name", "password", "roles", "city_id"})
    name = data.get("name", "")
    if not isinstance(name, str) or len(name) > 200:
        raise ApiError(422, "invalid_fields", _("Some fields are not accepted."), {"name": _("must be a string")})
    try:
        user = create_account(
            data.get("email"), data.get("password"), data.get("roles", []), name, _city(data.get("city_id")), granter
        )
    except AccountError as error:
        raise ApiError(422, "invalid_fields", str(error), {error.field: str(error)}) from None
    return jsonify(serialize_user(user)), 201


@blueprint.get("/users")
def list_users():
    """List accounts."""
    _admin()
    page, per_page = pagination(query_args(("page", "per_page")))
    return jsonify(page_of(User.objects.order_by("email"), page, per_page, serialize_user))


@blueprint.patch("/users/<user_id>")
def update_user(user_id):
    """Change an account's roles or active flag; deactivation ends its sessions and tokens."""
    granter = _admin()
    data = json_body()
    user = User.objects(pk=user_id).first() if ObjectId.is_valid(user_id) else None
    if user is None:
        raise not_found()
    refuse_unknown(data, {"roles", "active", "name"})
    if "roles" in data:
        try:
            user.roles = check_roles(data["roles"], granter)
        except AccountError as error:
            raise ApiError(422, "invalid_fields", str(error), {"roles": str(error)}) from None
    if "active" in data:
        if not isinstance(data["active"], bool):
            raise ApiError(
                422, "invalid_fields", _("Some fields are not accepted."), {"active": _("must be true or false")}
            )
        user.active = data["active"]
    if "name" in data:
        if not isinstance(data["name"], str) or len(data["name"]) > 200:
            raise ApiError(422, "invalid_fields", _("Some fields are not accepted."), {"name": _("must be a string")})
        user.name = data["name"]
    user.save()
    if not user.active:
        end_sessions(user)
        ApiToken.objects(user=user).delete()
    return jsonify(serialize_user(user))
