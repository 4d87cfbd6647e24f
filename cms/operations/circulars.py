"""Circulars the CMS writes itself: an approved document sent to all member cities (seed VII: the work plan), and a
city's withdrawal made known to them (seed V)."""

import hashlib

from flask_babel import force_locale
from flask_babel import gettext as _

from cms import audit, versions
from cms.revisions import record_revision
from content_types import Attachment, Circular, Content, PublishedVersion
from content_types.validation import validate
from workflows import engine, transitions_from


def send_published(item: Content, version: PublishedVersion, actor) -> Circular:
    """Return the circular that sends `item`'s published `version` to all member cities, making and sending it once.

    It is written in the item's language, numbered (its other languages share
    the number), carries the version's PDF, and is sent through the
    circular's workflow as a consequence of the publication (no second
    review). Safe to repeat: a circular made already is only sent if it is
    not yet.
    """
    circular = Circular.objects(encloses=item.pk, encloses_version=version.number).first()
    if circular is None:
        circular = _write(item, version, actor)
    sending = next((t for t in transitions_from(Circular.type_name, circular.state) if t.get("sends_enclosure")), None)
    if sending is not None:
        circular = engine.follow(circular, sending["trigger"], actor)
    return circular


def _write(item: Content, version: PublishedVersion, actor) -> Circular:
    # One translation group per version sent: the German and the Chinese circular of a plan's v1 belong together.
    group = hashlib.sha256(f"sent:{item.translation_group}:v{version.number}".encode()).hexdigest()[:32]
    sibling = Circular.objects(translation_group=group).first()
    with force_locale(item.language):
        circular = Circular(
            title=_("For the member cities: %(title)s", title=item.title),
            subject=item.title,
            body="<p>"
            + _(
                "The annual meeting approved this document. It is attached as version %(number)s.",
                number=version.number,
            )
            + "</p>",
            language=item.language,
            owner=actor if getattr(actor, "pk", None) else None,
            translation_group=group,
            translation_of=sibling.pk if sibling else None,
            number=sibling.number if sibling else None,
            encloses=item.pk,
            encloses_version=version.number,
        )
    engine.initialize(circular)
    validate(circular)
    circular.assign_number()
    circular.save_revision()
    record_revision(circular, actor)
    pdf = version.files[0]
    attachment = Attachment(
        item=circular.pk,
        name=pdf.name,
        content_type=pdf.content_type,
        size=pdf.size,
        sha256=pdf.sha256,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    attachment.file.put(versions.bucket().get(pdf.file_id).read(), content_type=pdf.content_type, filename=pdf.sha256)
    attachment.save()
    audit.record("create", actor, circular, "circular_made", source=item.title, version=version.number)
    return circular


def inform_members(item: Content, actor) -> Circular:
    """Return the circular that tells all member cities of `item` (a city's withdrawal), making and sending it once.

    It is written in the item's language, numbered, encloses the item, and
    is sent through the circular's workflow as a consequence of the step that
    informs the members; the item records the circular and its number. Safe
    to repeat: a circular made already is only sent if it is not yet.
    """
    circular = Circular.objects(encloses=item.pk).first()
    if circular is None:
        city = item.city
        with force_locale(item.language):
            circular = Circular(
                title=_("For the member cities: %(city)s leaves the alliance", city=city.name(item.language)),
                subject=item.title,
                body="<p>"
                + _(
                    "%(city)s has asked in writing to withdraw from the alliance. The secretariat informs all "
                    "member cities; the withdrawal takes effect when the secretariat completes it.",
                    city=city.name(item.language),
                )
                + "</p>",
                language=item.language,
                owner=actor if getattr(actor, "pk", None) else None,
                encloses=item.pk,
            )
        engine.initialize(circular)
        validate(circular)
        circular.assign_number()
        circular.save_revision()
        record_revision(circular, actor)
        audit.record("create", actor, circular, "members_informed", source=item.title)
    type(item)._get_collection().update_one(
        {"_id": item.pk}, {"$set": {"circular": circular.pk, "circular_number": circular.number}}
    )
    sending = next((t for t in transitions_from(Circular.type_name, circular.state) if t.get("sends_enclosure")), None)
    if sending is not None:
        circular = engine.follow(circular, sending["trigger"], actor)
    return circular
