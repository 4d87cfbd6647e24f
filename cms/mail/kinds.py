"""The kinds of mail the CMS sends: each a subject, a text and an HTML template, and sample data for previews.

A kind's templates are `mail/<name>.txt` and `mail/<name>.html`; they are rendered
in the recipient's language with plain values (strings, links, lists), never
documents, so that a preview with sample data renders exactly what is sent.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask import render_template
from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Kind:
    """A kind of mail: its name (and templates), its title, how its subject reads, and sample data."""

    name: str
    title: object
    subject: Callable[[dict], str]
    sample: Callable[[], dict] = field(default=dict)
    # Formal messages of the alliance (circulars to contact persons): always sent at once, never unsubscribed.
    mandatory: bool = False
    # Sent to accounts, whose owners choose between at once and the daily digest (not: subscribers).
    to_accounts: bool = True


@dataclass(frozen=True)
class Rendered:
    """A message as its recipient reads it."""

    subject: str
    text: str
    html: str


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add `kind` to the registry (a second kind of the same name is a programming error)."""
    if kind.name in KINDS:
        raise ValueError(f"mail kind {kind.name!r} registered twice")
    KINDS[kind.name] = kind
    return kind


def render(name: str, language: str, context: dict) -> Rendered:
    """Render the mail of kind `name` in `language` with `context`."""
    kind = KINDS[name]
    with force_locale(language):
        values = {**context, "language": language, "kind": kind}
        return Rendered(
            subject=" ".join(str(kind.subject(context)).split())[:400],
            text=render_template(f"mail/{name}.txt", **values),
            html=render_template(f"mail/{name}.html", **values),
        )


def preview(name: str, language: str) -> Rendered:
    """Render the mail of kind `name` in `language` with its sample data (the sample's words in that language too)."""
    with force_locale(language):
        sample = KINDS[name].sample()
    return render(name, language, sample)


_LINK = "https://alliance.example/de/documents/0123456789abcdef01234567"


def _application_sample() -> dict:
    return {"applicant": "Hannover", "city": "Aachen", "title": _("Application of Hannover"), "link": _LINK}


register(
    Kind(
        name="circular",
        title=_l("Circular to the member cities"),
        subject=lambda c: _("Circular %(number)s: %(subject)s", number=c["number"], subject=c["subject"]),
        sample=lambda: {
            "number": "2026/07",
            "subject": _("Work plan 2027"),
            "title": _("For the member cities: Work plan 2027"),
            "body_text": _("The annual meeting approved this document. It is attached as version 1."),
            "city": "Aachen",
            "link": _LINK,
            "files": ["work-plan-2027-v1.pdf"],
        },
        mandatory=True,
    )
)
register(
    Kind(
        name="work_waiting",
        title=_l("A document waits for you"),
        subject=lambda c: _("Waiting for you: %(title)s", title=c["title"]),
        sample=lambda: {
            "title": _("Work plan 2027"),
            "type_title": _("Work plan"),
            "state_title": _("In review"),
            "steps": [_("Reject"), _("Put on the agenda")],
            "actor_name": "editor@alliance.example",
            "comment": "",
            "link": _LINK,
        },
    )
)
register(
    Kind(
        name="step_taken",
        title=_l("A step on your document"),
        subject=lambda c: _("%(step)s: %(title)s", step=c["step_title"], title=c["title"]),
        sample=lambda: {
            "title": _("Work plan 2027"),
            "type_title": _("Work plan"),
            "step_title": _("Reject"),
            "state_title": _("Draft"),
            "actor_name": "reviewer@alliance.example",
            "comment": _("Please add the budget table."),
            "link": _LINK,
        },
    )
)
register(
    Kind(
        name="consultation",
        title=_l("Your city's decision on a membership application"),
        subject=lambda c: _(
            "Your decision is requested: %(applicant)s applies for membership", applicant=c["applicant"]
        ),
        sample=_application_sample,
        mandatory=True,
    )
)
register(
    Kind(
        name="consent_reminder",
        title=_l("Reminder: your city's decision is still missing"),
        subject=lambda c: _("Reminder: your decision on %(applicant)s's application", applicant=c["applicant"]),
        sample=_application_sample,
        mandatory=True,
    )
)
register(
    Kind(
        name="application_decided",
        title=_l("A membership application was decided"),
        subject=lambda c: (
            _("Accepted: the membership application of %(applicant)s", applicant=c["applicant"])
            if c["accepted"]
            else _("Rejected: the membership application of %(applicant)s", applicant=c["applicant"])
        ),
        sample=lambda: {
            "applicant": "Hannover",
            "accepted": False,
            "objecting": ["Aachen"],
            "title": _("Application of Hannover"),
            "link": _LINK,
        },
    )
)
register(
    Kind(
        name="meeting_announced",
        title=_l("A meeting was announced"),
        subject=lambda c: _("Meeting announced: %(title)s", title=c["title"]),
        sample=lambda: {
            "title": _("Annual meeting 2026"),
            "starts": "2026-11-12",
            "place": "Foshan",
            "agenda": [_("Work plan 2027"), _("Application of Hannover")],
            "link": _LINK,
        },
        mandatory=True,
    )
)
register(
    Kind(
        name="application_confirm",
        title=_l("Confirm your membership application"),
        subject=lambda c: _("Please confirm the membership application of %(applicant)s", applicant=c["applicant"]),
        sample=lambda: {
            "applicant": "Hannover",
            "contact_name": "Erika Mustermann",
            "until": "2026-05-09",
            "confirm_link": "https://alliance.example/de/apply/confirm/sample-token",
        },
        # The applicant asked for it; without it their application never reaches the secretariat.
        mandatory=True,
    )
)
register(
    Kind(
        name="application_received",
        title=_l("A new membership application"),
        subject=lambda c: _("New membership application: %(applicant)s", applicant=c["applicant"]),
        sample=lambda: {
            "applicant": "Hannover",
            "country": _("Germany"),
            "title": _("Membership application of %(city)s", city="Hannover"),
            "contact_name": "Erika Mustermann",
            "contact_email": "erika.mustermann@hannover.example",
            "link": _LINK,
        },
    )
)


def _digest_sample() -> dict:
    return {
        "day": date(2026, 5, 4),
        "entries": [
            {
                "title": str(_l("A document waits for you")),
                "subject": _("Waiting for you: %(title)s", title=_("Work plan 2027")),
                "time": "09:12 UTC",
                "text": _("Work plan 2027") + "\n" + _LINK,
            },
            {
                "title": str(_l("A step on your document")),
                "subject": _("%(step)s: %(title)s", step=_("Reject"), title=_("Work plan 2027")),
                "time": "15:40 UTC",
                "text": _("Please add the budget table.") + "\n" + _LINK,
            },
        ],
        "settings_link": "https://alliance.example/en/members/notifications",
    }


def _newsletter_sample() -> dict:
    return {
        "title": _("Newsletter 2/2026"),
        "period_start": date(2026, 7, 1),
        "period_end": date(2026, 12, 31),
        "intro": [_("The second half of the year brought two meetings and a new member city.")],
        "news": [
            {
                "title": _("Annual meeting 2026 in Foshan"),
                "summary": _("The member cities approved the work plan 2027."),
                "date": date(2026, 11, 13),
                "link": _LINK,
            }
        ],
        "issue_language": "",
        "issue_link": _LINK,
        "unsubscribe_link": "https://alliance.example/de/newsletter/unsubscribe/sample",
    }


register(
    Kind(
        name="digest",
        title=_l("Your daily digest"),
        subject=lambda c: ngettext(
            "Your daily digest of %(day)s: %(num)d message",
            "Your daily digest of %(day)s: %(num)d messages",
            len(c["entries"]),
            day=format_date(c["day"], "long"),
        ),
        sample=_digest_sample,
    )
)
register(
    Kind(
        name="newsletter_confirmation",
        title=_l("Confirm your newsletter subscription"),
        subject=lambda c: _("Please confirm your subscription to the alliance's newsletter"),
        sample=lambda: {"confirm_link": "https://alliance.example/de/newsletter/confirm/sample", "hours": 72},
        # The reply to a visitor's own request, sent at once: nothing to choose or unsubscribe from.
        mandatory=True,
    )
)
register(
    Kind(
        name="newsletter",
        title=_l("The alliance's newsletter"),
        subject=lambda c: _("Newsletter: %(title)s", title=c["title"]),
        sample=_newsletter_sample,
        # Subscribers unsubscribe by the link in each issue; there is no account to choose a digest in.
        to_accounts=False,
    )
)
