"""What can HAPPEN: workflow definitions as data, the type registrations, and the check that they fit together."""

from workflows import conditions, effects, needs
from workflows.audiences import AUDIENCES
from workflows.definitions import (
    ENGINE_STEPS,
    MACHINES,
    REGISTRY,
    flagged_states,
    has_flag,
    scheduled_transition,
    sources_of,
    state_definition,
    state_title,
    states_left_by,
    takers,
    transition_definition,
    transition_title,
    transitions_from,
    waiting_for,
    workflow_for,
)
from workflows.permissions import HISTORY, VIEW
from workflows.types import TYPES

__all__ = [
    "ENGINE_STEPS",
    "MACHINES",
    "REGISTRY",
    "TYPES",
    "flagged_states",
    "has_flag",
    "scheduled_transition",
    "sources_of",
    "state_definition",
    "state_title",
    "states_left_by",
    "takers",
    "transition_definition",
    "transition_title",
    "transitions_from",
    "validate_registry",
    "waiting_for",
    "workflow_for",
]


def validate_registry() -> None:
    """Raise ValueError unless every registered type and every workflow is coherent."""
    for name, registered in TYPES.items():
        if not registered.title or not registered.plural:
            raise ValueError(f"content type {name!r} has no title")
        if registered.workflow not in REGISTRY:
            raise ValueError(f"content type {name!r} names unknown workflow {registered.workflow!r}")
        if registered.listed_on and not flagged_states(name, "released"):
            raise ValueError(f"content type {name!r} is listed but its workflow has no released state")
        unknown = [field for field in registered.cls.editable_fields if field not in registered.cls._fields]
        if unknown:
            raise ValueError(f"content type {name!r} lists unknown editable fields {unknown}")
    for definition in REGISTRY.values():
        names = {state["name"] for state in definition["states"]}
        for state in definition["states"]:
            # Who may see an item, and who its past, is decided in every state, never left to a default.
            if not {VIEW, HISTORY} <= set(state["permissions"]):
                raise ValueError(
                    f"workflow {definition['name']!r}: state {state['name']!r} must grant view and history"
                )
        if definition["initial"] not in names:
            raise ValueError(f"workflow {definition['name']!r}: initial state is not a state")
        for transition in definition["transitions"]:
            label = f"workflow {definition['name']!r}: transition {transition['trigger']!r}"
            if transition["dest"] not in names or not set(sources_of(transition)) <= names:
                raise ValueError(f"{label} names an unknown state")
            if not transition.get("guard") or not transition.get("title"):
                raise ValueError(f"{label} has no guard or no title")
            for name in transition.get("needs", ()):
                if name not in needs.NEEDS:
                    raise ValueError(f"{label}: unknown need {name!r}")
            for name in (*transition.get("conditions", ()), *transition.get("offered_if", ())):
                if name not in conditions.CONDITIONS:
                    raise ValueError(f"{label}: unknown condition {name!r}")
            for name in transition.get("effects", ()):
                if name not in effects.EFFECTS:
                    raise ValueError(f"{label}: unknown effect {name!r}")
            for name in transition.get("notifies", ()):
                if name not in AUDIENCES:
                    raise ValueError(f"{label}: unknown audience {name!r}")
            for name in transition.get("after", ()):
                if name not in effects.FOLLOW_UPS:
                    raise ValueError(f"{label}: unknown follow-up {name!r}")
            if transition.get("schedule") not in (None, "publication", "expiry"):
                raise ValueError(f"{label}: schedule must be 'publication' or 'expiry'")
