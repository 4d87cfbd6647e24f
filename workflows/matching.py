"""Partner suggestions: for a company, the companies of the other country that fit it, and why (pure rules)."""

from dataclasses import dataclass, field

from content_types.company import COMPLEMENTS
from content_types.sectors import division, section

OTHER_COUNTRY = {"DE": "CN", "CN": "DE"}

# How much each kind of fit weighs: a partner in the very same line of business counts most, one in the
# same division (a carmaker for a parts maker) less, and each pair of interests that answer each other
# (one seeks what the other offers) as much as the same division.
SAME_SECTOR = 3
SAME_DIVISION = 2
SAME_SECTION = 1
ANSWERED_INTEREST = 2


@dataclass(frozen=True)
class Reason:
    """One field that matched: `sector` (how close) or `interests` (which interest answers which)."""

    field: str
    kind: str
    ours: str = ""
    theirs: str = ""


@dataclass
class Suggestion:
    """A suggested partner with its score and the reasons it was suggested."""

    company: object
    score: int = 0
    reasons: list[Reason] = field(default_factory=list)


def sector_fit(ours: str | None, theirs: str | None) -> Reason | None:
    """Return how close two NACE codes are (same code, division or section), or None."""
    if not ours or not theirs:
        return None
    if ours == theirs:
        return Reason("sector", "same_sector", ours, theirs)
    if division(ours) == division(theirs):
        return Reason("sector", "same_division", ours, theirs)
    if section(ours) == section(theirs):
        return Reason("sector", "same_section", ours, theirs)
    return None


def answered_interests(ours, theirs) -> list[Reason]:
    """Return each of our interests that the other company's interests answer (seeks ↔ offers)."""
    theirs = set(theirs or ())
    return [
        Reason("interests", "answers", interest, COMPLEMENTS[interest])
        for interest in ours or ()
        if COMPLEMENTS.get(interest) in theirs
    ]


_SECTOR_WEIGHT = {"same_sector": SAME_SECTOR, "same_division": SAME_DIVISION, "same_section": SAME_SECTION}


def score(company, candidate) -> Suggestion | None:
    """Return `candidate` as a suggestion for `company`, or None if it is no partner (same country, nothing fits)."""
    if candidate.pk == company.pk or OTHER_COUNTRY.get(company.country) != candidate.country:
        return None
    reasons = []
    closeness = sector_fit(company.sector, candidate.sector)
    if closeness:
        reasons.append(closeness)
    reasons.extend(answered_interests(company.interests, candidate.interests))
    # A partner in another line of business is suggested only if the interests answer each other.
    if not reasons or (closeness is None and not any(reason.field == "interests" for reason in reasons)):
        return None
    points = sum(_SECTOR_WEIGHT.get(reason.kind, ANSWERED_INTEREST) for reason in reasons)
    return Suggestion(candidate, points, reasons)


def suggest(company, candidates, limit: int = 10) -> list[Suggestion]:
    """Return up to `limit` partners for `company` among `candidates`, best first (then by name)."""
    found = [suggestion for candidate in candidates if (suggestion := score(company, candidate))]
    found.sort(key=lambda suggestion: (-suggestion.score, suggestion.company.title or ""))
    return found[:limit]
