"""What firing a transition can end in, besides success."""


class WorkflowError(Exception):
    """Base of the engine's refusals; `message` is shown to the user."""

    def __init__(self, message: str = "", details: dict | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}


class TransitionNotAllowed(WorkflowError):
    """The user may not fire this transition on this item (API 403)."""


class TransitionNotPossible(WorkflowError):
    """Not a transition out of the current state, or a condition is unmet (API 422)."""


class TransitionConflict(WorkflowError):
    """Someone changed the item or fired a transition first (API 409)."""
