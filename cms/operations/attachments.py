"""Attachments: files checked by their bytes and stored in GridFS with their SHA-256; removed or replaced on drafts.

Published versions keep copies of their files in a bucket of their own
(cms.versions), so removing an attachment never touches what was published.
An attachment's GridFS file can be shared by several records (a working copy's,
a translation's carried-over files), so it is deleted only with its last record.
"""

import hashlib

from bson import ObjectId
from flask_babel import gettext as _

from cms import audit
from cms.operations import locks, refuse_unless
from cms.revisions import record_revision
from cms.security import can
from cms.uploads import clean_name, detect_type, name_with_extension, read_limited
from content_types import Attachment, Content
from content_types.base import StaleRevision, utcnow
from content_types.refusals import Conflict, NotAllowed, NotFound, NotPossible
from workflows import state_title
from workflows.permissions import DOWNLOAD, MODIFY


def may_attach(user, item: Content) -> bool:
    """Whether `user` may add files to the item in its current state."""
    return can(user, MODIFY, item)


def may_change_attachments(user, item: Content) -> bool:
    """Whether `user` may remove or replace the item's files in its current state (while it may be modified)."""
    return can(user, MODIFY, item)


def _checked_upload(upload, limit: int) -> tuple[str, str, bytes]:
    # Every check before anything is stored or changed: (name, content type, bytes).
    if upload is None:
        raise NotPossible(_("Choose a file first."), code="missing_file")
    name = clean_name(upload.filename)
    data = read_limited(upload.stream, limit)
    content_type = detect_type(data)
    return name_with_extension(name, content_type), content_type, data


def _put(item: Content, user, name: str, content_type: str, data: bytes) -> Attachment:
    return _put_for(item.pk, user, name, content_type, data)


def _put_for(item_id, user, name: str, content_type: str, data: bytes) -> Attachment:
    # The bytes go to GridFS here and the record is saved by the caller afterwards,
    # so a crash in between leaves at most an unreferenced file, never a record pointing at nothing.
    attachment = Attachment(
        item=item_id,
        name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user,
    )
    attachment.file.put(data, content_type=content_type, filename=attachment.sha256)
    return attachment


def add_attachment(user, item: Content, upload, limit: int) -> Attachment:
    """Check and store an upload (a werkzeug FileStorage, or None) for `item`; refuse bad files."""
    refuse_unless(may_attach(user, item), user, item, "attach")
    attachment = _put(item, user, *_checked_upload(upload, limit))
    attachment.save()
    audit.record("update", user, item, "attachment_added", name=attachment.name)
    return attachment


def store_for_step(user, item: Content, upload, limit: int) -> Attachment:
    """Check and store an upload that a process step rests on (a signed letter); the caller asked can() for the step."""
    attachment = _put(item, user, *_checked_upload(upload, limit))
    attachment.save()
    return attachment


def check_upload(upload, limit: int) -> tuple[str, str, bytes]:
    """Return (name, content type, bytes) of an upload that passes every check, or raise its refusal; stores nothing."""
    return _checked_upload(upload, limit)


def store_checked(user, item: Content, checked: tuple[str, str, bytes]) -> Attachment:
    """Store an upload that check_upload() passed as `item`'s attachment, audited; the caller asked can() for it."""
    attachment = _put(item, user, *checked)
    attachment.save()
    audit.record("update", user, item, "attachment_added", name=attachment.name)
    return attachment


def store_awaiting_item(item_id, checked: tuple[str, str, bytes]) -> Attachment:
    """Store an upload that check_upload() passed for the item that will be stored as `item_id` (not audited).

    A public membership application's documents wait under the id its
    application gets once confirmed; until then no item, and so no download
    view, reaches them.
    """
    attachment = _put_for(item_id, None, *checked)
    attachment.save()
    return attachment


def store_generated(user, item: Content, name: str, content_type: str, data: bytes) -> Attachment:
    """Store a file the CMS wrote for `item` (a notification letter); the caller asked can() for the step."""
    attachment = _put(item, user, name, content_type, data)
    attachment.save()
    return attachment


def discard(attachment: Attachment) -> None:
    """Remove a file stored for a step that did not happen (refused or lost a race), record and bytes."""
    _discard(attachment)


def _refuse_unless_changeable(user, item: Content, what: str) -> None:
    try:
        refuse_unless(may_change_attachments(user, item), user, item, what)
    except NotAllowed:
        # Say why in this case: the state, not the person, is what stops them (a submitted item's files stay).
        raise NotAllowed(
            _(
                "This item is “%(state)s” now and you may not change it: its attachments can be removed or "
                "replaced only while you may modify it.",
                state=state_title(item.type_name, item.state),
            )
        ) from None
    if locks.held_by_other(user, item):
        # Their form would turn stale under them: the change waits until they saved (or the lock ran out).
        holder, since = locks.lock_holder(item)
        raise Conflict(
            _("Being edited by %(user)s since %(since)s UTC.", user=holder.email, since=since.strftime("%H:%M")),
            code="locked",
        )


def attachment_of(item: Content, attachment_id) -> Attachment:
    """Return the item's attachment `attachment_id`; NotFound for a malformed id or another item's file."""
    found = (
        Attachment.objects(pk=attachment_id, item=item.pk).first()
        if isinstance(attachment_id, str) and ObjectId.is_valid(attachment_id)
        else None
    )
    if found is None:
        raise NotFound(_("This item has no such attachment."), code="no_such_attachment")
    return found


def _next_revision(item: Content) -> None:
    # A compare-and-set on the revision and the state the permission was checked in: a save or a
    # transition meanwhile (the item submitted, published) refuses the change before anything else is written.
    now = utcnow()
    written = (
        type(item)
        ._get_collection()
        .update_one(
            {"_id": item.pk, "revision": item.revision, "state": item.state},
            {"$set": {"revision": item.revision + 1, "modified": now}},
        )
    )
    if written.modified_count != 1:
        raise StaleRevision({"revision": item.revision})
    item.revision, item.modified = item.revision + 1, now


def delete_unshared_file(attachment: Attachment) -> None:
    """Delete the attachment's GridFS file unless another attachment record still uses it."""
    file_id = attachment.file.grid_id
    if file_id is None:
        return
    if Attachment._get_collection().count_documents({"file": file_id, "_id": {"$ne": attachment.pk}}, limit=1):
        return
    attachment.file.delete()


def _discard(attachment: Attachment) -> None:
    # Record first, then bytes: a crash in between leaves an unreferenced file, never a record without one.
    Attachment._get_collection().delete_one({"_id": attachment.pk})
    delete_unshared_file(attachment)


def remove_attachment(user, item: Content, attachment_id) -> Attachment:
    """Remove one of the item's attachments as the item's next revision and return it (no longer stored).

    Published versions keep their own copies of the bytes.
    """
    _refuse_unless_changeable(user, item, "remove_attachment")
    attachment = attachment_of(item, attachment_id)
    _next_revision(item)
    record_revision(item, user, removed=(attachment.name,))
    _discard(attachment)
    audit.record("update", user, item, "attachment_removed", name=attachment.name, revision=item.revision)
    return attachment


def replace_attachment(user, item: Content, attachment_id, upload, limit: int) -> tuple[Attachment, Attachment]:
    """Put a checked upload in place of one of the item's attachments, as the item's next revision.

    Return (the replaced attachment, no longer stored; the new one).
    """
    _refuse_unless_changeable(user, item, "replace_attachment")
    old = attachment_of(item, attachment_id)
    new = _put(item, user, *_checked_upload(upload, limit))
    try:
        _next_revision(item)
    except StaleRevision:
        new.file.delete()  # nothing else was written
        raise
    new.save()
    record_revision(item, user, removed=(old.name,), added=(new.name,))
    _discard(old)
    audit.record("update", user, item, "attachment_replaced", old=old.name, new=new.name, revision=item.revision)
    return old, new


def may_carry_over(user, source: Content) -> bool:
    """Whether `user` may copy the attachments of `source` into a translation (they may download them)."""
    return can(user, DOWNLOAD, source)


def chosen_for_carrying(user, source: Content, attachment_ids) -> list[Attachment]:
    """Return the attachments of `source` named by `attachment_ids`, checked before a translation is made.

    An id that is not an attachment of `source` is refused (NotFound), so nothing is created.
    """
    chosen = [attachment_of(source, attachment_id) for attachment_id in dict.fromkeys(attachment_ids)]
    if chosen:
        refuse_unless(may_carry_over(user, source), user, source, "carry_attachments")
    return chosen


def carry_over(user, chosen: list[Attachment], target: Content) -> list[Attachment]:
    """Give `target` (a new translation) the `chosen` attachments of its source, sharing their bytes."""
    if chosen:
        refuse_unless(may_attach(user, target), user, target, "attach")
    carried = []
    for attachment in chosen:
        carried.append(attachment.shared_with(target.pk).save())
    if carried:
        names = [attachment.name for attachment in carried]
        audit.record("update", user, target, "attachments_carried_over", names=names)
    return carried
