"""Workflow through the API: state, history, firing transitions, definitions, the worklist."""

from flask import jsonify, request

from cms.api import blueprint
from cms.api.content import load_item, serialize
from cms.api.errors import ApiError
from cms.api.fields import iso
from cms.api.requests import json_body, page_of, pagination, query_args, refuse_unknown
from cms.api.tokens import api_user, require_user
from cms.worklist import worklist_query
from content_types import Content
from content_types.base import reference_id
from workflows import REGISTRY, WORKFLOW_FOR_TYPE, engine, state_definition, workflow_for
from workflows.errors import TransitionConflict, TransitionNotAllowed, TransitionNotPossible


def serialize_history(item: Content) -> list[dict]:
    """Return the item's history entries, oldest first."""
    return [
        {
            "transition": entry.transition,
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
    """Return a transition as the caller needs it to fire it."""
    return {"id": transition["trigger"], "title": str(transition["title"]), "needs": list(transition.get("needs", ()))}


@blueprint.get("/content/<item_id>/workflow")
def read_workflow(item_id):
    """Return the item's workflow, state, the transitions open to the caller, and the history."""
    user = api_user()
    item = load_item(item_id, user)
    state = state_definition(item.type_name, item.state) or {}
    return jsonify(
        {
            "workflow": WORKFLOW_FOR_TYPE[item.type_name],
            "state": item.state,
            "state_title": str(state.get("title", item.state)),
            "transitions": [serialize_transition(t) for t in engine.available_transitions(user, item)],
            "history": serialize_history(item),
        }
    )


@blueprint.post("/content/<item_id>/workflow/<transition>")
def fire_transition(item_id, transition):
    """Fire a transition (403 not allowed, 422 not possible or condition unmet, 409 lost a race)."""
    user = require_user()
    item = load_item(item_id, user)
    data = json_body() if request.get_data() else {}
    refuse_unknown(data, {"comment", "meeting_id"})
    try:
        stored = engine.fire(user, item, transition, comment=data.get("comment"), meeting_id=data.get("meeting_id"))
    except TransitionNotAllowed as refusal:
        raise ApiError(403, "forbidden", refusal.message, refusal.details) from None
    except TransitionNotPossible as refusal:
        raise ApiError(422, "transition_not_possible", refusal.message, refusal.details) from None
    except TransitionConflict as conflict:
        raise ApiError(409, "conflict", conflict.message) from None
    return jsonify(serialize(stored, user))


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
        "types": sorted(t for t, name in WORKFLOW_FOR_TYPE.items() if name == definition["name"])
    }


@blueprint.get("/workflows")
def list_workflows():
    """Return every workflow definition: states, permission maps, transitions, guards."""
    return jsonify({"items": [serialize_workflow(definition) for definition in REGISTRY.values()]})


@blueprint.get("/worklist")
def read_worklist():
    """List the items waiting for an action by the caller (review, approval, publication)."""
    user = require_user()
    page, per_page = pagination(query_args(("page", "per_page")))
    query = Content.objects(__raw__=worklist_query(user)).order_by("modified")

    def entry(item):
        return serialize(item, user) | {
            "waiting_for": [
                serialize_transition(t) for t in engine.available_transitions(user, item) if t.get("worklist")
            ]
        }

    return jsonify(page_of(query, page, per_page, entry))


def workflow_title(type_name: str) -> str:
    """Return the translated title of the type's workflow."""
    return str(workflow_for(type_name)["title"])
