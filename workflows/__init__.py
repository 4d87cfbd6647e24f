"""What can HAPPEN: workflow definitions as data, and which content type follows which."""

from workflows import meeting_approval, meeting_lifecycle, secretariat_review

REGISTRY = {
    definition["name"]: definition
    for definition in (meeting_approval.WORKFLOW, secretariat_review.WORKFLOW, meeting_lifecycle.WORKFLOW)
}

# Plone's workflow chains: content type -> workflow name.
WORKFLOW_FOR_TYPE = {
    "concept": "meeting_approval",
    "work_plan": "meeting_approval",
    "mou": "meeting_approval",
    "declaration": "meeting_approval",
    "circular": "secretariat_review",
    "news": "secretariat_review",
    "meeting": "meeting_lifecycle",
}

# Types of which only one item per language is in force: publishing the next
# archives the earlier (a new work plan replaces last year's).
REPLACED_ON_PUBLISH = {"work_plan"}


def workflow_for(type_name: str) -> dict:
    """Return the workflow definition the content type `type_name` follows."""
    return REGISTRY[WORKFLOW_FOR_TYPE[type_name]]


def state_definition(type_name: str, state: str) -> dict | None:
    """Return the definition of `state` in the type's workflow, or None if it has no such state."""
    for candidate in workflow_for(type_name)["states"]:
        if candidate["name"] == state:
            return candidate
    return None


def transitions_from(type_name: str, state: str) -> list[dict]:
    """Return the transition definitions leaving `state` in the type's workflow."""
    return [transition for transition in workflow_for(type_name)["transitions"] if state in sources_of(transition)]


def sources_of(transition: dict) -> list[str]:
    """Return the states a transition leaves from (its source may be one name or a list)."""
    source = transition["source"]
    return list(source) if isinstance(source, (list, tuple)) else [source]


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
            sources = sources_of(transition)
            if transition["dest"] not in names or not set(sources) <= names:
                raise ValueError(
                    f"workflow {definition['name']!r}: transition {transition['trigger']!r} names an unknown state"
                )
            if not transition.get("guard"):
                raise ValueError(f"workflow {definition['name']!r}: transition {transition['trigger']!r} has no guard")
            for name in transition.get("conditions", ()):
                if name not in conditions.CONDITIONS:
                    raise ValueError(f"workflow {definition['name']!r}: unknown condition {name!r}")
            for name in (*transition.get("effects", ()), *transition.get("after", ())):
                if name not in effects.EFFECTS and name not in effects.AFTER:
                    raise ValueError(f"workflow {definition['name']!r}: unknown effect {name!r}")


# Imported last: the condition and effect registries import this package's helpers.
from workflows import conditions, effects  # noqa: E402
