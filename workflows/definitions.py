"""The workflow definitions, the machines built from them, and what they say about a state or a step.

Each workflow is one readable dict (`meeting_approval.py`, ...). Its states
carry their permission maps and flags (`released`: listed for its readers,
`versioned`: arriving freezes a published version, `upcoming`, `held`); its
transitions carry guard, needs, conditions, effects, follow-ups and flags
(`worklist`, `schedule`). Code outside this package asks these functions and
flags and never spells a state or trigger name.
"""

from flask_babel import lazy_gettext as _l
from transitions import Machine, State, Transition

from workflows import (
    exclusion,
    meeting_approval,
    meeting_lifecycle,
    proposal_review,
    secretariat_review,
    withdrawal,
)
from workflows import membership as membership_workflow
from workflows.permissions import ROLE_TITLES, STEP_ROLES
from workflows.types import TYPES

REGISTRY = {
    definition["name"]: definition
    for definition in (
        meeting_approval.WORKFLOW,
        secretariat_review.WORKFLOW,
        meeting_lifecycle.WORKFLOW,
        proposal_review.WORKFLOW,
        withdrawal.WORKFLOW,
        exclusion.WORKFLOW,
        membership_workflow.WORKFLOW,
    )
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
    return [t for t in workflow_for(type_name)["transitions"] if state in sources_of(t)]


def states_left_by(type_name: str, wanted) -> list[str]:
    """Return the states that transitions for which `wanted(transition)` holds leave from, sorted."""
    return sorted({source for t in workflow_for(type_name)["transitions"] if wanted(t) for source in sources_of(t)})


def sources_of(transition: dict) -> list[str]:
    """Return the states a transition leaves from (its source may be one name or a list)."""
    source = transition["source"]
    return list(source) if isinstance(source, (list, tuple)) else [source]


def takers(transition: dict) -> list[str]:
    """Return the titles of the roles that take `transition` ("Reviewer"), the way its guard names them."""
    return [str(ROLE_TITLES[role]) for role in STEP_ROLES if role in transition["guard"]]


def waiting_for(type_name: str, state: str) -> list[str]:
    """Return the titles of the roles an item in `state` waits for: who takes its worklist steps from there."""
    titles = [title for t in transitions_from(type_name, state) if t.get("worklist") for title in takers(t)]
    return list(dict.fromkeys(titles))


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
