"""The company database's reads: a company's partner suggestions, explained, among what the caller may see."""

from flask_babel import gettext as _

from cms.security import permitted_query
from content_types import Company
from content_types.company import COMPLEMENTS, INTEREST_TITLES
from content_types.refusals import NotPossible
from content_types.sectors import SECTORS, section, sector_title
from workflows.matching import OTHER_COUNTRY, Reason, Suggestion, suggest
from workflows.permissions import VIEW

# Enough candidates to rank; the partners shown are the best ten.
CANDIDATE_LIMIT = 3000
_CANDIDATE_FIELDS = ("title", "name_de", "name_zh", "name_en", "city", "country", "sector", "interests", "size")


def partner_suggestions(user, company: Company, limit: int = 10) -> list[Suggestion]:
    """Return the partners suggested for `company` among the companies `user` may view, best first."""
    if not isinstance(company, Company):
        raise NotPossible(_("Partners are suggested for companies only."))
    other = OTHER_COUNTRY.get(company.country)
    if other is None:
        return []
    # The candidates: the other country's companies of the same section, or with an interest answering ours.
    same_section = [code for code in SECTORS if section(code) == section(company.sector or "")]
    answering = sorted({COMPLEMENTS[interest] for interest in company.interests or ()})
    fits = [{"sector": {"$in": same_section}}]
    if answering:
        fits.append({"interests": {"$in": answering}})
    query = {"$and": [permitted_query(user, VIEW, [Company.type_name]), {"country": other}, {"$or": fits}]}
    candidates = Company.objects(__raw__=query).only(*_CANDIDATE_FIELDS).order_by()[:CANDIDATE_LIMIT]
    return suggest(company, candidates, limit)


def explain(reason: Reason) -> str:
    """Return one reason a partner was suggested, in the reader's language."""
    if reason.field == "interests":
        return _(
            "%(ours)s – they: %(theirs)s",
            ours=INTEREST_TITLES[reason.ours],
            theirs=INTEREST_TITLES[reason.theirs],
        )
    if reason.kind == "same_sector":
        return _("Same sector: %(sector)s", sector=sector_title(reason.theirs))
    if reason.kind == "same_division":
        return _("Neighbouring sector: %(sector)s", sector=sector_title(reason.theirs))
    return _("Same branch of industry: %(sector)s", sector=sector_title(reason.theirs))
