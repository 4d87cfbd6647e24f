"""Writing the audit log: from the engine's signals, logins and refusals."""

from flask import has_request_context, request

from content_types import Content
from content_types.audit import AuditEntry
from workflows.signals import transition_fired, transition_refused


def record(action: str, actor=None, item: Content | None = None, event: str = "", email: str = "", **facts) -> None:
    """Append one entry to the audit log: the `event` and its `facts` (strings, numbers, lists of strings)."""
    actor_ok = actor is not None and getattr(actor, "is_authenticated", False) and getattr(actor, "pk", None)
    AuditEntry(
        action=action,
        actor=actor if actor_ok else None,
        actor_email=(getattr(actor, "email", "") if actor_ok else email)[:254],
        item_id=item.pk if item is not None else None,
        item_type=item.type_name if item is not None else "",
        item_title=(item.title or "")[:300] if item is not None else "",
        event=event,
        facts={name: _fact(value) for name, value in facts.items() if value not in (None, "")},
        address=(request.remote_addr or "")[:64] if has_request_context() else "",
    ).save()


def _fact(value):
    # Bounded: a fact may come from a request (a comment, a reason).
    if isinstance(value, list | tuple | set):
        return [str(entry)[:254] for entry in list(value)[:50]]
    return value if isinstance(value, int) else str(value)[:1000]


def _on_transition(item, transition, entry, actor, **_):
    record(
        "transition",
        actor,
        item,
        "transition",
        step=entry.transition,
        state_before=entry.from_state,
        state_after=entry.to_state,
        comment=entry.comment,
    )


def _on_refusal(item, trigger, actor, **_):
    record("permission_denied", actor, item, "refused", what="transition", step=str(trigger)[:60])


def init_app(app) -> None:
    """Subscribe to the engine's signals."""
    transition_fired.connect(_on_transition, weak=False)
    transition_refused.connect(_on_refusal, weak=False)
