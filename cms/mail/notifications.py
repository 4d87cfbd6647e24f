"""Who is told what: the outbox's listeners of the publication step and of the engine's transitions.

A transition names whom it tells in its definition (`notifies`: "next" —
who can take the next step; "owner"; "consulted" — the contact persons of
the cities asked to decide; "decided" — the secretariat and the applicant;
"members" — the contact persons of every member city). A published circular
goes to the contact persons of its recipient cities with its PDF. Each
message is written in its recipient's language with a link to the item.
Writing mail never undoes or fails the step that caused it (the engine and
the publication step log what a listener raises); each message is written
once per event and recipient.
"""

import logging

import nh3
from bson import ObjectId
from flask import current_app, has_app_context
from flask_babel import force_locale

from cms import publication
from cms.mail import outbox
from cms.mail.links import absolute
from cms.mail.outbox import Recipient
from cms.security import can
from content_types import Circular, Content, MemberCity, PublishedVersion, User
from content_types.base import reference_id
from content_types.mail import MailAttachment
from workflows import engine, transitions_from
from workflows.definitions import state_title, transition_title
from workflows.permissions import ACCESS_ADMIN, ADMIN, EDITOR, MEMBER, VIEW
from workflows.signals import transition_fired
from workflows.types import TYPES

log = logging.getLogger(__name__)


def contacts_of(cities) -> list[Recipient]:
    """Return the contact persons (with an address) of `cities`, each in the language they read."""
    return [
        Recipient(contact.email, city.contact_language(contact), contact.name)
        for city in cities
        for contact in city.contacts
        if contact.email
    ]


def person(user) -> Recipient:
    """Return `user` as a recipient, in their chosen language (else the site's default)."""
    return Recipient(user.email, user.language or current_app.config["BABEL_DEFAULT_LOCALE"], user.name or "")


def staff_link(item: Content) -> str:
    """Return the link to `item`'s page in the admin (for staff)."""
    return absolute(f"content_{item.type_name}.workflow_view", id=str(item.pk))


def page_link(item: Content, language: str) -> str:
    """Return the link to `item`'s page on the site in `language` (for members and contact persons)."""
    return absolute("public.document", lang=language, item_id=str(item.pk))


def link_for(user, item: Content, language: str) -> str:
    """Return the link `user` follows to `item`: the admin for staff, the site for others."""
    return staff_link(item) if can(user, ACCESS_ADMIN) else page_link(item, language)


# --- published circulars ---------------------------------------------------------------------------


def on_published(item: Content, version: PublishedVersion, **_) -> None:
    """A published circular goes, with its PDF, to the contact persons of every city it was sent to.

    A contact person who reads its language gets it. One whose language has
    no published translation of it yet gets it too, once per circular (the
    first language published), and their own language's when that is
    published; one whose language is published already has it.
    """
    if not isinstance(item, Circular) or not _in_an_app():
        return
    published = _published_languages(item, version)
    files = [
        MailAttachment(bucket="version_files", file_id=f.file_id, name=f.name, content_type=f.content_type)
        for f in version.files
    ]
    cities = MemberCity.objects(pk__in=[reference_id(city) for city in item.sent_to])
    for city in cities:
        for recipient in contacts_of([city]):
            if recipient.language == item.language:
                occasion = f"{item.translation_group}:v{version.number}:{item.language}"
            elif recipient.language in published:
                continue  # they have it in their language
            else:
                occasion = f"{item.translation_group}:v{version.number}:until-translated"
            outbox.put(
                "circular",
                occasion,
                recipient,
                {
                    "number": item.number or "",
                    "subject": item.subject or item.title,
                    "title": item.title,
                    "body_text": _plain(item.body),
                    "city": city.name(recipient.language),
                    "link": page_link(item, recipient.language),
                    "files": [file.name for file in files],
                },
                item=item,
                event="circular_published",
                attachments=tuple(files),
            )


def _published_languages(item: Circular, version: PublishedVersion) -> set[str]:
    """Return the languages of the circular's other translations published in this version already."""
    languages = set()
    for sibling in Circular.objects(translation_group=item.translation_group, pk__ne=item.pk).only("language"):
        if PublishedVersion.objects(item=sibling.pk, number=version.number).first() is not None:
            languages.add(sibling.language)
    return languages


def _in_an_app() -> bool:
    # Requests, commands and the background workers all run in the app; only code driving the engine
    # directly (tests of the engine) does not, and has no site address or templates to write mail with.
    if has_app_context():
        return True
    log.warning("no mail written: a transition outside the app")
    return False


def _plain(html: str) -> str:
    # The body as text: tags dropped, whitespace collapsed (the HTML part shows the same words).
    return " ".join(nh3.clean(html or "", tags=set()).split())


# --- transitions ----------------------------------------------------------------------------------


def on_transition(item: Content, transition: dict, entry, actor, **_) -> None:
    """Write the mail a transition's definition asks for (`notifies`)."""
    if not transition.get("notifies") or not _in_an_app():
        return
    occasion = f"{item.pk}:{entry.transition}:{entry.at.isoformat()}"
    for audience in transition.get("notifies", ()):
        AUDIENCES[audience](item, transition, entry, actor, occasion)


def _next(item, transition, entry, actor, occasion) -> None:
    # Who can take a next step now: the holders of the roles that guard the item's worklist steps, as the
    # one can() decides for each of them (a reviewer of another item's city is not told).
    candidates = User.objects(active=True, roles__in=list(_guard_roles(item)))
    for user in candidates:
        if actor is not None and user.pk == getattr(actor, "pk", None):
            continue
        steps = engine.waiting_steps(user, item)
        if not steps:
            continue
        recipient = person(user)
        with force_locale(recipient.language):
            context = _step_context(item, entry, actor, user, recipient)
            context["steps"] = [str(step["title"]) for step in steps]
        outbox.put("work_waiting", occasion, recipient, context, item=item, event=entry.transition, user=user)


def _guard_roles(item: Content) -> set[str]:
    return {role for step in transitions_from(item.type_name, item.state) for role in step.get("guard", ())}


def _owner(item, transition, entry, actor, occasion) -> None:
    owner = item.owner
    if owner is None or not owner.active or getattr(actor, "pk", None) == owner.pk:
        return
    recipient = person(owner)
    with force_locale(recipient.language):
        context = _step_context(item, entry, actor, owner, recipient)
        context["step_title"] = str(transition_title(item.type_name, entry.transition))
    outbox.put("step_taken", occasion, recipient, context, item=item, event=entry.transition, user=owner)


def _step_context(item, entry, actor, user, recipient) -> dict:
    # What a mail about a workflow step says of its item, in the recipient's language (call under force_locale).
    return {
        "title": item.title,
        "type_title": str(TYPES[item.type_name].title),
        "state_title": str(state_title(item.type_name, item.state)),
        "actor_name": getattr(actor, "email", "") or "",
        "comment": entry.comment or "",
        "link": link_for(user, item, recipient.language),
    }


def _consulted(item, transition, entry, actor, occasion) -> None:
    cities = MemberCity.objects(pk__in=[reference_id(city) for city in item.consulted_cities])
    _ask_for_decisions("consultation", item, cities, occasion, entry.transition)


def remind(item: Content, cities, occasion: str) -> int:
    """Write a reminder to the contact persons of `cities` whose decision on `item` is missing; return how many."""
    return _ask_for_decisions("consent_reminder", item, cities, occasion, "consent_reminder")


def _ask_for_decisions(kind: str, item: Content, cities, occasion: str, event: str) -> int:
    # The consulted cities' contact persons are asked (again) for their city's decision in the member area.
    applicant = MemberCity.objects(pk=reference_id(item._data.get("city"))).first()
    written = 0
    for city in cities:
        written += outbox.put_all(
            kind,
            occasion,
            contacts_of([city]),
            lambda recipient, city=city: {
                "applicant": applicant.name(recipient.language) if applicant else item.title,
                "city": city.name(recipient.language),
                "title": item.title,
                "link": absolute("public.application", lang=recipient.language, item_id=str(item.pk)),
            },
            item=item,
            event=event,
        )
    return written


def _decided(item, transition, entry, actor, occasion) -> None:
    applicant = MemberCity.objects(pk=reference_id(item._data.get("city"))).first()
    objecting = MemberCity.objects(pk=reference_id(item._data.get("objecting_city"))).first()
    accepted = transition["dest"] == "accepted"
    secretariat = [(person(user), user) for user in User.objects(active=True, roles__in=[ADMIN, EDITOR])]
    # The applicant reads the language it applied in.
    applicant_contact = (
        [(Recipient(item.contact_email, item.language, item.contact_name or ""), None)] if item.contact_email else []
    )
    for recipient, user in secretariat + applicant_contact:
        outbox.put(
            "application_decided",
            occasion,
            recipient,
            {
                "applicant": applicant.name(recipient.language) if applicant else item.title,
                "accepted": accepted,
                # Which member city objected is the alliance's internal matter: the secretariat is told, the
                # applicant only that its application was rejected.
                "objecting": [objecting.name(recipient.language)] if objecting and not accepted and user else [],
                "title": item.title,
                "link": staff_link(item) if user is not None else "",
            },
            item=item,
            event=entry.transition,
            user=user,
        )


def _members(item, transition, entry, actor, occasion) -> None:
    cities = MemberCity.objects(status="member")
    on_agenda = list(Content.objects(agenda_meeting=item.pk))
    for city in cities:
        reader = Representative(city.pk)
        outbox.put_all(
            "meeting_announced",
            occasion,
            contacts_of([city]),
            lambda recipient, reader=reader: {
                "title": item.text_in("title", recipient.language)[0],
                "starts": item.starts_on.isoformat() if item.starts_on else "",
                "place": item.text_in("location", recipient.language)[0],
                "agenda": [text for text, _code in item.agenda_in(recipient.language)]
                + [_agenda_entry(reader, other, recipient.language) for other in on_agenda],
                "link": page_link(item, recipient.language),
            },
            item=item,
            event=entry.transition,
        )


class Representative:
    """Stands in for a representative of a member city: whom can() is asked what that city's contact persons read.

    Contact persons have no accounts; what a mail to them shows is what the
    city's representatives may view (the meeting page's rule), never more.
    """

    roles = (MEMBER,)
    is_authenticated = True
    is_active = True
    represents_a_member_city = True

    def __init__(self, city_id):
        self.city_id = city_id
        # An id no account or item names: never the owner of anything, holding no local role.
        self.pk = ObjectId()


def _agenda_entry(reader: Representative, other: Content, language: str) -> str:
    # As on the meeting's page: an item the reader may not view is named by its type, never by its title.
    if can(reader, VIEW, other):
        return other.title
    with force_locale(language):
        return str(TYPES[other.type_name].title)


AUDIENCES = {"next": _next, "owner": _owner, "consulted": _consulted, "decided": _decided, "members": _members}


def init_app(app) -> None:
    """Listen to the engine's transitions and the publication step (once per process)."""
    transition_fired.connect(on_transition, weak=False)
    publication.published.connect(on_published, weak=False)
