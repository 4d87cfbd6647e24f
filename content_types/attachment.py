"""Files attached to an item: bytes in GridFS, type detected from the bytes, SHA-256 kept."""

import mongoengine as me

from content_types.base import utcnow

# What an upload may be, by what its bytes say it is.
ATTACHMENT_TYPES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "image/png": ".png",
    "image/jpeg": ".jpg",
}


class Attachment(me.Document):
    """One uploaded file of one item; its bytes never change (removing or replacing it makes a new record)."""

    item = me.ObjectIdField(required=True)
    name = me.StringField(required=True, max_length=255)
    content_type = me.StringField(required=True, choices=tuple(ATTACHMENT_TYPES))
    size = me.IntField(required=True, min_value=1)
    sha256 = me.StringField(required=True, regex=r"^[0-9a-f]{64}$")
    file = me.FileField(collection_name="attachment_files")
    uploaded_by = me.ReferenceField("User")
    uploaded_at = me.DateTimeField(default=utcnow)
    # Set when a working copy's files are checked into its original (see cms.operations.working_copies):
    # the copy they came from, so a repeated check-in tells them apart from the original's old files.
    checked_in_from = me.ObjectIdField()

    meta = {"collection": "attachments", "indexes": ["item"], "ordering": ["uploaded_at"]}

    def shared_with(self, item_id) -> "Attachment":
        """Return an unsaved attachment of item `item_id` sharing this one's stored bytes (a copy, a translation)."""
        return Attachment(
            item=item_id,
            name=self.name,
            content_type=self.content_type,
            size=self.size,
            sha256=self.sha256,
            file=self.file,
            uploaded_by=self.uploaded_by,
        )
