"""Revisions: an immutable snapshot of an item's own fields at every save."""

import mongoengine as me

from content_types.base import SYSTEM_FIELDS, Content, utcnow

# Snapshot everything a user can change; the workflow and bookkeeping fields
# have their own history.
SNAPSHOT_EXCLUDED = set(SYSTEM_FIELDS) | {"_cls", "number"}


class Revision(me.Document):
    """Revision `number` of the item `item`: its fields, who saved it, when, and what changed."""

    item = me.ObjectIdField(required=True)
    number = me.IntField(required=True, min_value=1)
    actor = me.ReferenceField("User")
    actor_name = me.StringField(max_length=254, default="")
    at = me.DateTimeField(default=utcnow, required=True)
    summary = me.StringField(max_length=1000, default="")
    fields = me.DictField(default=dict)

    meta = {
        "collection": "revisions",
        "indexes": [{"fields": ["item", "number"], "unique": True}],
        "ordering": ["number"],
    }


def snapshot_fields(item: Content) -> dict:
    """Return the item's own fields as stored (MongoDB values), for a snapshot."""
    stored = item.to_mongo().to_dict()
    return {
        name: stored.get(field.db_field) for name, field in type(item)._fields.items() if name not in SNAPSHOT_EXCLUDED
    }
