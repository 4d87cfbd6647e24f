"""The only functions that create, change or delete content; admin and API both call them."""

import mongoengine as me

from cms.security import can, roles_of
from content_types import CONTENT_TYPES, Content, LocalRole, StaleRevision
from content_types.base import field_errors
from workflows import engine
from workflows.permissions import ADD_CONTENT, ADMIN, DELETE, MODIFY


class NotAllowed(Exception):
    """The user may see the item (or the site) but not do this to it."""


class Conflict(Exception):
    """The item changed or vanished meanwhile; nothing was written."""


def new_item(user, type_name: str) -> Content:
    """Return an unsaved item of `type_name`, owned by `user`, in its workflow's initial state."""
    if not can(user, ADD_CONTENT):
        raise NotAllowed()
    item = CONTENT_TYPES[type_name]()
    item.owner = user
    engine.initialize(item)
    return item


def save_new_item(user, item: Content) -> Content:
    """Validate and insert a new item as revision 1 (raises me.ValidationError)."""
    if not can(user, ADD_CONTENT):
        raise NotAllowed()
    item.validate()
    if hasattr(item, "assign_number"):
        item.assign_number()
    item.save_revision()
    return item


def save_changes(user, item: Content, expected_revision: int) -> Content:
    """Save `item` as the revision after `expected_revision`, or raise Conflict if stale.

    The caller has copied the user's fields onto `item`; the permission is
    checked on the stored item's state, not on anything the caller set.
    """
    if not can(user, MODIFY, item):
        raise NotAllowed()
    item.validate()
    try:
        item.save_revision(expected_revision)
    except StaleRevision as error:
        raise Conflict() from error
    return item


def delete_item(user, item: Content) -> None:
    """Delete `item` if `user` may; refuse (Conflict) if it changed since it was read."""
    if not can(user, DELETE, item):
        raise NotAllowed()
    deleted = type(item).objects(pk=item.pk, revision=item.revision, state=item.state).delete()
    if not deleted:
        raise Conflict()


def share(user, item: Content, grantee, roles: list[str]) -> Content:
    """Give `grantee` exactly `roles` on `item` (an empty list removes them); return the item.

    Needs MODIFY on the item, and only roles the granter holds on it may be
    granted (CVE-2020-7938). The write is a compare-and-set on the stored
    sharing list, so two concurrent changes can't silently drop one another.
    """
    if not can(user, MODIFY, item):
        raise NotAllowed()
    held = roles_of(user, item)
    if ADMIN not in held and not set(roles) <= held:
        raise NotAllowed()
    collection = type(item)._get_collection()
    before = [entry.to_mongo().to_dict() for entry in item.local_roles]
    after = [entry for entry in before if entry["user"] != grantee.pk]
    if roles:
        after.append(LocalRole(user=grantee, roles=sorted(set(roles))).to_mongo().to_dict())
    result = collection.update_one({"_id": item.pk, "local_roles": before}, {"$set": {"local_roles": after}})
    if result.matched_count != 1:
        raise Conflict()
    return type(item).objects.get(pk=item.pk)


def validation_messages(error: me.ValidationError) -> dict:
    """Return {field: message} for a mongoengine ValidationError."""
    return field_errors(error)
