"""One registration per content type (Plone's FTI): its class, names, workflow, and where it is listed.

Every table of type titles, every type → workflow lookup and every list of
the public site derives from this one place.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from content_types import (
    Circular,
    Company,
    Concept,
    Content,
    CooperationProject,
    CooperationReport,
    Declaration,
    Meeting,
    Mou,
    News,
    Newsletter,
    Proposal,
    WorkPlan,
)
from content_types.event import Event
from content_types.leaving import ExclusionMotion, Withdrawal
from content_types.membership import MembershipApplication

# Where the public site and the member area list a type's released items.
DOCUMENTS = "documents"
NEWS = "news"


@dataclass(frozen=True)
class ContentType:
    """A registered content type."""

    cls: type[Content]
    title: str
    plural: str
    # The workflow it follows (Plone's workflow chain).
    workflow: str
    # The public list its released items appear on, or None.
    listed_on: str | None = None
    # Only one item per language is in force: publishing the next archives the earlier.
    one_in_force: bool = False
    # Once published, it is sent to all member cities as a circular with its PDF (the work plan, seed VII).
    sent_as_circular: bool = False
    # Its other languages are items of their own in its translation group; a type that carries its languages in
    # its own fields (a meeting: one item that approvals and agendas point at) is not translated that way.
    translated_as_items: bool = True
    # A member city's representative may file one for their own city (its `city` field), not only the secretariat.
    filed_by_representatives: bool = False
    # A city has at most one open item of the type (one still in a state that a step leaves): a second is refused.
    one_open_per_city: bool = False

    @property
    def name(self) -> str:
        """Return the type's name (`work_plan`), as in the API and the stored documents."""
        return self.cls.type_name


TYPES = {
    registered.name: registered
    for registered in (
        ContentType(Concept, _l("Work concept"), _l("Work concepts"), "meeting_approval", listed_on=DOCUMENTS),
        ContentType(
            WorkPlan,
            _l("Work plan"),
            _l("Work plans"),
            "meeting_approval",
            listed_on=DOCUMENTS,
            one_in_force=True,
            sent_as_circular=True,
        ),
        ContentType(
            Mou, _l("Memorandum of Understanding"), _l("Memoranda of Understanding"), "meeting_approval", DOCUMENTS
        ),
        ContentType(Declaration, _l("Member declaration"), _l("Member declarations"), "meeting_approval", DOCUMENTS),
        ContentType(Circular, _l("Circular"), _l("Circulars"), "secretariat_review", listed_on=DOCUMENTS),
        ContentType(News, _l("News item"), _l("News"), "secretariat_review", listed_on=NEWS),
        # Its issues are listed on the newsletter's own page (cms.public.newsletter), beside the subscription.
        ContentType(Newsletter, _l("Newsletter"), _l("Newsletters"), "secretariat_review"),
        # Listed on the events page and in the iCalendar feed (cms.public.events), not among the documents.
        ContentType(Event, _l("Event"), _l("Events"), "secretariat_review"),
        ContentType(Meeting, _l("Meeting"), _l("Meetings"), "meeting_lifecycle", translated_as_items=False),
        ContentType(Proposal, _l("Proposal"), _l("Proposals"), "proposal_review", translated_as_items=False),
        ContentType(
            Withdrawal,
            _l("Withdrawal"),
            _l("Withdrawals"),
            "withdrawal",
            translated_as_items=False,
            filed_by_representatives=True,
            one_open_per_city=True,
        ),
        ContentType(
            ExclusionMotion, _l("Exclusion motion"), _l("Exclusion motions"), "exclusion", translated_as_items=False
        ),
        ContentType(
            MembershipApplication,
            _l("Membership application"),
            _l("Membership applications"),
            "membership",
            translated_as_items=False,
        ),
        # The company database (seed IV.1): the secretariat checks every entry before member cities see it;
        # a representative proposes entries for their own city, which start as their drafts.
        ContentType(
            Company,
            _l("Company"),
            _l("Companies"),
            "secretariat_review",
            translated_as_items=False,
            filed_by_representatives=True,
        ),
        ContentType(
            CooperationProject,
            _l("Cooperation project"),
            _l("Cooperation projects"),
            "secretariat_review",
            translated_as_items=False,
            filed_by_representatives=True,
        ),
        # Compiled from the projects and companies of a period (cms.operations.reports), published as a document.
        ContentType(
            CooperationReport,
            _l("Report to member cities and agencies"),
            _l("Reports to member cities and agencies"),
            "secretariat_review",
            listed_on=DOCUMENTS,
        ),
    )
}


def listed_on(section: str) -> list[str]:
    """Return the names of the types listed on `section` (DOCUMENTS or NEWS), in registration order."""
    return [name for name, registered in TYPES.items() if registered.listed_on == section]
