"""Revisions through the API: list, read one, compare two, restore one as a new revision."""

from flask import jsonify
from flask_babel import gettext as _

from cms import operations
from cms.api import blueprint
from cms.api.content import load_item, serialize
from cms.api.errors import ApiError, forbidden
from cms.api.fields import iso
from cms.api.tokens import api_user, require_user
from cms.revisions import compare, json_value, revisions_of
from content_types import Revision


def _number(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 9:
        raise ApiError(404, "not_found", _("No such revision."))
    return int(raw)


def _revision(item, raw: str) -> Revision:
    revision = Revision.objects(item=item.pk, number=_number(raw)).first()
    if revision is None:
        raise ApiError(404, "not_found", _("No such revision."))
    return revision


@blueprint.get("/content/<item_id>/revisions")
def list_revisions(item_id):
    """List the item's revisions: number, who, when, what changed."""
    item = load_item(item_id, api_user())
    return jsonify(
        [
            {"revision": r.number, "actor": r.actor_name, "at": iso(r.at), "summary": r.summary}
            for r in revisions_of(item)
        ]
    )


@blueprint.get("/content/<item_id>/revisions/<number>")
def read_revision(item_id, number):
    """Return one revision's fields."""
    item = load_item(item_id, api_user())
    revisions_of(item)
    revision = _revision(item, number)
    return jsonify(
        {
            "revision": revision.number,
            "actor": revision.actor_name,
            "at": iso(revision.at),
            "summary": revision.summary,
            "fields": {name: json_value(value) for name, value in revision.fields.items()},
        }
    )


@blueprint.get("/content/<item_id>/revisions/<a>/diff/<b>")
def diff_revisions(item_id, a, b):
    """Return the field-by-field differences from revision a to revision b."""
    item = load_item(item_id, api_user())
    revisions_of(item)
    return jsonify({"from": _number(a), "to": _number(b), "fields": compare(_revision(item, a), _revision(item, b))})


@blueprint.post("/content/<item_id>/revisions/<number>/restore")
def restore_revision(item_id, number):
    """Save an old revision's fields as the item's next revision."""
    user = require_user()
    item = load_item(item_id, user)
    revisions_of(item)
    _revision(item, number)
    try:
        restored = operations.restore_revision(user, item, _number(number))
    except operations.NotAllowed:
        raise forbidden() from None
    except operations.Conflict:
        raise ApiError(409, "stale_revision", _("Someone else changed this item meanwhile; try again.")) from None
    return jsonify(serialize(restored, user)), 201
