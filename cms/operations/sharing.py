"""Sharing: roles one user holds on one item only (Plone's sharing tab)."""

from flask_babel import gettext as _

from cms import audit
from cms.operations import refuse_unless
from cms.security import can, roles_of
from content_types import Content, LocalRole
from content_types.base import local_role_keys
from content_types.refusals import Conflict
from content_types.validation import Invalid
from workflows.permissions import ADMIN, LOCAL_ROLES, MODIFY


def may_share(user, item: Content) -> bool:
    """Whether `user` may change who holds local roles on the item."""
    return can(user, MODIFY, item)


def share(user, item: Content, grantee, roles: list[str]) -> Content:
    """Give `grantee` exactly `roles` on `item` (an empty list removes them); return the item.

    Only roles the granter holds on it may be granted (CVE-2020-7938). The
    write is a compare-and-set on the stored sharing list, so two concurrent
    changes can't silently drop one another.
    """
    refuse_unless(may_share(user, item), user, item, "share")
    if not isinstance(roles, list) or not all(role in LOCAL_ROLES for role in roles):
        raise Invalid({"roles": _("must be a list of: %(roles)s", roles=", ".join(LOCAL_ROLES))})
    held = roles_of(user, item)
    refuse_unless(ADMIN in held or set(roles) <= held, user, item, "share_roles_not_held")
    collection = type(item)._get_collection()
    # The stored list, read raw: `item.local_roles` would load every user in it.
    before = [entry.to_mongo().to_dict() for entry in item._data.get("local_roles") or ()]
    after = [entry for entry in before if entry["user"] != grantee.pk]
    if roles:
        after.append(LocalRole(user=grantee, roles=sorted(set(roles))).to_mongo().to_dict())
    result = collection.update_one(
        {"_id": item.pk, "local_roles": before},
        {"$set": {"local_roles": after, "local_role_keys": local_role_keys(after)}},
    )
    if result.matched_count != 1:
        raise Conflict(_("The sharing changed meanwhile; reload and try again."))
    audit.record("share", user, item, "shared", account=grantee.email, roles=sorted(set(roles)))
    return type(item).objects.get(pk=item.pk)
