"""Revisions: an immutable snapshot of an item's own fields at every save."""

import mongoengine as me

from content_types.base import Content, utcnow


class Revision(me.Document):
    """Revision `number` of the item `item`: its fields, who saved it, when, and what changed."""

    item = me.ObjectIdField(required=True)
    number = me.IntField(required=True, min_value=1)
    actor = me.ReferenceField("User")
    actor_name = me.StringField(max_length=254, default="")
    at = me.DateTimeField(default=utcnow, required=True)
    # Written by older versions: the summary in the language of whoever saved. Newer revisions keep
    # the facts (`changed`) and cms.revisions.summary_of() words them in each reader's language.
    summary = me.StringField(max_length=1000, default="")
    # The editable fields that differ from the previous revision; None on the first revision.
    changed = me.ListField(me.StringField(max_length=60), default=None, null=True)
    fields = me.DictField(default=dict)
    # Attachments are not fields: a revision that removed or replaced one names them as they were
    # (a replacement removes one and adds one).
    attachments_removed = me.ListField(me.StringField(max_length=255), default=list)
    attachments_added = me.ListField(me.StringField(max_length=255), default=list)

    meta = {
        "collection": "revisions",
        "indexes": [{"fields": ["item", "number"], "unique": True}],
        "ordering": ["number"],
    }


def snapshot_fields(item: Content) -> dict:
    """Return what a user can change of the item (its editable fields) as stored, for a snapshot.

    The workflow and bookkeeping fields have their own history.
    """
    stored = item.to_mongo().to_dict()
    fields = type(item)._fields
    return {name: stored.get(fields[name].db_field) for name in type(item).editable_fields}


def apply_snapshot(item: Content, fields: dict) -> None:
    """Set the item's editable fields from a snapshot (a revision's, or another item's), converting stored values."""
    declared = type(item)._fields
    for name, value in fields.items():
        if name in type(item).editable_fields:
            setattr(item, name, declared[name].to_python(value) if value is not None else None)
