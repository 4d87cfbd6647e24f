"""Writing the audit log: from the engine's signals, logins and refusals."""

from flask import has_request_context, request

from content_types import Content
from content_types.audit import AuditEntry
from workflows.signals import transition_fired, transition_refused


def record(action: str, actor=None, item: Content | None = None, detail: str = "", email: str = "") -> None:
    """Append one entry to the audit log (never raises into the caller's work)."""
    actor_ok = actor is not None and getattr(actor, "is_authenticated", False) and getattr(actor, "pk", None)
    AuditEntry(
        action=action,
        actor=actor if actor_ok else None,
        actor_email=(getattr(actor, "email", "") if actor_ok else email)[:254],
        item_id=item.pk if item is not None else None,
        item_type=item.type_name if item is not None else "",
        item_title=(item.title or "")[:300] if item is not None else "",
        detail=detail[:1000],
        address=(request.remote_addr or "")[:64] if has_request_context() else "",
    ).save()


def _on_transition(item, transition, entry, actor, **_):
    record(
        "transition",
        actor,
        item,
        f"{entry.transition}: {entry.from_state} → {entry.to_state}" + (f" ({entry.comment})" if entry.comment else ""),
    )


def _on_refusal(item, trigger, actor, **_):
    record("permission_denied", actor, item, f"transition {str(trigger)[:60]}")


def init_app(app) -> None:
    """Subscribe to the engine's signals."""
    transition_fired.connect(_on_transition, weak=False)
    transition_refused.connect(_on_refusal, weak=False)
