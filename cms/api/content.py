"""Content: list, create, read, update, delete — every answer asks can()."""

from datetime import datetime

import mongoengine as me
from bson import ObjectId
from flask import current_app, jsonify, request
from flask_babel import gettext as _

from cms import edit_lock, operations, scheduler, working_copies
from cms.api import blueprint
from cms.api.errors import ApiError, forbidden, not_found
from cms.api.fields import FieldError, apply_fields, iso, serialize_fields
from cms.api.requests import json_body, page_of, pagination, query_args, refuse_unknown
from cms.api.tokens import api_user, require_user
from cms.security import can, permitted_query
from content_types import CONTENT_TYPES, LANGUAGES, Content, User
from content_types.base import reference_id
from content_types.search import fold_for_search
from workflows import WORKFLOW_FOR_TYPE, engine, state_definition
from workflows.permissions import LOCAL_ROLES, MANAGE_USERS, VIEW

LIST_PARAMETERS = ("type", "state", "language", "q", "year", "page", "per_page")


def load_item(item_id: str, user) -> Content:
    """Return the item `item_id` if `user` may view it; otherwise 404 (never 403)."""
    if not isinstance(item_id, str) or not ObjectId.is_valid(item_id):
        raise not_found()
    item = Content.objects(pk=item_id).first()
    if item is None or not can(user, VIEW, item):
        raise not_found()
    return item


def serialize(item: Content, user, translations: dict | None = None) -> dict:
    """Return `item` as the contract's JSON object, as seen by `user`."""
    state = state_definition(item.type_name, item.state) or {}
    data = {
        "id": str(item.pk),
        "type": item.type_name,
        "title": item.title,
        "language": item.language,
        "state": item.state,
        "state_title": str(state.get("title", item.state)),
        "revision": item.revision,
        "owner": str(owner) if (owner := reference_id(item._data.get("owner"))) else None,
        "created": iso(item.created),
        "modified": iso(item.modified),
        "translation_group": item.translation_group,
        "translations": translations
        if translations is not None
        else translations_of([item], user)[item.translation_group],
        "allowed_transitions": [t["trigger"] for t in engine.available_transitions(user, item)],
        "body": item.body,
        "working_copy": str(item.working_copy) if item.working_copy else None,
        "working_copy_of": str(item.working_copy_of) if item.working_copy_of else None,
        "publish_at": iso(item.publish_at),
        "expire_at": iso(item.expire_at),
        "lock": _lock(item),
    }
    data.update(serialize_fields(item))
    return data


def _lock(item: Content):
    held = edit_lock.holder(item)
    return {"user": held[0].email, "since": iso(held[1])} if held else None


def translations_of(items, user) -> dict:
    """Return {group: {language: id}} of the viewable items in the groups of `items` (one query)."""
    groups = {item.translation_group for item in items}
    result = {group: {} for group in groups}
    query = Content.objects(__raw__={"$and": [permitted_query(user), {"translation_group": {"$in": list(groups)}}]})
    for other in query.only("id", "language", "translation_group"):
        result[other.translation_group][other.language] = str(other.pk)
    return result


def _year_clause(raw: str) -> dict:
    if not raw.isdigit() or len(raw) != 4:
        raise ApiError(400, "invalid_parameter", _("year must be a four-digit year."), {"parameter": "year"})
    year = int(raw)
    within = {"$gte": datetime(year, 1, 1), "$lt": datetime(year + 1, 1, 1)}
    return {"$or": [{"year": year}, {"year": {"$exists": False}, "created": within}, {"year": None, "created": within}]}


@blueprint.get("/content")
def list_content():
    """List the items the caller may view, filtered and paginated."""
    args = query_args(LIST_PARAMETERS)
    page, per_page = pagination(args)
    user = api_user()
    type_names = None
    if "type" in args:
        if args["type"] not in CONTENT_TYPES:
            raise ApiError(400, "invalid_parameter", _("Unknown content type."), {"parameter": "type"})
        type_names = [args["type"]]
    clauses = [permitted_query(user, VIEW, type_names)]
    if "state" in args:
        if len(args["state"]) > 40:
            raise ApiError(400, "invalid_parameter", _("Unknown state."), {"parameter": "state"})
        clauses.append({"state": args["state"]})
    if "language" in args:
        if args["language"] not in LANGUAGES:
            raise ApiError(400, "invalid_parameter", _("Unknown language."), {"parameter": "language"})
        clauses.append({"language": args["language"]})
    if "year" in args:
        clauses.append(_year_clause(args["year"]))
    query = Content.objects(__raw__={"$and": clauses})
    if args.get("q"):
        if len(args["q"]) > current_app.config["CMS_SEARCH_MAX_LENGTH"]:
            raise ApiError(400, "invalid_parameter", _("The search text is too long."), {"parameter": "q"})
        # Matched against the folded title (ä = ae, any case); `contains`
        # escapes the text, so it is matched literally, never as a pattern.
        query = query.filter(search_text__contains=fold_for_search(args["q"]))
    result = page_of(query.order_by("-modified"), page, per_page, lambda item: item)
    groups = translations_of(result["items"], user) if result["items"] else {}
    result["items"] = [serialize(item, user, groups[item.translation_group]) for item in result["items"]]
    return jsonify(result)


@blueprint.post("/content")
def create_content():
    """Create an item of the given type, owned by the caller, in its initial state."""
    user = require_user()
    data = json_body()
    type_name = data.pop("type", None)
    if type_name not in CONTENT_TYPES:
        raise ApiError(422, "unknown_type", _("Unknown or missing content type."), {"type": str(type_name)[:50]})
    try:
        item = operations.new_item(user, type_name)
    except operations.NotAllowed:
        raise forbidden() from None
    _write_fields(item, data)
    try:
        operations.save_new_item(user, item)
    except me.ValidationError as error:
        raise _invalid(error) from None
    return jsonify(serialize(item, user)), 201


@blueprint.get("/content/<item_id>")
def read_content(item_id):
    """Return one item the caller may view."""
    user = api_user()
    return jsonify(serialize(load_item(item_id, user), user))


@blueprint.patch("/content/<item_id>")
def update_content(item_id):
    """Change fields of an item, given the revision the caller edited (409 if stale)."""
    user = require_user()
    data = json_body()
    item = load_item(item_id, user)
    try:
        operations.require(user, operations.MODIFY, item)
    except operations.NotAllowed:
        raise forbidden() from None
    expected = data.pop("revision", None)
    if not isinstance(expected, int) or isinstance(expected, bool):
        raise ApiError(
            422, "revision_required", _("Send the revision you edited as an integer."), {"field": "revision"}
        )
    _write_fields(item, data)
    try:
        operations.save_changes(user, item, expected)
    except operations.NotAllowed:
        raise forbidden() from None
    except operations.Conflict:
        raise ApiError(
            409,
            "stale_revision",
            _("Someone else changed this item meanwhile; reload it and apply your change again."),
            {"revision": expected},
        ) from None
    except me.ValidationError as error:
        raise _invalid(error) from None
    return jsonify(serialize(item, user))


@blueprint.delete("/content/<item_id>")
def delete_content(item_id):
    """Delete an item where its state's permission map allows it."""
    user = require_user()
    item = load_item(item_id, user)
    try:
        operations.delete_item(user, item)
    except operations.NotAllowed:
        raise forbidden() from None
    except operations.Conflict:
        raise ApiError(409, "conflict", _("The item changed meanwhile; nothing was deleted.")) from None
    return "", 204


@blueprint.put("/content/<item_id>/sharing")
def share_content(item_id):
    """Set the local roles one user holds on this item (only roles the caller holds)."""
    user = require_user()
    data = json_body()
    item = load_item(item_id, user)
    refuse_unknown(data, {"user_id", "roles"})
    roles = data.get("roles")
    if not isinstance(roles, list) or not all(role in LOCAL_ROLES for role in roles):
        raise ApiError(
            422,
            "invalid_fields",
            _("Some fields are not accepted."),
            {"roles": _("must be a list of: %(roles)s", roles=", ".join(LOCAL_ROLES))},
        )
    grantee_id = data.get("user_id")
    grantee = (
        User.objects(pk=grantee_id).first() if isinstance(grantee_id, str) and ObjectId.is_valid(grantee_id) else None
    )
    if grantee is None:
        raise ApiError(422, "invalid_fields", _("Some fields are not accepted."), {"user_id": _("no such user")})
    try:
        item = operations.share(user, item, grantee, roles)
    except operations.NotAllowed:
        raise forbidden() from None
    except operations.Conflict:
        raise ApiError(409, "conflict", _("The sharing changed meanwhile; reload and try again.")) from None
    return jsonify(
        serialize(item, user)
        | {"sharing": [{"user_id": str(entry.user.pk), "roles": list(entry.roles)} for entry in item.local_roles]}
    )


@blueprint.post("/content/<item_id>/working-copy")
def create_working_copy(item_id):
    """Start revising a published item: a draft working copy (409 if one exists already)."""
    user = require_user()
    item = load_item(item_id, user)
    try:
        copy = working_copies.check_out(user, item)
    except operations.NotAllowed:
        raise forbidden() from None
    except working_copies.CheckOutRefused as refusal:
        raise ApiError(
            refusal.status, "conflict" if refusal.status == 409 else "not_possible", refusal.message
        ) from None
    return jsonify(serialize(copy, user)), 201


def _when(data: dict, name: str):
    value = data.get(name)
    if value is None:
        return None
    try:
        if not isinstance(value, str) or not value.endswith("Z"):
            raise ValueError(value)
        return datetime.fromisoformat(value[:-1])
    except ValueError:
        raise ApiError(
            422,
            "invalid_fields",
            _("Some fields are not accepted."),
            {name: _("must be a UTC time like 2027-01-15T09:00:00Z")},
        ) from None


@blueprint.post("/content/<item_id>/schedule")
def schedule_content(item_id):
    """Schedule publication (`publish_at`) and expiry (`expire_at`), fired later by the scheduler as the caller."""
    user = require_user()
    data = json_body()
    item = load_item(item_id, user)
    refuse_unknown(data, {"publish_at", "expire_at"})
    try:
        item = scheduler.schedule(user, item, _when(data, "publish_at"), _when(data, "expire_at"))
    except PermissionError:
        raise forbidden() from None
    except scheduler.ScheduleRefused as refusal:
        raise ApiError(422, "not_possible", str(refusal)) from None
    return jsonify(serialize(item, user))


@blueprint.post("/content/<item_id>/lock")
def lock_content(item_id):
    """Take the soft edit lock (409 if someone else holds it; admins may send {"steal": true})."""
    user = require_user()
    data = json_body() if request.get_data() else {}
    item = load_item(item_id, user)
    if not can(user, operations.MODIFY, item):
        raise forbidden()
    steal = data.get("steal") is True and can(user, MANAGE_USERS)
    if not edit_lock.take(user, item, steal=steal):
        raise ApiError(409, "locked", _("Someone else is editing this item."), {"lock": _lock(item)})
    return jsonify(serialize(Content.objects.get(pk=item.pk), user))


@blueprint.delete("/content/<item_id>/lock")
def unlock_content(item_id):
    """Release the caller's edit lock."""
    user = require_user()
    item = load_item(item_id, user)
    edit_lock.release(user, item)
    return "", 204


def _write_fields(item: Content, data: dict) -> None:
    try:
        apply_fields(item, data)
    except FieldError as error:
        raise ApiError(422, "invalid_fields", _("Some fields are not accepted."), error.details) from None


def _invalid(error: me.ValidationError) -> ApiError:
    return ApiError(422, "validation_failed", _("Some fields are not valid."), operations.validation_messages(error))


def workflow_name(type_name: str) -> str:
    """Return the name of the workflow `type_name` follows."""
    return WORKFLOW_FOR_TYPE[type_name]
