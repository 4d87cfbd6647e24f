"""Partner suggestions as pure rules: no app, no database."""

from types import SimpleNamespace

from workflows.matching import Reason, answered_interests, score, sector_fit, suggest


def _company(pk, country, sector, interests=(), title=None):
    return SimpleNamespace(pk=pk, country=country, sector=sector, interests=list(interests), title=title or str(pk))


def test_sectors_fit_by_code_then_division_then_section():
    assert sector_fit("C29.3", "C29.3").kind == "same_sector"
    assert sector_fit("C29.3", "C29.1").kind == "same_division"
    assert sector_fit("C29.3", "C28").kind == "same_section"
    assert sector_fit("C29.3", "J") is None and sector_fit(None, "J") is None


def test_interests_answer_their_counterparts_only():
    reasons = answered_interests(["sales_partners", "technology_offered", "research"], ["suppliers", "research"])
    assert reasons == [
        Reason("interests", "answers", "sales_partners", "suppliers"),
        Reason("interests", "answers", "research", "research"),
    ]
    assert answered_interests(["sales_partners"], ["sales_partners"]) == []


def test_a_partner_is_in_the_other_country_and_fits_by_sector_or_interests():
    supplier = _company(1, "DE", "C29.3", ["sales_partners"])
    assert score(supplier, _company(2, "DE", "C29.3", ["suppliers"])) is None  # same country
    assert score(supplier, supplier) is None
    assert score(supplier, _company(3, "CN", "J", ["research"])) is None  # nothing fits
    by_interest = score(supplier, _company(4, "CN", "J", ["suppliers"]))
    assert by_interest.score == 2 and [reason.field for reason in by_interest.reasons] == ["interests"]
    by_both = score(supplier, _company(5, "CN", "C29.1", ["suppliers"]))
    assert by_both.score == 4 and [reason.kind for reason in by_both.reasons] == ["same_division", "answers"]


def test_suggestions_come_best_first_and_are_limited():
    carmaker = _company(1, "CN", "C29.1", ["suppliers", "technology_sought"])
    candidates = [
        _company(2, "DE", "C28", title="Maschinen"),
        _company(3, "DE", "C29.3", ["sales_partners", "technology_offered"], title="Zulieferer"),
        _company(4, "DE", "C29.1", title="Autobauer"),
        _company(5, "CN", "C29.3", ["sales_partners"], title="Nachbar"),
    ]
    found = suggest(carmaker, candidates, limit=2)
    assert [suggestion.company.title for suggestion in found] == ["Zulieferer", "Autobauer"]
    assert [suggestion.score for suggestion in found] == [6, 3]
