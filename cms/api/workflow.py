"""Workflow through the API: state, history, firing transitions, definitions, the worklist."""

from flask import jsonify
from flask_babel import gettext as _

from cms.api import blueprint
from cms.api.content import load_item, serialize, serialize_page
from cms.api.fields import iso
from cms.api.requests import optional_json_body, page_of, pagination, query_args, refuse_unknown, require_user
from cms.api.schema import QUERIES
from cms.auth import token_user
from cms.security import can, worklist_query
from content_types import Content
from content_types.base import reference_id
from workflows import REGISTRY, engine, state_title, transition_title
from workflows.needs import needs_of
from workflows.permissions import HISTORY
from workflows.policy import decision_requested
from workflows.types import TYPES


def serialize_history(item: Content) -> list[dict]:
    """Return the item's history entries, oldest first, with the titles of steps and states."""
    return [
        {
            "transition": entry.transition,
            "title": transition_title(item.type_name, entry.transition),
            "from": entry.from_state,
            "to": entry.to_state,
            "actor": str(reference_id(entry._data["actor"])) if entry._data.get("actor") else None,
            "actor_name": entry.actor_name,
            "at": iso(entry.at),
            "comment": entry.comment,
            "revision": entry.revision,
            **({"meeting_id": str(reference_id(entry._data["meeting"]))} if entry._data.get("meeting") else {}),
        }
        for entry in item.history
    ]


def serialize_transition(transition: dict) -> dict:
    """Return a transition as the caller needs it to fire it: its required inputs under `needs`."""
    return {
        "id": transition["trigger"],
        "title": str(transition["title"]),
        "needs": [need.name for need, required in needs_of(transition) if required],
        "accepts": [need.name for need, _required in needs_of(transition)],
    }


@blueprint.get("/content/<item_id>/workflow")
def read_workflow(item_id):
    """Return the item's workflow, state, the transitions open to the caller, and the history."""
    user = token_user()
    item = load_item(item_id, user)
    return jsonify(
        {
            "workflow": TYPES[item.type_name].workflow,
            "state": item.state,
            "state_title": state_title(item.type_name, item.state),
            "transitions": [serialize_transition(t) for t in engine.available_transitions(user, item)],
            # The past (comments, who did what) only for those who may see it; the rest see where it stands.
            "history": serialize_history(item) if can(user, HISTORY, item) else [],
        }
    )


@blueprint.post("/content/<item_id>/workflow/<transition>")
def fire_transition(item_id, transition):
    """Fire a transition (403 not allowed, 422 not possible or condition unmet, 409 lost a race)."""
    user = require_user()
    item = load_item(item_id, user)
    data = optional_json_body()
    refuse_unknown(data, engine.accepted_inputs(item, transition))
    return jsonify(serialize(engine.fire(user, item, transition, data), user))


def _decision(user, item: Content) -> list[dict]:
    # A consulted city's representative: "your decision is requested", answered at the item's consents.
    if not decision_requested(user, item):
        return []
    return [
        {
            "id": "decide",
            "title": _("Your decision is requested"),
            "needs": ["decision"],
            "accepts": ["decision", "comment", "letter"],
        }
    ]


def _plain(value):
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, dict):
        return {key: _plain(inner) for key, inner in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(inner) for inner in value]
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    return str(value)  # lazy translated titles


def serialize_workflow(definition: dict) -> dict:
    """Return a workflow definition as JSON, exactly as the engine runs it."""
    return _plain(definition) | {
        "types": sorted(name for name, registered in TYPES.items() if registered.workflow == definition["name"])
    }


@blueprint.get("/workflows")
def list_workflows():
    """Return every workflow definition: states, permission maps, transitions, guards."""
    return jsonify({"items": [serialize_workflow(definition) for definition in REGISTRY.values()]})


@blueprint.get("/worklist")
def read_worklist():
    """List the items waiting for an action by the caller (review, approval, publication)."""
    user = require_user()
    page, per_page = pagination(query_args(QUERIES["read_worklist"]))
    query = Content.objects(__raw__=worklist_query(user)).order_by("changed")
    result = page_of(query, page, per_page, lambda item: item)
    result["items"] = [
        entry
        | {"waiting_for": [serialize_transition(t) for t in engine.waiting_steps(user, item)] + _decision(user, item)}
        for item, entry in zip(result["items"], serialize_page(result["items"], user), strict=True)
    ]
    return jsonify(result)
