"""The staff dashboard's charts of the cooperation projects: the pipeline by quarter, stages, city pairs, sectors."""

from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _

from cms.exports import charts
from cms.exports.statistics import figures
from cms.security import can
from content_types.base import utcnow
from content_types.company import STAGE_TITLES, STAGES
from workflows.permissions import ACCESS_ADMIN

# How far back the pipeline chart looks, in quarters (this one included).
QUARTERS_SHOWN = 8


def first_shown_quarter(today: date) -> date:
    """Return the first day of the quarter QUARTERS_SHOWN - 1 quarters before `today`'s."""
    index = today.year * 4 + (today.month - 1) // 3 - (QUARTERS_SHOWN - 1)
    return date(index // 4, (index % 4) * 3 + 1, 1)


def project_charts(user) -> dict | None:
    """Return the dashboard's project charts (each an SVG with its table), for staff only; None for anyone else."""
    if not can(user, ACCESS_ADMIN):
        return None
    today = utcnow().date()
    shown = figures(first_shown_quarter(today), today, str(get_locale() or "de"))
    stages = [str(STAGE_TITLES[stage]) for stage in STAGES]
    pipeline = charts.stacked_columns(
        "chart-pipeline",
        _("Projects by stage, quarter by quarter"),
        _("Stacked columns: for each quarter, how many published projects were in each stage at its end."),
        shown.by_quarter,
        stages,
    )
    by_stage = [(title, count) for _code, title, count in shown.by_stage]
    by_pair = [(f"{german} – {chinese}", count) for german, chinese, count in shown.by_city_pair]
    by_sector = [(title, count) for _code, title, count in shown.by_sector]
    return {
        "total": shown.total,
        "charts": [
            {
                "id": "chart-pipeline",
                "title": _("Project pipeline"),
                "svg": pipeline,
                "header": [_("Quarter"), *stages],
                "rows": [[label, *values] for label, values in shown.by_quarter],
            },
            _bars("chart-stages", _("Projects by stage now"), _("Stage"), by_stage),
            _bars("chart-city-pairs", _("Projects by city pair"), _("City pair"), by_pair),
            _bars("chart-sectors", _("Projects by sector of their companies"), _("Sector"), by_sector),
        ],
    }


def _bars(chart_id: str, title: str, what: str, rows: list[tuple[str, int]]) -> dict:
    description = _("Horizontal bars: the number of published projects per %(what)s.", what=what)
    return {
        "id": chart_id,
        "title": title,
        "svg": charts.bar_chart(chart_id, title, description, rows),
        "header": [what, _("Projects")],
        "rows": [[label, count] for label, count in rows],
    }
