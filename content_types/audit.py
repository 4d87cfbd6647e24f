"""The site-wide audit log: who did what to which item, logins, refusals. Append-only."""

import mongoengine as me

from content_types.base import utcnow

AUDIT_ACTIONS = (
    "login",
    "login_failed",
    "logout",
    "permission_denied",
    "transition",
    "create",
    "update",
    "delete",
    "share",
)


class AuditEntry(me.Document):
    """One event; written once, never updated (no interface offers to)."""

    at = me.DateTimeField(default=utcnow, required=True)
    action = me.StringField(required=True, choices=AUDIT_ACTIONS)
    actor = me.ReferenceField("User")
    actor_email = me.StringField(max_length=254, default="")
    item_id = me.ObjectIdField()
    item_type = me.StringField(max_length=40, default="")
    item_title = me.StringField(max_length=300, default="")
    # What happened, as facts worded at read time in the reader's language (cms/audit_texts.py).
    event = me.StringField(max_length=40, default="")
    facts = me.DictField()
    # Entries written before events existed: a text in the writer's language, shown as it is.
    detail = me.StringField(max_length=1000, default="")
    address = me.StringField(max_length=64, default="")

    meta = {"collection": "audit_log", "indexes": ["-at", "action", "actor", "item_id"], "ordering": ["-at"]}
