"""The cooperation projects of a period counted: by stage, by the companies' sectors, by city pair, by quarter.

Only released projects count (what member cities may read; a draft or a
project in review never does), and of their companies only released ones
give a sector. A project's stage at a moment is read from its stage history:
the last stage it entered by then. A project is in a period's figures once it
has entered a stage by the period's end, unless it was completed or dropped
before the period began.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _

from cms.listing import in_states
from content_types import Company, CooperationProject, MemberCity
from content_types.company import STAGE_TITLES, STAGES
from content_types.sectors import SECTORS

CLOSED_STAGES = ("completed", "dropped")
# The longest run of quarters a pipeline chart shows (ten years).
MAX_QUARTERS = 40
NO_SECTOR = ""


@dataclass
class Figures:
    """What the report and the dashboard show of a period's projects."""

    period_start: date
    period_end: date
    total: int = 0
    # Entered their first stage within the period.
    new: int = 0
    by_stage: list[tuple[str, str, int]] = field(default_factory=list)
    by_sector: list[tuple[str, str, int]] = field(default_factory=list)
    by_city_pair: list[tuple[str, str, int]] = field(default_factory=list)
    # (label "2026 Q1", [count per stage in STAGES order]) for each quarter up to the period's end.
    by_quarter: list[tuple[str, list[int]]] = field(default_factory=list)
    volume: list[tuple[str, int]] = field(default_factory=list)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min)


def _end_of(day: date) -> datetime:
    # The first moment after `day` (history times are compared with it exclusively).
    return datetime.combine(day + timedelta(days=1), time.min)


def stage_at(history: list[dict], moment: datetime) -> str | None:
    """Return the stage a project was in just before `moment` (the last one it entered before it), or None."""
    entered = [entry for entry in history if entry.get("since") and entry["since"] < moment]
    return max(entered, key=lambda entry: entry["since"])["stage"] if entered else None


def counted(history: list[dict], start: datetime, end: datetime) -> bool:
    """Whether a project belongs to the period [start, end): begun by its end, not closed before its start."""
    stage = stage_at(history, end)
    if stage is None:
        return False
    changed_within = any(start <= entry["since"] < end for entry in history if entry.get("since"))
    return stage not in CLOSED_STAGES or changed_within or stage_at(history, start) not in CLOSED_STAGES


def quarters(start: date, end: date) -> list[tuple[str, datetime]]:
    """Return (label, the moment after its last day) of each quarter from `start`'s to `end`'s, MAX_QUARTERS at most."""
    year, quarter = start.year, (start.month - 1) // 3 + 1
    found = []
    while (year, quarter) <= (end.year, (end.month - 1) // 3 + 1):
        after = datetime(year + 1, 1, 1) if quarter == 4 else datetime(year, quarter * 3 + 1, 1)
        found.append((f"{year} Q{quarter}", after))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return found[-MAX_QUARTERS:]


def released_projects() -> list[dict]:
    """Return the released projects as stored documents (only the fields the figures read)."""
    fields = ("stage_history", "german_city", "chinese_city", "german_companies", "chinese_companies")
    query = in_states([CooperationProject.type_name], "released")
    return list(CooperationProject._get_collection().find(query, {name: 1 for name in (*fields, "volume", "currency")}))


def company_sectors(ids) -> dict:
    """Return {id: sector} of the released companies among `ids`."""
    query = {"$and": [in_states([Company.type_name], "released"), {"_id": {"$in": list(ids)}}]}
    return {
        document["_id"]: document.get("sector") for document in Company._get_collection().find(query, {"sector": 1})
    }


def figures(period_start: date, period_end: date, language: str, projects: list[dict] | None = None) -> Figures:
    """Return the figures of the released projects in the period, city names in `language`."""
    start, end = _start_of(period_start), _end_of(period_end)
    projects = [
        project
        for project in (released_projects() if projects is None else projects)
        if counted(project.get("stage_history") or [], start, end)
    ]
    result = Figures(period_start, period_end, total=len(projects))
    result.new = sum(1 for project in projects if start <= min(e["since"] for e in project["stage_history"]) < end)
    stages = Counter(stage_at(project["stage_history"], end) for project in projects)
    result.by_stage = [(stage, str(STAGE_TITLES[stage]), stages[stage]) for stage in STAGES]
    result.by_sector = _by_sector(projects)
    result.by_city_pair = _by_city_pair(projects, language)
    result.by_quarter = [(label, _stage_counts(projects, after)) for label, after in quarters(period_start, period_end)]
    volumes = Counter()
    for project in projects:
        if project.get("volume"):
            volumes[project.get("currency") or "EUR"] += project["volume"]
    result.volume = sorted(volumes.items())
    return result


def _stage_counts(projects: list[dict], moment: datetime) -> list[int]:
    stages = Counter(stage_at(project["stage_history"], moment) for project in projects)
    return [stages[stage] for stage in STAGES]


def _by_sector(projects: list[dict]) -> list[tuple[str, str, int]]:
    # Each project once per sector among its companies; one without a (released) company counts as "not given".
    companies = {c for p in projects for side in ("german", "chinese") for c in p.get(f"{side}_companies") or ()}
    sectors = company_sectors(companies) if companies else {}
    counts = Counter()
    for project in projects:
        own = {
            sectors[company]
            for side in ("german", "chinese")
            for company in project.get(f"{side}_companies") or ()
            if sectors.get(company)
        }
        counts.update(own or {NO_SECTOR})
    rows = [(code, _sector_title(code), count) for code, count in counts.items()]
    return sorted(rows, key=lambda row: (-row[2], row[0] or "~"))


def _sector_title(code: str) -> str:
    return f"{code} {SECTORS[code]}" if code in SECTORS else _("Sector not given")


def _by_city_pair(projects: list[dict], language: str) -> list[tuple[str, str, int]]:
    cities = {city.pk: city.name(language) for city in MemberCity.objects.only("id", "name_de", "name_zh", "name_en")}
    pairs = Counter((project.get("german_city"), project.get("chinese_city")) for project in projects)
    rows = [(cities.get(german, "?"), cities.get(chinese, "?"), count) for (german, chinese), count in pairs.items()]
    return sorted(rows, key=lambda row: (-row[2], row[0], row[1]))
