"""Content: list, create, read, update, delete, sharing, working copies, scheduling, locks — every answer asks can()."""

from datetime import datetime

from bson import ObjectId
from flask import jsonify
from flask_babel import gettext as _

from cms.api import blueprint
from cms.api.fields import iso, parse_fields, serialize_fields
from cms.api.requests import (
    bad_parameter,
    invalid_fields,
    json_body,
    object_id,
    optional_json_body,
    page_of,
    pagination,
    query_args,
    refuse_unknown,
    require_user,
    search_text,
)
from cms.api.schema import QUERIES
from cms.auth import token_user
from cms.i18n import current_language
from cms.operations import attachments, content, locks, scheduling, sharing, translations, working_copies
from cms.security import can, permitted_query
from content_types import LANGUAGES, Content, User
from content_types.base import reference_id
from content_types.refusals import NotFound, NotPossible
from content_types.search import fold_for_search
from workflows import engine, state_title
from workflows.permissions import VIEW
from workflows.types import TYPES

# The years a document can belong to (the alliance's work concept is from 2016).
FIRST_YEAR, LAST_YEAR = 1900, 2999


def load_item(item_id: str, user, permission: str = VIEW) -> Content:
    """Return the item `item_id` if `user` holds `permission` on it (view, or its history); otherwise 404."""
    item = Content.objects(pk=object_id(item_id)).first()
    if item is None or not can(user, permission, item):
        raise NotFound(_("No such item."))
    return item


# Each action the API's `allowed_actions` may list, and the operation's predicate that decides it.
ACTIONS = {
    "edit": content.may_edit,
    "delete": content.may_delete,
    "share": sharing.may_share,
    "attach": attachments.may_attach,
    "check_out": working_copies.may_check_out,
    "schedule": scheduling.may_schedule,
    "lock": locks.may_lock,
    "steal_lock": locks.may_steal_lock,
}


def allowed_actions(user, item: Content, group_languages: set[str]) -> list[str]:
    """Return what `user` may do to the item now besides transitions, each answered by its operation's predicate."""
    allowed = [action for action, may in ACTIONS.items() if may(user, item)]
    if translations.may_translate(user, item, group_languages):
        allowed.append("translate")
    return allowed


def serialize(item: Content, user, group: tuple[dict, set] | None = None) -> dict:
    """Return `item` as the contract's JSON object, as seen by `user`.

    `group` is ({language: id} of the translations `user` sees, every language
    the group has), as groups_of() computes it for a page of items at once.
    """
    translation_ids, group_languages = group if group is not None else groups_of([item], user)[item.translation_group]
    data = {
        "id": str(item.pk),
        "type": item.type_name,
        "title": item.title,
        "language": item.language,
        "state": item.state,
        "state_title": state_title(item.type_name, item.state),
        "revision": item.revision,
        "owner": str(owner) if (owner := reference_id(item._data.get("owner"))) else None,
        "created": iso(item.created),
        "modified": iso(item.modified),
        "translation_group": item.translation_group,
        "translations": translation_ids,
        # A translation: its source, and the source's revision it renders (see PATCH).
        "translation_of": str(item.translation_of) if item.translation_of else None,
        "translation_source_revision": item.translation_source_revision if item.translation_of else None,
        "allowed_transitions": [t["trigger"] for t in engine.available_transitions(user, item)],
        "allowed_actions": allowed_actions(user, item, group_languages),
        "body": item.body,
        "working_copy": str(item.working_copy) if item.working_copy else None,
        "working_copy_of": str(item.working_copy_of) if item.working_copy_of else None,
        "publish_at": iso(item.publish_at),
        "expire_at": iso(item.expire_at),
        # Who is editing (an e-mail address) is for those who may edit too.
        "lock": _lock(item) if content.may_edit(user, item) else None,
    }
    data.update(serialize_fields(item, user))
    if hasattr(item, "shown_in"):
        # A meeting carries its title, venue and agenda in several languages: here as the caller's language has them.
        data["shown"] = item.shown_in(current_language())
    return data


def _lock(item: Content):
    held = locks.lock_holder(item)
    return {"user": held[0].email, "since": iso(held[1])} if held else None


def groups_of(items, user) -> dict:
    """Return {group: ({language: id} that `user` may view, every language present)} for `items` (one query).

    The group's members are few, so can() answers for each: the permission
    filter would make the embedded database test every item in Python.
    """
    groups = list({item.translation_group for item in items})
    result = {group: ({}, set()) for group in groups}
    for other in Content.objects(__raw__={"translation_group": {"$in": groups}}).order_by():
        result[other.translation_group][1].add(other.language)
        if can(user, VIEW, other):
            result[other.translation_group][0][other.language] = str(other.pk)
    return result


def serialize_page(items, user) -> list[dict]:
    """Return `items` as JSON, with their translation groups read once for all of them."""
    items = list(items)
    groups = groups_of(items, user) if items else {}
    return [serialize(item, user, groups[item.translation_group]) for item in items]


def _year_clause(raw: str) -> dict:
    if not raw.isdigit() or len(raw) != 4 or not FIRST_YEAR <= int(raw) <= LAST_YEAR:
        raise bad_parameter(
            _("year must be a year from %(first)d to %(last)d.", first=FIRST_YEAR, last=LAST_YEAR), "year"
        )
    return {"$or": [registered.cls.year_query(int(raw)) for registered in TYPES.values()]}


@blueprint.get("/content")
def list_content():
    """List the items the caller may view, filtered and paginated."""
    args = query_args(QUERIES["list_content"])
    page, per_page = pagination(args)
    user = token_user()
    type_names = None
    if "type" in args:
        if args["type"] not in TYPES:
            raise bad_parameter(_("Unknown content type."), "type")
        type_names = [args["type"]]
    clauses = [permitted_query(user, VIEW, type_names)]
    if "state" in args:
        if len(args["state"]) > 40:
            raise bad_parameter(_("Unknown state."), "state")
        clauses.append({"state": args["state"]})
    if "language" in args:
        if args["language"] not in LANGUAGES:
            raise bad_parameter(_("Unknown language."), "language")
        clauses.append({"language": args["language"]})
    if "year" in args:
        clauses.append(_year_clause(args["year"]))
    query = Content.objects(__raw__={"$and": clauses})
    if text := search_text(args):
        # Matched against the folded title (ä = ae, any case); `contains`
        # escapes the text, so it is matched literally, never as a pattern.
        query = query.filter(search_text__contains=fold_for_search(text))
    result = page_of(query.order_by("-modified"), page, per_page, lambda item: item)
    result["items"] = serialize_page(result["items"], user)
    return jsonify(result)


@blueprint.post("/content")
def create_content():
    """Create an item of the given type, owned by the caller, in its initial state."""
    user = require_user()
    data = json_body()
    type_name = data.pop("type", None)
    if not isinstance(type_name, str) or type_name not in TYPES:
        raise NotPossible(_("Unknown or missing content type."), {"type": str(type_name)[:50]}, code="unknown_type")
    item = content.new_item(user, type_name)
    for name, value in parse_fields(type(item), data).items():
        setattr(item, name, value)
    content.create_item(user, item)
    return jsonify(serialize(item, user)), 201


@blueprint.get("/content/<item_id>")
def read_content(item_id):
    """Return one item the caller may view."""
    user = token_user()
    return jsonify(serialize(load_item(item_id, user), user))


@blueprint.patch("/content/<item_id>")
def update_content(item_id):
    """Change fields of an item, given the revision the caller edited (409 if stale)."""
    user = require_user()
    data = json_body()
    item = load_item(item_id, user)
    expected = data.pop("revision", None)
    # A translator says the translation now renders that revision of its source (the form's "brought up to date").
    caught_up = data.pop("translation_source_revision", None) if item.translation_of else None
    changes = parse_fields(type(item), data)
    if caught_up is not None:
        translations.confirm_source(user, item, caught_up)
    content.save_changes(user, item, expected, changes)
    return jsonify(serialize(item, user))


@blueprint.delete("/content/<item_id>")
def delete_content(item_id):
    """Delete an item where its state's permission map allows it."""
    user = require_user()
    content.delete_item(user, load_item(item_id, user))
    return "", 204


@blueprint.put("/content/<item_id>/sharing")
def share_content(item_id):
    """Set the local roles one user holds on this item (only roles the caller holds)."""
    user = require_user()
    data = json_body()
    item = load_item(item_id, user)
    refuse_unknown(data, {"user_id", "roles"})
    grantee_id = data.get("user_id")
    grantee = (
        User.objects(pk=grantee_id).first() if isinstance(grantee_id, str) and ObjectId.is_valid(grantee_id) else None
    )
    if grantee is None:
        raise invalid_fields({"user_id": _("no such user")})
    item = sharing.share(user, item, grantee, data.get("roles"))
    shared = [
        {"user_id": str(reference_id(entry._data["user"])), "roles": list(entry.roles)}
        for entry in item._data.get("local_roles") or ()
    ]
    return jsonify(serialize(item, user) | {"sharing": shared})


@blueprint.post("/content/<item_id>/working-copy")
def create_working_copy(item_id):
    """Start revising a published item: a draft working copy (409 if one exists already)."""
    user = require_user()
    copy = working_copies.check_out(user, load_item(item_id, user))
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
        raise invalid_fields({name: _("must be a UTC time like 2027-01-15T09:00:00Z")}) from None


@blueprint.post("/content/<item_id>/schedule")
def schedule_content(item_id):
    """Schedule publication (`publish_at`) and expiry (`expire_at`), fired later by the scheduler as the caller."""
    user = require_user()
    data = json_body()
    item = load_item(item_id, user)
    refuse_unknown(data, {"publish_at", "expire_at"})
    item = scheduling.schedule(user, item, _when(data, "publish_at"), _when(data, "expire_at"))
    return jsonify(serialize(item, user))


@blueprint.post("/content/<item_id>/lock")
def lock_content(item_id):
    """Take the soft edit lock (409 if someone else holds it; admins may send {"steal": true})."""
    user = require_user()
    data = optional_json_body()
    refuse_unknown(data, {"steal"})
    item = locks.take_lock(user, load_item(item_id, user), steal=data.get("steal") is True)
    return jsonify(serialize(item, user))


@blueprint.delete("/content/<item_id>/lock")
def unlock_content(item_id):
    """Release the caller's edit lock."""
    user = require_user()
    locks.release_lock(user, load_item(item_id, user))
    return "", 204
