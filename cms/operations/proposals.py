"""Proposals: a member city's representative sends the secretariat a work plan topic, an event or a news item."""

from cms import audit
from cms.operations import refuse_unless
from cms.revisions import record_revision
from cms.security import can, permitted_query
from content_types import Proposal
from content_types.validation import validate
from workflows import engine
from workflows.permissions import PROPOSE, VIEW


def may_propose(user) -> bool:
    """Whether `user` may send proposals (a representative of a member city)."""
    return can(user, PROPOSE)


def send_proposal(user, kind: str, title: str, body: str, language: str) -> Proposal:
    """Store a proposal from the user's city in the secretariat's review, owned by the user (raises Invalid)."""
    refuse_unless(may_propose(user), user, None, "propose")
    proposal = Proposal(kind=kind, title=(title or "").strip(), body=body or "", language=language)
    proposal.owner = user
    proposal.city = user.city
    engine.initialize(proposal)
    # Validation (kind, title, language, the body's sanitising) is the type's own, as for any item.
    validate(proposal)
    proposal.save_revision()
    record_revision(proposal, user)
    audit.record("create", user, proposal, "proposal_sent", kind=kind)
    return proposal


def visible_proposals(user):
    """Return the proposals `user` may see, newest first: their own, or all for staff."""
    return Proposal.objects(__raw__=permitted_query(user, VIEW, [Proposal.type_name])).order_by("-created")
