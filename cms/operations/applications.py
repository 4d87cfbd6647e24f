"""The public membership form: an applicant city sends its application, its contact confirms it by a mailed link.

Nothing enters the secretariat's process before the contact confirms: the
submission waits in a collection of its own (cms has no list, worklist, search
or API over it). Confirming stores the `membership_application` in its
workflow's first state under the submission's own id — so a second
confirmation, or two at the same moment, find it taken and make no second
one — and tells the secretariat's editors. Unconfirmed submissions are dropped
with their files once their link has expired (the scheduler's run).
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

import mongoengine as me
from bson import ObjectId
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from cms import audit, signed_links
from cms.mail import outbox
from cms.mail.links import absolute
from cms.mail.notifications import person, staff_link
from cms.mail.outbox import Recipient
from cms.operations import attachments, content, refuse_unless
from cms.revisions import record_revision
from cms.security import can
from content_types import ApplicationSubmission, Attachment, Content, MemberCity, MembershipApplication, User
from content_types.application_submission import KEY_DATA_FIELDS, NEW_CITY_FIELDS
from content_types.base import LANGUAGES, reference_id, utcnow
from content_types.city import COUNTRY_NAMES
from content_types.membership import MAY_APPLY
from content_types.refusals import BadRequest, Conflict, TooMany
from content_types.validation import Invalid, validate
from workflows import engine
from workflows.permissions import APPLY_FOR_MEMBERSHIP, EDITOR

log = logging.getLogger(__name__)

# The limits count the submissions of the last day.
LIMIT_WINDOW = timedelta(days=1)
# Dropping waits this long past the link's expiry, so a link still valid never finds its submission gone.
DROP_MARGIN = timedelta(hours=1)
MAX_DOCUMENTS = 5


@dataclass
class Application:
    """What the form sends: the city (a registry city's id, or a new city's names and country) and the rest."""

    city_id: str = ""
    new_city: dict = field(default_factory=dict)
    key_data: dict = field(default_factory=dict)
    contact_name: str = ""
    contact_email: str = ""
    contact_language: str = "en"
    documents: list = field(default_factory=list)


def may_apply(user) -> bool:
    """Whether `user` may send a membership application through the public form (everyone may)."""
    return can(user, APPLY_FOR_MEMBERSHIP)


def confirm_days() -> int:
    """Return how many days a confirmation link is valid."""
    return current_app.config["CMS_APPLICATION_CONFIRM_DAYS"]


def cities_open_to_apply() -> list[MemberCity]:
    """Return the registry cities the form offers: asked to join by the alliance, with no application under way."""
    cities = MemberCity.objects(status="requested", named_by_applicant__ne=True)
    return [city for city in cities if _open_application(city) is None]


def _open_application(city: MemberCity) -> Content | None:
    return content.open_item_for_city(MembershipApplication.type_name, city.pk)


def refuse_unless_city_may_apply(city: MemberCity, language: str) -> None:
    """Raise Invalid (on the field `city`) if `city` is a member already or its application is being decided."""
    name = city.name(language)
    if city.status == "member":
        raise Invalid({"city": _("%(city)s is a member of the alliance already.", city=name)})
    if city.status not in MAY_APPLY or _open_application(city) is not None:
        raise Invalid(
            {
                "city": _(
                    "An application of %(city)s is being decided already; the secretariat will be in touch.", city=name
                )
            }
        )


def _applying_city(application: Application, language: str) -> MemberCity | None:
    # The registry city applying (chosen, or found by a name typed as new), or None for a city new to the registry.
    if application.city_id:
        city = MemberCity.objects(pk=application.city_id).first() if ObjectId.is_valid(application.city_id) else None
        if city is None or city.named_by_applicant or city.status != "requested":
            raise Invalid({"city": _("Choose a city from the list, or enter a new one.")})
    else:
        names = [application.new_city.get(key, "") for key in ("name_de", "name_zh", "name_en")]
        city = next((found for found in map(MemberCity.find_by_name, names) if found is not None), None)
        if city is None:
            return None
    refuse_unless_city_may_apply(city, language)
    return city


def submit(user, application: Application, address: str, limit: int, language: str) -> ApplicationSubmission:
    """Store an application as unconfirmed and mail its contact the confirmation link; return the submission.

    Raises NotAllowed, Invalid (a field, or a city that can't apply), the
    documents' refusals (checked before anything is stored) or TooMany (the
    limits per client address and per e-mail); nothing is stored then.
    """
    refuse_unless(may_apply(user), user, None, "apply")
    city = _applying_city(application, language)
    if len(application.documents) > MAX_DOCUMENTS:
        raise Invalid({"documents": _("At most %(count)d documents.", count=MAX_DOCUMENTS)})
    checked = [attachments.check_upload(upload, limit) for upload in application.documents]
    email = application.contact_email.strip().lower()
    address = (address or "")[:64]
    submission = ApplicationSubmission(
        city=city.pk if city else None,
        **({} if city else {key: application.new_city.get(key) or None for key in NEW_CITY_FIELDS}),
        **{key: application.key_data.get(key, "") for key in KEY_DATA_FIELDS},
        contact_name=application.contact_name.strip(),
        contact_email=email,
        contact_language=application.contact_language if application.contact_language in LANGUAGES else "en",
        address=address,
    )
    validate(submission)
    _refuse_over_limits(address, email, adding=1)
    submission.save(force_insert=True)
    # Counted again with this one stored: of several sent at the same moment, none passes the limit unseen.
    try:
        _refuse_over_limits(address, email, adding=0)
    except TooMany:
        submission.delete()
        raise
    for upload in checked:
        attachments.store_awaiting_item(submission.pk, upload)
    _mail_confirmation_link(submission, city)
    return submission


def _refuse_over_limits(address: str, email: str, adding: int) -> None:
    # `adding`: the submissions about to be stored besides those counted.
    since = utcnow() - LIMIT_WINDOW
    config = current_app.config
    by_address = ApplicationSubmission.objects(address=address, created__gte=since).count() if address else 0
    by_email = ApplicationSubmission.objects(contact_email=email, created__gte=since).count()
    if (
        by_address + adding > config["CMS_APPLICATIONS_PER_ADDRESS"]
        or by_email + adding > config["CMS_APPLICATIONS_PER_EMAIL"]
    ):
        raise TooMany(
            _("Too many applications were sent from here or for this e-mail address today. Please try again tomorrow.")
        )


def applicant_name(submission: ApplicationSubmission, city: MemberCity | None, language: str) -> str:
    """Return the applying city's name in `language` (a new city's as the applicant wrote it)."""
    if city is not None:
        return city.name(language)
    return getattr(submission, f"name_{language}", "") or submission.name_de


def city_of(submission: ApplicationSubmission) -> MemberCity | None:
    """Return the registry city a submission names, or None for a city new to the registry."""
    return MemberCity.objects(pk=submission.city).first() if submission.city is not None else None


def _mail_confirmation_link(submission: ApplicationSubmission, city: MemberCity | None) -> None:
    language = submission.contact_language
    token = signed_links.sign(signed_links.CONFIRM_APPLICATION, str(submission.pk))
    outbox.put(
        "application_confirm",
        str(submission.pk),
        Recipient(submission.contact_email, language, submission.contact_name),
        {
            "applicant": applicant_name(submission, city, language),
            "contact_name": submission.contact_name,
            "until": (submission.created + timedelta(days=confirm_days())).date().isoformat(),
            "confirm_link": absolute("public.confirm_application", lang=language, token=token),
        },
        event="application_submitted",
    )


# --- confirming -----------------------------------------------------------------------------------------


def read_token(token) -> ApplicationSubmission | MembershipApplication:
    """Return what a confirmation link points at: the waiting submission, or the application it became.

    BadRequest (400) for a link that is forged, altered, expired, or whose
    submission was dropped; nothing is read or written for those.
    """
    try:
        submission_id = signed_links.read(signed_links.CONFIRM_APPLICATION, token, confirm_days() * 86400)
    except signed_links.ExpiredToken:
        raise BadRequest(
            _("This confirmation link has expired. Please send the application again."), code="expired_link"
        ) from None
    except signed_links.BadToken:
        raise BadRequest(_("This confirmation link is not valid."), code="bad_link") from None
    if not ObjectId.is_valid(submission_id):
        raise BadRequest(_("This confirmation link is not valid."), code="bad_link")
    found = (
        MembershipApplication.objects(pk=submission_id).first()
        or ApplicationSubmission.objects(pk=submission_id).first()
    )
    if found is None:
        raise BadRequest(
            _("This confirmation link has expired. Please send the application again."), code="expired_link"
        )
    return found


def confirm(token) -> MembershipApplication:
    """Turn the submission a confirmation link names into a `received` application (once); return it.

    Raises BadRequest for a link that is not ours or no longer valid, Conflict
    when the city can no longer apply (it became a member, or another
    application of it is being decided) or the application was confirmed and
    has been removed since.
    """
    found = read_token(token)
    if isinstance(found, MembershipApplication):
        return _finish(found)
    submission = found
    if submission.confirmed_at is not None:
        raise Conflict(_("This application was confirmed already."), code="confirmed_already")
    language = submission.contact_language
    try:
        city = _city_for(submission, language)
    except Invalid as invalid:
        # The open application that stops it may be this one, confirmed a moment ago by another request.
        existing = MembershipApplication.objects(pk=submission.pk).first()
        if existing is not None:
            return _finish(existing)
        raise Conflict(invalid.details.get("city", invalid.message), code="may_not_apply") from None
    item = _new_application(submission, city, language)
    try:
        _insert_first_revision(item)
    except me.NotUniqueError:
        # Confirmed at the same moment by another request: its application is the one.
        return _finish(MembershipApplication.objects.get(pk=submission.pk))
    audit.record("create", None, item, "application_confirmed", email=submission.contact_email, city=city.name_de)
    return _finish(item)


def _finish(item: MembershipApplication) -> MembershipApplication:
    # What follows the insert, each step once however often it runs: so a confirmation repeated after a
    # crash in between completes it (the revision record, the submission marked, the editors' mail).
    record_revision(item, None)
    ApplicationSubmission.objects(pk=item.pk, confirmed_at=None).update_one(set__confirmed_at=utcnow())
    _tell_the_secretariat(item)
    return item


def _city_for(submission: ApplicationSubmission, language: str) -> MemberCity:
    # The registry city named on the form (still free to apply), or the new city, stored now under the
    # submission's id: a repeated confirmation finds the one it stored before and makes no second.
    if submission.city is not None:
        city = MemberCity.objects(pk=submission.city).first()
        if city is None:
            raise Invalid({"city": _("This city is no longer in the alliance's registry.")})
        refuse_unless_city_may_apply(city, language)
        return city
    city = MemberCity.objects(pk=submission.pk).first()
    if city is not None:
        return city
    names = {key: submission[key] for key in ("name_de", "name_zh", "name_en")}
    existing = next((found for found in map(MemberCity.find_by_name, names.values()) if found is not None), None)
    if existing is not None:
        # Entered by the secretariat (or another applicant) since the form was sent.
        refuse_unless_city_may_apply(existing, language)
        return existing
    city = MemberCity(id=submission.pk, country=submission.country, named_by_applicant=True, **names)
    validate(city)
    try:
        city.save(force_insert=True)
    except me.NotUniqueError:
        # Stored at the same moment: by a second confirmation of this submission, or under this name by another.
        stored = MemberCity.objects(pk=submission.pk).first() or next(
            (found for found in map(MemberCity.find_by_name, names.values()) if found is not None), None
        )
        if stored is None:
            raise Conflict(_("There is already a city with this name."), code="city_exists") from None
        if stored.pk != submission.pk:
            refuse_unless_city_may_apply(stored, language)
        return stored
    audit.record("create", None, None, "city_named_by_applicant", email=submission.contact_email, city=city.name_de)
    return city


def _new_application(submission: ApplicationSubmission, city: MemberCity, language: str) -> MembershipApplication:
    item = MembershipApplication()
    engine.initialize(item)
    item.pk = submission.pk
    item.owner = None
    item.city = city
    item.language = language
    with force_locale(language):
        item.title = _("Membership application of %(city)s", city=city.name(language))
    for key in KEY_DATA_FIELDS:
        setattr(item, key, submission[key])
    item.contact_name = submission.contact_name
    item.contact_email = submission.contact_email
    validate(item)
    return item


def _insert_first_revision(item: Content) -> None:
    # Content.save_revision() inserts only items without an id; this one has its submission's id on purpose.
    item.revision = 1
    item.modified = item.changed = utcnow()
    item.save(force_insert=True)


def _tell_the_secretariat(item: MembershipApplication) -> None:
    city = MemberCity.objects.get(pk=reference_id(item._data["city"]))
    for user in User.objects(active=True, roles=EDITOR):
        recipient = person(user)
        outbox.put(
            "application_received",
            str(item.pk),
            recipient,
            {
                "applicant": city.name(recipient.language),
                "country": _country_in(city.country, recipient.language),
                "title": item.title,
                "contact_name": item.contact_name,
                "contact_email": item.contact_email,
                "link": staff_link(item),
            },
            item=item,
            event="application_confirmed",
            user=user,  # their choice: at once, or in the daily digest
        )


def _country_in(country: str, language: str) -> str:
    with force_locale(language):
        return str(COUNTRY_NAMES.get(country, country))


# --- dropping -------------------------------------------------------------------------------------------


def drop_expired(now=None) -> int:
    """Delete the submissions whose link has expired, the unconfirmed ones with their files; return how many."""
    now = now or utcnow()
    cutoff = now - timedelta(days=confirm_days()) - DROP_MARGIN
    dropped = 0
    for submission in ApplicationSubmission.objects(created__lt=cutoff):
        # A confirmed submission's files are its application's now; only an unconfirmed one's go with it.
        if submission.confirmed_at is None and Content.objects(pk=submission.pk).first() is None:
            for stored in Attachment.objects(item=submission.pk):
                attachments.discard(stored)
        dropped += ApplicationSubmission.objects(pk=submission.pk).delete()
    if dropped:
        log.info("dropped %d expired membership application submissions", dropped)
    return dropped
