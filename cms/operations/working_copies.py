"""Working copies (plone.app.iterate): revise a released item while its published version stays online."""

from flask_babel import gettext as _

from cms import audit
from cms.operations import attachments, refuse_unless
from cms.operations.content import create_item, new_item
from cms.revisions import record_revision
from cms.security import can
from content_types import Attachment, Content, Revision
from content_types.refusals import Conflict, NotPossible
from content_types.revision import apply_snapshot, snapshot_fields
from workflows import engine, has_flag
from workflows.permissions import ADD_CONTENT, VIEW


def may_check_out(user, item: Content) -> bool:
    """Whether `user` may start a working copy of the item now (a versioned item without one)."""
    return (
        has_flag(item.type_name, item.state, "versioned")
        and not item.working_copy
        and can(user, VIEW, item)
        and can(user, ADD_CONTENT)
    )


def check_out(user, item: Content) -> Content:
    """Create the item's working copy: a draft of the same type with the same text and files, owned by `user`."""
    if not has_flag(item.type_name, item.state, "versioned"):
        raise NotPossible(_("Only a published item is revised through a working copy."))
    if item.working_copy:
        raise Conflict(_("This item already has a working copy."))
    refuse_unless(may_check_out(user, item), user, item, "check_out")
    copy = new_item(user, item.type_name)
    apply_snapshot(copy, snapshot_fields(item))
    copy.working_copy_of = item.pk
    create_item(user, copy, "working_copy_made", source=item.title)
    # One working copy at a time: claim the original with a compare-and-set.
    claimed = (
        type(item)
        ._get_collection()
        .update_one({"_id": item.pk, "state": item.state, "working_copy": None}, {"$set": {"working_copy": copy.pk}})
    )
    if claimed.modified_count != 1:
        Revision.objects(item=copy.pk).delete()
        type(copy).objects(pk=copy.pk).delete()
        raise Conflict(_("This item already has a working copy."))
    for attachment in Attachment.objects(item=item.pk):
        attachment.shared_with(copy.pk).save()
    return copy


def check_in(copy: Content, actor) -> Content | None:
    """Give a published working copy's text and files to its original as its next revision; the copy goes.

    Return the original (its new version still to be frozen), or None if it
    is gone. Safe to run again after a crash part-way: a copy whose original
    no longer points at it was checked in already, and only the rest is done.
    """
    original = Content.objects(pk=copy.working_copy_of).first()
    if original is None:
        return None
    if original.working_copy == copy.pk:
        fields = {type(copy)._fields[name].db_field: value for name, value in snapshot_fields(copy).items()}
        fields["search_text"] = copy.search_text  # derived from the title, which changes with the text
        original = engine.check_in(original, copy, fields, actor)
        audit.record("update", actor, original, "working_copy_checked_in")
    # The copy's files become the original's, marked with where they came from; then the original's
    # other files go (those the copy removed or replaced, or all of them if it kept none). Repeated
    # after a crash, the marked files stay and only what is left of the rest goes.
    Attachment.objects(item=copy.pk).update(set__item=original.pk, set__checked_in_from=copy.pk)
    for replaced in Attachment.objects(item=original.pk, checked_in_from__ne=copy.pk):
        # Earlier versions keep their own copies of the bytes; a file the copy kept is shared and stays.
        Attachment._get_collection().delete_one({"_id": replaced.pk})
        attachments.delete_unshared_file(replaced)
    record_revision(original, actor)
    Revision._get_collection().delete_many({"item": copy.pk})
    Content._get_collection().delete_one({"_id": copy.pk})
    return original
