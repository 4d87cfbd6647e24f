"""Member cities: the secretariat maintains their names, country, status and contacts."""

import mongoengine as me
from flask_babel import gettext as _

from cms import audit
from cms.operations import refuse_unless
from cms.security import can
from content_types import MemberCity
from content_types.base import utcnow
from content_types.city import CITY_STATUSES
from content_types.refusals import Conflict, NotPossible
from content_types.validation import Invalid, validate
from workflows.permissions import CORRECT_CITY_STATUS, MANAGE_CITIES


def may_manage_cities(user) -> bool:
    """Whether `user` may add, change and delete member cities."""
    return can(user, MANAGE_CITIES)


def save_city(user, city: MemberCity) -> MemberCity:
    """Validate and store a new or changed city (a city deleted meanwhile is not brought back)."""
    refuse_unless(may_manage_cities(user), user, None, "manage_cities")
    created = city.pk is None
    city.modified = utcnow()
    validate(city)
    try:
        if created:
            city.save(force_insert=True)
        else:
            # A save_condition turns mongoengine's upsert off: a city deleted
            # since the form was opened is reported, not resurrected.
            city.save(save_condition={})
    except me.NotUniqueError:
        raise NotPossible(_("There is already a city with this name."), {"name_de": _("already taken")}) from None
    except me.errors.SaveConditionError:
        raise Conflict(_("This record was deleted meanwhile; nothing was saved.")) from None
    audit.record("create" if created else "update", user, None, "city_saved", city=city.name_de)
    return city


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
