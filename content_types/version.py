"""Published versions: what was published as v1, v2, …, with its frozen files. Never changed."""

import mongoengine as me

from content_types.base import utcnow


class VersionFile(me.EmbeddedDocument):
    """One file of a published version: the rendered document or a copy of an attachment."""

    name = me.StringField(required=True, max_length=255)
    content_type = me.StringField(required=True, max_length=120)
    size = me.IntField(required=True)
    sha256 = me.StringField(required=True, regex=r"^[0-9a-f]{64}$")
    file_id = me.ObjectIdField(required=True)  # in GridFS bucket "version_files"


class PublishedVersion(me.Document):
    """Version `number` of item `item`, frozen when it was published."""

    item = me.ObjectIdField(required=True)
    number = me.IntField(required=True, min_value=1)
    revision = me.IntField(required=True)
    published_at = me.DateTimeField(default=utcnow, required=True)
    published_by = me.ReferenceField("User")
    title = me.StringField(required=True)
    language = me.StringField(required=True)
    files = me.EmbeddedDocumentListField(VersionFile, default=list)

    meta = {
        "collection": "published_versions",
        "indexes": [{"fields": ["item", "number"], "unique": True}, {"fields": ["item", "revision"], "unique": True}],
        "ordering": ["number"],
    }
