"""What can HAPPEN: workflow definitions as data, and which content type follows which."""

from workflows import single_state

REGISTRY = {definition["name"]: definition for definition in (single_state.WORKFLOW,)}

# Plone's workflow chains: content type -> workflow name.
WORKFLOW_FOR_TYPE = {
    "concept": "single_state",
    "work_plan": "single_state",
    "mou": "single_state",
    "declaration": "single_state",
    "circular": "single_state",
    "news": "single_state",
    "meeting": "single_state",
}


def workflow_for(type_name: str) -> dict:
    """Return the workflow definition the content type `type_name` follows."""
    return REGISTRY[WORKFLOW_FOR_TYPE[type_name]]


def state_definition(type_name: str, state: str) -> dict | None:
    """Return the definition of `state` in the type's workflow, or None if it has no such state."""
    for candidate in workflow_for(type_name)["states"]:
        if candidate["name"] == state:
            return candidate
    return None


def validate_registry(content_types) -> None:
    """Raise ValueError unless every content type has a workflow and every workflow is coherent."""
    for type_name in content_types:
        if type_name not in WORKFLOW_FOR_TYPE:
            raise ValueError(f"content type {type_name!r} has no workflow")
    for type_name, name in WORKFLOW_FOR_TYPE.items():
        if name not in REGISTRY:
            raise ValueError(f"content type {type_name!r} names unknown workflow {name!r}")
    for definition in REGISTRY.values():
        names = {state["name"] for state in definition["states"]}
        if definition["initial"] not in names:
            raise ValueError(f"workflow {definition['name']!r}: initial state is not a state")
        for transition in definition["transitions"]:
            sources = transition["source"] if isinstance(transition["source"], list) else [transition["source"]]
            if transition["dest"] not in names or not set(sources) <= names:
                raise ValueError(f"workflow {definition['name']!r}: transition {transition['trigger']!r} names an unknown state")
