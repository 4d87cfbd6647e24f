"""The only code that writes an item's `state`."""

from content_types import Content
from workflows import workflow_for


def initialize(item: Content) -> Content:
    """Put a new, unsaved item into its workflow's initial state; refuse a stored one."""
    if item.pk is not None:
        raise ValueError("only a new item enters its workflow's initial state")
    item.state = workflow_for(item.type_name)["initial"]
    return item
