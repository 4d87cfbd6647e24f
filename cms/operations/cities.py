"""Member cities: the secretariat maintains them; a member city's representatives its contacts and profile."""

import mongoengine as me
from flask_babel import gettext as _

from cms import audit
from cms.operations import refuse_unless
from cms.security import can
from content_types import MemberCity
from content_types.base import has_control_characters, reference_id, utcnow
from content_types.city import CITY_STATUSES, PROFILE_LANGUAGES, REPRESENTATIVE_FIELDS, Contact
from content_types.refusals import Conflict, NotPossible
from content_types.validation import Invalid, validate
from workflows import engine, workflow_for
from workflows.permissions import CORRECT_CITY_STATUS, EDIT_CITY, MANAGE_CITIES
from workflows.types import TYPES


def may_manage_cities(user) -> bool:
    """Whether `user` may add, change and delete member cities."""
    return can(user, MANAGE_CITIES)


def save_city(user, city: MemberCity, edited_revision: int | None = None) -> MemberCity:
    """Validate and store a new or changed city (a city deleted meanwhile is not brought back).

    With `edited_revision`, the city is written only if it is still that
    revision: a representative's save in between is reported, not overwritten.
    """
    refuse_unless(may_manage_cities(user), user, None, "manage_cities")
    created = city.pk is None
    city.modified = utcnow()
    # A save here counts as a revision too, so a representative's form opened before it is told, not obeyed.
    city.revision = (city.revision or 0) + 1
    validate(city)
    try:
        if created:
            city.save(force_insert=True)
        else:
            # A save_condition turns mongoengine's upsert off: a city deleted
            # since the form was opened is reported, not resurrected.
            city.save(save_condition=_still(edited_revision))
    except me.NotUniqueError:
        raise NotPossible(_("There is already a city with this name."), {"name_de": _("already taken")}) from None
    except me.errors.SaveConditionError:
        raise Conflict(_("This city was changed or deleted meanwhile; nothing was saved. Reload it.")) from None
    audit.record("create" if created else "update", user, None, "city_saved", city=city.name_de)
    return city


def _still(revision: int | None) -> dict:
    # Cities stored before revisions were counted have none: they are revision 0.
    if revision is None:
        return {}
    return {"revision__in": [0, None]} if revision == 0 else {"revision": revision}


def delete_city(user, city: MemberCity) -> None:
    """Delete a city."""
    refuse_unless(may_manage_cities(user), user, None, "manage_cities")
    MemberCity.objects(pk=city.pk).delete()
    audit.record("delete", user, None, "city_deleted", city=city.name_de)


def may_correct_status(user) -> bool:
    """Whether `user` may correct a city's status by hand (admins; the processes change it otherwise)."""
    return can(user, CORRECT_CITY_STATUS)


def correct_status(user, city: MemberCity, status, reason) -> MemberCity:
    """Set a city's status by hand, with the reason recorded in the audit log; refuse a missing reason."""
    refuse_unless(may_correct_status(user), user, None, "correct_city_status")
    if status not in CITY_STATUSES:
        raise Invalid({"status": _("Unknown city status.")})
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > 1000:
        raise Invalid({"reason": _("Say why the status is corrected (at most 1000 characters).")})
    # A compare-and-set on the status read: two corrections at once can't both think they set it.
    if not MemberCity.change_status(city.pk, city.status, status, reason=reason):
        raise Conflict(_("The city changed meanwhile; reload it and try again."))
    audit.record(
        "update",
        user,
        None,
        "city_status_corrected",
        city=city.name_de,
        before=city.status,
        after=status,
        reason=reason,
    )
    return MemberCity.objects.get(pk=city.pk)


# The most contact persons a city names (a form or request with more is refused).
MAX_CONTACTS = 20
CONTACT_KEYS = ("name", "role", "email", "phone", "language")


def may_edit_city(user, city: MemberCity) -> bool:
    """Whether `user` may change the city's contacts and profile (staff, or its own member city's representative)."""
    return can(user, EDIT_CITY, city)


def contacts_from(entries) -> list[Contact]:
    """Return the contacts a request or form lists (dicts of CONTACT_KEYS), refusing others with Invalid."""
    if not isinstance(entries, list) or len(entries) > MAX_CONTACTS:
        raise Invalid({"contacts": _("A list of at most %(max)d contact persons.", max=MAX_CONTACTS)})
    contacts = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or set(entry) - set(CONTACT_KEYS):
            raise Invalid(
                {"contacts": _("Each contact person has a name, role, e-mail, phone and language, nothing else.")}
            )
        if not all(value is None or isinstance(value, str) for value in entry.values()):
            raise Invalid({"contacts": _("Each contact person's details are text.")})
        values = {key: (entry.get(key) or "").strip() or None for key in CONTACT_KEYS}
        if values["name"] is None:
            raise Invalid({"contacts": _("Contact person %(number)d has no name.", number=number)})
        if any(has_control_characters(values[key]) for key in ("name", "role", "phone")):
            # The name goes into the To header of every mail to this person.
            raise Invalid(
                {"contacts": _("Contact person %(number)d: no line breaks or other control characters.", number=number)}
            )
        if values["language"] not in (None, *PROFILE_LANGUAGES):
            raise Invalid({"contacts": _("Contact person %(number)d: the language is de, zh or en.", number=number)})
        contacts.append(Contact(**values))
    return contacts


def update_city(user, city: MemberCity, expected_revision, changes: dict) -> MemberCity:
    """Set the city's contacts and profile (REPRESENTATIVE_FIELDS) as the revision after `expected_revision`.

    Raises NotAllowed (not staff, nor this member city's representative),
    Invalid (a field that is not one of them, the status, a bad value) or
    Conflict (someone saved since `expected_revision`); nothing is written
    then. The change is audited with the fields it changed.
    """
    refuse_unless(may_edit_city(user, city), user, None, "edit_city", city=city.name_de)
    if "status" in changes:
        # The status has its processes (admission, withdrawal, exclusion); no form or request sets it.
        raise Invalid({"status": _("The status changes only through admission, withdrawal or exclusion.")})
    unknown = set(changes) - set(REPRESENTATIVE_FIELDS)
    if unknown:
        raise Invalid({str(name)[:50]: _("is not a field") for name in unknown})
    if (
        not isinstance(expected_revision, int)
        or isinstance(expected_revision, bool)
        or not 0 <= expected_revision < 2**31
    ):
        message = _("Send the revision you edited as a whole number.")
        raise Invalid({"revision": message}, message, code="revision_required")
    changes = dict(changes)
    if "contacts" in changes:
        changes["contacts"] = contacts_from(changes["contacts"])
    for name, value in changes.items():
        if name != "contacts" and not (value is None or isinstance(value, str)):
            raise Invalid({name: _("This must be text.")})
        if name != "contacts":
            changes[name] = (value or "").strip()
    changed = [name for name, value in changes.items() if getattr(city, name) != value]
    for name, value in changes.items():
        setattr(city, name, value)
    validate(city)
    setting = {city._fields[name].db_field: city._fields[name].to_mongo(getattr(city, name)) for name in changes}
    if "contacts" in changes:
        setting["contacts"] = [contact.to_mongo().to_dict() for contact in city.contacts]
    now = utcnow()
    setting.update(revision=expected_revision + 1, modified=now)
    # Records from before revisions were counted have none: they count as revision 0.
    stored = {"$in": [0, None]} if expected_revision == 0 else expected_revision
    if (
        MemberCity._get_collection().update_one({"_id": city.pk, "revision": stored}, {"$set": setting}).matched_count
        != 1
    ):
        raise Conflict(_("Someone changed this city meanwhile; reload it and make your change again."))
    audit.record("update", user, None, "city_profile_saved", city=city.name_de, fields=changed)
    return MemberCity.objects.get(pk=city.pk)


def _is_revision(value) -> bool:
    # A whole number the driver can take (an 8-byte integer would fail there); True is not 1 here.
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31


def repair_city_statuses() -> list[str]:
    """Redo the city status changes committed steps did not get to make (a crash in between); return the items.

    A step that gives a city a status says which (`city_status`); an item in
    that step's state whose city has no such change by this item in its
    history has its follow-ups run again. Each is a compare-and-set from the
    status expected, so a city that moved on since is left as it is.
    """
    repaired = []
    for registered in TYPES.values():
        for transition in workflow_for(registered.name)["transitions"]:
            status = transition.get("city_status")
            if not status:
                continue
            for item in registered.cls.objects(state=transition["dest"]):
                city = MemberCity.objects(pk=reference_id(item._data.get("city"))).only("status_history").first()
                if city is None or any(c.item == item.pk and c.status == status for c in city.status_history):
                    continue
                engine.redo_follow_ups(item, transition)
                repaired.append(str(item.pk))
    return repaired
