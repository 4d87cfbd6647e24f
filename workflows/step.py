"""The one object conditions, effects and follow-ups receive, as `transitions` passes EventData."""

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

    @property
    def trigger(self) -> str:
        """Return the transition's trigger name."""
        return self.transition["trigger"]

    @property
    def source(self) -> str:
        """Return the state the item leaves."""
        return self.item.state

    @property
    def dest(self) -> str:
        """Return the state the item arrives in."""
        return self.transition["dest"]
