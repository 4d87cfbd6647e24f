"""The one object conditions, effects and follow-ups receive, as `transitions` passes EventData."""

from collections.abc import Callable
from dataclasses import dataclass

from content_types import Content


@dataclass
class Step:
    """One transition being fired: on which item, which definition, by whom, with which inputs."""

    item: Content
    transition: dict
    actor: object
    # What the transition's needs read from the request (workflows.needs).
    inputs: dict
    # For follow-ups: fire(item, trigger, inputs) as a consequence of this step (no guard: this step was allowed).
    follow: Callable | None = None

    @property
    def trigger(self) -> str:
        """Return the transition's trigger name."""
        return self.transition["trigger"]

    @property
    def dest(self) -> str:
        """Return the state the item arrives in."""
        return self.transition["dest"]
