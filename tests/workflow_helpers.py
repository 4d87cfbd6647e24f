"""Test-only helpers that put items into a given state without going through the engine."""

from content_types import Content


def force_state(item, state: str, **fields):
    """Write `state` (and raw fields) straight into the database; return the reloaded item."""
    Content._get_collection().update_one({"_id": item.pk}, {"$set": {"state": state, **fields}})
    return Content.objects.get(pk=item.pk)
