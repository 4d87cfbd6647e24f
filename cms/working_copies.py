"""Working copies (plone.app.iterate): revise a published item while its published version stays online."""

from flask_babel import gettext as _

from cms import audit, operations, versions
from cms.revisions import record_revision
from content_types import Attachment, Content, Revision
from content_types.revision import snapshot_fields
from workflows import engine
from workflows.permissions import ADD_CONTENT, VIEW
from workflows.policy import can
from workflows.signals import transition_fired

CHECKED_OUT_STATES = ("published",)


class CheckOutRefused(operations.Refused):
    """The item can't be checked out now; `status` 409 (one exists) or 422 (wrong state)."""


def check_out(user, item: Content) -> Content:
    """Create the item's working copy: a draft of the same type with the same text, owned by `user`."""
    if not can(user, VIEW, item) or not can(user, ADD_CONTENT):
        raise operations.denied(user, item, "check out")
    if item.state not in CHECKED_OUT_STATES:
        raise CheckOutRefused(422, _("Only a published item is revised through a working copy."))
    if item.working_copy:
        raise CheckOutRefused(409, _("This item already has a working copy."))
    copy = operations.new_item(user, item.type_name)
    fields = type(item)._fields
    for name, value in snapshot_fields(item).items():
        setattr(copy, name, fields[name].to_python(value) if value is not None else None)
    copy.working_copy_of = item.pk
    operations.save_new_item(user, copy)
    # One working copy at a time: claim the original with a compare-and-set.
    claimed = (
        type(item)
        ._get_collection()
        .update_one({"_id": item.pk, "state": item.state, "working_copy": None}, {"$set": {"working_copy": copy.pk}})
    )
    if claimed.modified_count != 1:
        Revision.objects(item=copy.pk).delete()
        type(copy).objects(pk=copy.pk).delete()
        raise CheckOutRefused(409, _("This item already has a working copy."))
    for attachment in Attachment.objects(item=item.pk):
        Attachment(
            item=copy.pk,
            name=attachment.name,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            file=attachment.file,
            uploaded_by=attachment.uploaded_by,
        ).save()
    audit.record("create", user, copy, f"working copy of {item.pk}")
    return copy


def check_in(copy: Content, actor) -> Content:
    """Publish a working copy's text and files as its original's next version; the copy is gone after."""
    original = Content.objects(pk=copy.working_copy_of).first()
    if original is None:
        return copy
    fields = {type(copy)._fields[name].db_field: value for name, value in snapshot_fields(copy).items()}
    fields["search_text"] = copy.search_text  # derived from the title, which changes with the text
    checked_in = engine.check_in(original, copy, fields, actor)
    # The raw delete keeps the GridFS files: the copy's records share them, and
    # earlier versions keep their own copies of the bytes anyway.
    Attachment._get_collection().delete_many({"item": original.pk})
    Attachment.objects(item=copy.pk).update(set__item=original.pk)
    record_revision(checked_in, actor)
    versions.freeze(checked_in, actor)
    Revision._get_collection().delete_many({"item": copy.pk})
    Content._get_collection().delete_one({"_id": copy.pk})
    audit.record("update", actor, checked_in, f"checked in working copy {copy.pk}")
    return checked_in


def discard(copy: Content) -> None:
    """Release the original when its working copy is deleted."""
    if copy.working_copy_of:
        Content._get_collection().update_one(
            {"_id": copy.working_copy_of, "working_copy": copy.pk}, {"$unset": {"working_copy": ""}}
        )


def _on_transition(item, transition, entry, actor, **_kwargs):
    if entry.to_state == "published" and item.working_copy_of:
        check_in(item, actor)


def init_app(app) -> None:
    """Check a working copy in as soon as the engine publishes it."""
    transition_fired.connect(_on_transition, weak=False)
