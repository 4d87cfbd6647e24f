"""Attachments: files checked by their bytes and stored in GridFS with their SHA-256."""

import hashlib

from flask_babel import gettext as _

from cms import audit
from cms.operations import refuse_unless
from cms.security import can
from cms.uploads import clean_name, detect_type, name_with_extension, read_limited
from content_types import Attachment, Content
from content_types.refusals import NotPossible
from workflows.permissions import MODIFY


def may_attach(user, item: Content) -> bool:
    """Whether `user` may add files to the item in its current state."""
    return can(user, MODIFY, item)


def add_attachment(user, item: Content, upload, limit: int) -> Attachment:
    """Check and store an upload (a werkzeug FileStorage, or None) for `item`; refuse bad files.

    The bytes go to GridFS first and the record second, so a crash in between
    leaves at most an unreferenced file, never a record pointing at nothing.
    """
    refuse_unless(may_attach(user, item), user, item, "attach")
    if upload is None:
        raise NotPossible(_("Choose a file first."), code="missing_file")
    name = clean_name(upload.filename)
    data = read_limited(upload.stream, limit)
    content_type = detect_type(data)
    attachment = Attachment(
        item=item.pk,
        name=name_with_extension(name, content_type),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user,
    )
    attachment.file.put(data, content_type=content_type, filename=attachment.sha256)
    attachment.save()
    audit.record("update", user, item, "attachment_added", name=attachment.name)
    return attachment
