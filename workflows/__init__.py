"""What can HAPPEN: workflow definitions as data, the machines built from them, and what they say.

Each workflow is one readable dict (`meeting_approval.py`, ...). Its states
carry their permission maps and flags (`released`: listed for its readers,
`versioned`: arriving freezes a published version, `upcoming`, `held`); its
transitions carry guard, needs, conditions, effects, follow-ups and flags
(`worklist`, `schedule`). Code outside this package asks these functions and
flags and never spells a state or trigger name.
"""

from flask_babel import lazy_gettext as _l
from transitions import Machine, State, Transition

from workflows import meeting_approval, meeting_lifecycle, secretariat_review
from workflows.types import TYPES

REGISTRY = {
    definition["name"]: definition
    for definition in (meeting_approval.WORKFLOW, secretariat_review.WORKFLOW, meeting_lifecycle.WORKFLOW)
}

# Steps the engine records that no definition declares.
ENGINE_STEPS = {"check_in": _l("Revised text checked in")}


class DefinedState(State):
    """A machine state that holds its definition (title, permission map, flags)."""

    def __init__(self, name, *args, definition: dict, **kwargs):
        super().__init__(name, *args, **kwargs)
        self.definition = definition


class DefinedTransition(Transition):
    """A machine transition that holds its definition, so (trigger, source) finds the right one."""

    def __init__(self, source, dest, *args, definition: dict, **kwargs):
        super().__init__(source, dest, *args, **kwargs)
        self.definition = definition


class WorkflowMachine(Machine):
    """One shared machine per workflow, with no model bound (the transitions FAQ)."""

    state_cls = DefinedState
    transition_cls = DefinedTransition


def _machine(definition: dict) -> WorkflowMachine:
    # The stored item is never added (add_model would reset it to the initial
    # state). Machine writes into the dicts it is given, so it gets its own.
    return WorkflowMachine(
        model=None,
        states=[{"name": state["name"], "definition": state} for state in definition["states"]],
        transitions=[
            {"trigger": t["trigger"], "source": t["source"], "dest": t["dest"], "definition": t}
            for t in definition["transitions"]
        ],
        initial=definition["initial"],
        auto_transitions=False,
        ignore_invalid_triggers=False,
    )


MACHINES = {name: _machine(definition) for name, definition in REGISTRY.items()}


def workflow_for(type_name: str) -> dict:
    """Return the workflow definition the content type `type_name` follows."""
    return REGISTRY[TYPES[type_name].workflow]


def state_definition(type_name: str, state: str) -> dict | None:
    """Return the definition of `state` in the type's workflow, or None if it has no such state."""
    machine = MACHINES[TYPES[type_name].workflow]
    found = machine.states.get(state) if isinstance(state, str) else None
    return found.definition if found is not None else None


def transition_definition(type_name: str, state: str, trigger) -> dict | None:
    """Return the definition of `trigger` leaving `state` in the type's workflow, or None if there is none."""
    machine = MACHINES[TYPES[type_name].workflow]
    if not isinstance(trigger, str) or trigger not in machine.events or not isinstance(state, str):
        return None
    found = machine.get_transitions(trigger=trigger, source=state)
    return found[0].definition if found else None


def transitions_from(type_name: str, state: str) -> list[dict]:
    """Return the definitions of the transitions leaving `state`, in the order the workflow lists them."""
    machine = MACHINES[TYPES[type_name].workflow]
    triggers = set(machine.get_triggers(state)) if state in machine.states else set()
    return [t for t in workflow_for(type_name)["transitions"] if t["trigger"] in triggers and state in sources_of(t)]


def sources_of(transition: dict) -> list[str]:
    """Return the states a transition leaves from (its source may be one name or a list)."""
    source = transition["source"]
    return list(source) if isinstance(source, (list, tuple)) else [source]


def state_title(type_name: str, state: str) -> str:
    """Return the translated title of `state` in the type's workflow (the name itself if unknown)."""
    found = state_definition(type_name, state)
    return str(found["title"]) if found else str(state)


def transition_title(type_name: str, trigger: str) -> str:
    """Return the translated title of the transition `trigger` in the type's workflow (engine steps too)."""
    for transition in workflow_for(type_name)["transitions"]:
        if transition["trigger"] == trigger:
            return str(transition["title"])
    return str(ENGINE_STEPS.get(trigger, trigger))


def flagged_states(type_name: str, *flags: str) -> list[str]:
    """Return the names of the type's states that carry every one of `flags`."""
    return [state["name"] for state in workflow_for(type_name)["states"] if all(state.get(flag) for flag in flags)]


def has_flag(type_name: str, state: str, flag: str) -> bool:
    """Return whether `state` of the type's workflow carries `flag`."""
    found = state_definition(type_name, state)
    return bool(found and found.get(flag))


def scheduled_transition(type_name: str, state: str, kind: str) -> dict | None:
    """Return the transition out of `state` that the scheduler fires for `kind` ("publication" or "expiry")."""
    return next((t for t in transitions_from(type_name, state) if t.get("schedule") == kind), None)


def validate_registry() -> None:
    """Raise ValueError unless every registered type and every workflow is coherent."""
    from workflows import conditions, effects, needs  # they import this package's helpers

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
            for name in transition.get("conditions", ()):
                if name not in conditions.CONDITIONS:
                    raise ValueError(f"{label}: unknown condition {name!r}")
            for name in transition.get("effects", ()):
                if name not in effects.EFFECTS:
                    raise ValueError(f"{label}: unknown effect {name!r}")
            for name in transition.get("after", ()):
                if name not in effects.FOLLOW_UPS:
                    raise ValueError(f"{label}: unknown follow-up {name!r}")
            if transition.get("schedule") not in (None, "publication", "expiry"):
                raise ValueError(f"{label}: schedule must be 'publication' or 'expiry'")
