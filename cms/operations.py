"""The only functions that create, change or delete content; admin and API both call them."""

import hashlib

import mongoengine as me
from flask_babel import lazy_gettext as _l

from cms import audit, edit_lock
from cms.revisions import record_revision, restore_fields
from cms.security import can, roles_of
from cms.uploads import clean_name, detect_type, name_with_extension, read_limited
from content_types import CONTENT_TYPES, Content, LocalRole, StaleRevision
from content_types.attachment import Attachment
from content_types.base import field_errors
from content_types.revision import Revision
from workflows import engine
from workflows.permissions import ADD_CONTENT, ADMIN, DELETE, MODIFY


class NotAllowed(Exception):
    """The user may see the item (or the site) but not do this to it."""


def denied(user, item, what: str) -> NotAllowed:
    """Record a refusal in the audit log and return the exception to raise."""
    audit.record("permission_denied", user, item, what)
    return NotAllowed(what)


def require(user, permission: str, item: Content | None = None) -> None:
    """Raise NotAllowed (and log it) unless `user` holds `permission` on `item`."""
    if not can(user, permission, item):
        raise denied(user, item, permission)


class Refused(Exception):
    """The action can't be done now: `status` 409 (it exists or clashes) or 422 (not possible), with a message."""

    def __init__(self, status: int, message: str, details: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details or {}


class Conflict(Exception):
    """The item changed or vanished meanwhile; nothing was written."""


def new_item(user, type_name: str) -> Content:
    """Return an unsaved item of `type_name`, owned by `user`, in its workflow's initial state."""
    if not can(user, ADD_CONTENT):
        raise denied(user, None, f"create {type_name}")
    item = CONTENT_TYPES[type_name]()
    item.owner = user
    engine.initialize(item)
    return item


def save_new_item(user, item: Content) -> Content:
    """Validate and insert a new item as revision 1 (raises me.ValidationError)."""
    if not can(user, ADD_CONTENT):
        raise denied(user, None, f"create {item.type_name}")
    item.validate()
    if hasattr(item, "assign_number"):
        item.assign_number()
    item.save_revision()
    record_revision(item, user)
    audit.record("create", user, item)
    return item


def save_changes(user, item: Content, expected_revision: int) -> Content:
    """Save `item` as the revision after `expected_revision`, or raise Conflict if stale.

    The caller has copied the user's fields onto `item`; the permission is
    checked on the stored item's state, not on anything the caller set.
    """
    if not can(user, MODIFY, item):
        raise denied(user, item, "modify")
    item.validate()
    try:
        item.save_revision(expected_revision)
    except StaleRevision as error:
        raise Conflict() from error
    record_revision(item, user)
    edit_lock.release(user, item)
    audit.record("update", user, item, f"revision {item.revision}")
    return item


def restore_revision(user, item: Content, number: int) -> Content:
    """Save the fields of revision `number` as the item's next revision; raise LookupError if there is none."""
    revision = Revision.objects(item=item.pk, number=number).first()
    if revision is None:
        raise LookupError(number)
    require(user, MODIFY, item)
    expected = item.revision
    restore_fields(item, revision)
    return save_changes(user, item, expected)


def delete_item(user, item: Content) -> None:
    """Delete `item` if `user` may; refuse (Conflict) if it changed since it was read."""
    if not can(user, DELETE, item):
        raise denied(user, item, "delete")
    deleted = type(item).objects(pk=item.pk, revision=item.revision, state=item.state).delete()
    if not deleted:
        raise Conflict()
    if item.working_copy_of:
        Content._get_collection().update_one(
            {"_id": item.working_copy_of, "working_copy": item.pk}, {"$unset": {"working_copy": ""}}
        )
    audit.record("delete", user, item)


def share(user, item: Content, grantee, roles: list[str]) -> Content:
    """Give `grantee` exactly `roles` on `item` (an empty list removes them); return the item.

    Needs MODIFY on the item, and only roles the granter holds on it may be
    granted (CVE-2020-7938). The write is a compare-and-set on the stored
    sharing list, so two concurrent changes can't silently drop one another.
    """
    if not can(user, MODIFY, item):
        raise denied(user, item, "share")
    held = roles_of(user, item)
    if ADMIN not in held and not set(roles) <= held:
        raise denied(user, item, "share: roles not held")
    collection = type(item)._get_collection()
    before = [entry.to_mongo().to_dict() for entry in item.local_roles]
    after = [entry for entry in before if entry["user"] != grantee.pk]
    if roles:
        after.append(LocalRole(user=grantee, roles=sorted(set(roles))).to_mongo().to_dict())
    result = collection.update_one({"_id": item.pk, "local_roles": before}, {"$set": {"local_roles": after}})
    if result.matched_count != 1:
        raise Conflict()
    audit.record("share", user, item, f"{grantee.email}: {', '.join(sorted(set(roles))) or '-'}")
    return type(item).objects.get(pk=item.pk)


def add_attachment(user, item: Content, stream, filename, limit: int) -> Attachment:
    """Check and store an upload for `item`; raise UploadRefused or NotAllowed.

    The bytes go to GridFS first and the record second, so a crash in between
    leaves at most an unreferenced file, never a record pointing at nothing.
    """
    require(user, MODIFY, item)
    name = clean_name(filename)
    data = read_limited(stream, limit)
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
    audit.record("update", user, item, f"attachment {attachment.name}")
    return attachment


# mongoengine's own messages are English; these say the same in the reader's
# language (matched by their start, since some end with the offending value).
# Our own validation messages are translated where they are raised.
ENGINE_MESSAGES = (
    ("Field is required", _l("This field is required.")),
    ("String value is too long", _l("This is too long.")),
    ("String value is too short", _l("This is too short.")),
    ("String value did not match validation regex", _l("This is not in the expected format.")),
    ("StringField only accepts string values", _l("This must be text.")),
    ("Value must be one of", _l("This is not one of the allowed values.")),
    ("Integer value is too", _l("This number is out of the allowed range.")),
    ("Float value is too", _l("This number is out of the allowed range.")),
    ("List is too long", _l("This list has too many entries.")),
    ("Only lists and tuples", _l("This must be a list.")),
    ("could not be converted to int", _l("This must be a whole number.")),
    ("Invalid ObjectID", _l("This is not a valid reference.")),
    ("A ReferenceField only accepts", _l("This is not a valid reference.")),
    ("BooleanField only accepts", _l("This must be true or false.")),
    ("cannot parse date", _l("This is not a valid date.")),
    ("Invalid email address", _l("This is not a valid e-mail address.")),
)


def validation_messages(error: me.ValidationError) -> dict:
    """Return {field: message} for a mongoengine ValidationError, in the reader's language."""
    return {field: _readable(message) for field, message in field_errors(error).items()}


def _readable(message: str) -> str:
    for start, readable in ENGINE_MESSAGES:
        if message.startswith(start) or (start[0].islower() and start in message):
            return str(readable)
    return message
