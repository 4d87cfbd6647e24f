"""Revisions through the API: list, read one, compare two, restore one as a new revision."""

from flask import jsonify
from flask_babel import gettext as _

from cms.api import blueprint
from cms.api.content import load_item, serialize
from cms.api.fields import iso
from cms.api.requests import require_user
from cms.auth import token_user
from cms.operations import content
from cms.revisions import compare, json_value, revision_of, revisions_of, summary_of
from content_types import Revision
from content_types.refusals import NotFound
from workflows.permissions import HISTORY


def _number(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 9:
        raise NotFound(_("No such revision."))
    return int(raw)


def _revision(item, raw: str) -> Revision:
    revision = revision_of(item, _number(raw))
    if revision is None:
        raise NotFound(_("No such revision."))
    return revision


@blueprint.get("/content/<item_id>/revisions")
def list_revisions(item_id):
    """List the item's revisions: number, who, when, what changed."""
    item = load_item(item_id, token_user(), HISTORY)
    return jsonify(
        [
            {
                "revision": r.number,
                "actor": r.actor_name,
                "at": iso(r.at),
                "summary": summary_of(r),
                "changed": r.changed,
            }
            for r in revisions_of(item)
        ]
    )


@blueprint.get("/content/<item_id>/revisions/<number>")
def read_revision(item_id, number):
    """Return one revision's fields."""
    revision = _revision(load_item(item_id, token_user(), HISTORY), number)
    return jsonify(
        {
            "revision": revision.number,
            "actor": revision.actor_name,
            "at": iso(revision.at),
            "summary": summary_of(revision),
            "changed": revision.changed,
            "fields": {name: json_value(value) for name, value in revision.fields.items()},
        }
    )


@blueprint.get("/content/<item_id>/revisions/<a>/diff/<b>")
def diff_revisions(item_id, a, b):
    """Return the field-by-field differences from revision a to revision b."""
    item = load_item(item_id, token_user(), HISTORY)
    return jsonify({"from": _number(a), "to": _number(b), "fields": compare(_revision(item, a), _revision(item, b))})


@blueprint.post("/content/<item_id>/revisions/<number>/restore")
def restore_revision(item_id, number):
    """Save an old revision's fields as the item's next revision."""
    user = require_user()
    item = load_item(item_id, user)
    return jsonify(serialize(content.restore_revision(user, item, _number(number)), user)), 201
