"""Creating, editing, restoring and deleting content items."""

from flask_babel import format_date
from flask_babel import gettext as _

from cms import audit
from cms.operations import locks, refuse_unless
from cms.revisions import record_revision
from cms.security import can
from content_types import Content, Revision
from content_types.base import reference_id
from content_types.refusals import Conflict, NotFound
from content_types.revision import apply_snapshot
from content_types.validation import Invalid, validate
from workflows import engine, state_title, states_left_by
from workflows.permissions import ADD_CONTENT, DELETE, FILE_FOR_OWN_CITY, MODIFY
from workflows.types import TYPES


def may_create(user, type_name: str | None = None) -> bool:
    """Whether `user` may add content items (of `type_name`: representatives file some types for their city)."""
    if can(user, ADD_CONTENT):
        return True
    registered = TYPES.get(type_name) if type_name else None
    return bool(registered and registered.filed_by_representatives and can(user, FILE_FOR_OWN_CITY))


def may_file_for(user, item: Content) -> bool:
    """Whether `user` may file `item` for the city it names: staff for any, a representative for their own only."""
    if can(user, ADD_CONTENT):
        return True
    own = getattr(user, "city_id", None)
    cities = {reference_id(item._data.get(name)) for name in type(item).filing_city_fields}
    return may_create(user, item.type_name) and own is not None and own in cities


def new_item(user, type_name: str) -> Content:
    """Return an unsaved item of `type_name`, owned by `user`, in its workflow's initial state."""
    refuse_unless(may_create(user, type_name), user, None, "create", type_name=type_name)
    item = TYPES[type_name].cls()
    item.owner = user
    engine.initialize(item)
    return item


def create_item(user, item: Content, event: str = "item_created", **facts) -> Content:
    """Validate and insert a new item as revision 1 (raises Invalid, Conflict); `event` says where it came from."""
    refuse_unless(may_file_for(user, item), user, None, "create", type_name=item.type_name)
    validate(item)
    _refuse_a_second_open(item)
    if hasattr(item, "assign_number"):
        item.assign_number()
    item.save_revision()
    _refuse_a_racing_second_open(item)
    record_revision(item, user)
    audit.record("create", user, item, event, **facts)
    return item


def open_item_for_city(type_name: str, city_id) -> Content | None:
    """Return the city's item of `type_name` still in a state that a step leaves (an open request), if any."""
    open_states = states_left_by(type_name, lambda transition: True)
    return TYPES[type_name].cls.objects(city=city_id, state__in=open_states).order_by("created").first()


def _refuse_a_second_open(item: Content) -> None:
    # One open request per city (a withdrawal): a second letter belongs to the first, as its attachment.
    # Checked before the insert, not by an index: two filings at the same moment could both pass.
    if not TYPES[item.type_name].one_open_per_city:
        return
    existing = open_item_for_city(item.type_name, reference_id(item._data.get("city")))
    if existing is not None:
        raise Conflict(
            _(
                "This city already has an open request of this kind (“%(state)s”, since %(date)s); a second one "
                "is not filed. The secretariat adds further letters to the open one.",
                state=state_title(item.type_name, existing.state),
                date=format_date(existing.created),
            ),
            {"existing": str(existing.pk)},
            code="already_open",
        )


def _refuse_a_racing_second_open(item: Content) -> None:
    # The check before the insert can't see a request filed at the same moment, and the embedded engine
    # has no partial unique index to do it. So, once inserted, look again: if the city now has another
    # open request, this one withdraws itself (of two racing filings both may, and both are told to try
    # again — never are two kept).
    if not TYPES[item.type_name].one_open_per_city:
        return
    city = reference_id(item._data.get("city"))
    open_states = states_left_by(item.type_name, lambda transition: True)
    others = TYPES[item.type_name].cls.objects(city=city, state__in=open_states, pk__ne=item.pk).only("id").first()
    if others is None:
        return
    item.delete()  # inserted a moment ago, before its revision record or audit entry: nothing else to undo
    raise Conflict(_("Another request of this kind was filed at the same moment; try again."), code="already_open")


def may_edit(user, item: Content) -> bool:
    """Whether `user` may change the item's fields in its current state."""
    return can(user, MODIFY, item)


def save_changes(user, item: Content, expected_revision, changes: dict | None = None) -> Content:
    """Set `changes` (editable fields only) and save `item` as the revision after `expected_revision`.

    Raises NotAllowed, Invalid, or StaleRevision if someone saved since. A
    caller that set the fields itself (a form) passes no changes; the
    permission is checked on the stored item's state either way, before
    anything is written.
    """
    refuse_unless(may_edit(user, item), user, item, "modify")
    if not _is_revision_number(expected_revision):
        message = _("Send the revision you edited as a whole number.")
        raise Invalid({"revision": message}, message, code="revision_required")
    for name, value in (changes or {}).items():
        if name not in type(item).editable_fields:
            raise ValueError(f"{name!r} is not an editable field of {item.type_name}")
        setattr(item, name, value)
    # A representative's own draft stays filed for their own city: moving it to another is refused.
    if TYPES[item.type_name].filed_by_representatives:
        refuse_unless(may_file_for(user, item), user, item, "modify")
    validate(item)
    item.save_revision(expected_revision)
    record_revision(item, user)
    locks.release_lock(user, item)
    audit.record("update", user, item, "revision_saved", revision=item.revision)
    return item


def _is_revision_number(value) -> bool:
    # Range-checked before it reaches the driver (an 8-byte integer would fail there).
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def restore_revision(user, item: Content, number: int) -> Content:
    """Save the fields of revision `number` as the item's next revision (NotFound if there is none)."""
    revision = Revision.objects(item=item.pk, number=number).first()
    if revision is None:
        raise NotFound(_("No such revision."))
    refuse_unless(may_edit(user, item), user, item, "restore")
    expected = item.revision
    apply_snapshot(item, revision.fields)
    return save_changes(user, item, expected)


def may_delete(user, item: Content) -> bool:
    """Whether the item's state lets `user` delete it."""
    return can(user, DELETE, item)


def delete_item(user, item: Content) -> None:
    """Delete `item`; refuse (Conflict) if it changed since it was read."""
    refuse_unless(may_delete(user, item), user, item, "delete")
    deleted = type(item).objects(pk=item.pk, revision=item.revision, state=item.state).delete()
    if not deleted:
        raise Conflict(_("The item changed meanwhile; nothing was deleted."))
    if item.working_copy_of:
        # A deleted working copy lets its original be checked out again.
        Content._get_collection().update_one(
            {"_id": item.working_copy_of, "working_copy": item.pk}, {"$unset": {"working_copy": ""}}
        )
    audit.record("delete", user, item, "item_deleted")
