"""The projects counted by stage, sector, city pair and quarter, and the staff dashboard's charts of them."""

import re
from datetime import date, datetime

import pytest

from cms.exports import statistics
from cms.exports.charts import bar_chart, stacked_columns
from cms.exports.dashboard_charts import first_shown_quarter
from tests.company_data import make_company_database
from tests.conftest import logged_in


def _history(*changes):
    return [{"stage": stage, "since": datetime.fromisoformat(since)} for stage, since in changes]


# Pure rules: no app, no database.


def test_a_projects_stage_at_a_moment_is_the_last_it_entered_before():
    history = _history(("idea", "2026-01-10"), ("talks", "2026-04-01"), ("running", "2026-08-01"))
    assert statistics.stage_at(history, datetime(2026, 1, 1)) is None
    assert statistics.stage_at(history, datetime(2026, 4, 1)) == "idea"
    assert statistics.stage_at(history, datetime(2026, 7, 1)) == "talks"
    assert statistics.stage_at(history, datetime(2027, 1, 1)) == "running"


@pytest.mark.parametrize(
    "history, expected",
    [
        (_history(("idea", "2026-02-01")), True),
        (_history(("idea", "2027-02-01")), False),  # begun after the period
        (_history(("idea", "2025-02-01"), ("dropped", "2025-06-01")), False),  # closed before it
        (_history(("idea", "2025-02-01"), ("completed", "2026-03-01")), True),  # closed within it
    ],
)
def test_a_period_counts_the_projects_begun_by_its_end_and_not_closed_before_it(history, expected):
    assert statistics.counted(history, datetime(2026, 1, 1), datetime(2027, 1, 1)) is expected


def test_quarters_run_from_the_starts_to_the_ends():
    found = statistics.quarters(date(2025, 11, 5), date(2026, 7, 1))
    assert [label for label, _after in found] == ["2025 Q4", "2026 Q1", "2026 Q2", "2026 Q3"]
    assert found[0][1] == datetime(2026, 1, 1) and found[-1][1] == datetime(2026, 10, 1)
    assert first_shown_quarter(date(2026, 11, 26)) == date(2025, 1, 1)


def test_charts_escape_their_texts_and_use_no_style_attribute():
    svg = str(bar_chart("c", "<b>Titel</b>", "desc & more", [("<script>x</script>", 3), ("Aachen – Foshan", 1)]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;b&gt;Titel&lt;/b&gt;" in svg
    assert 'role="img"' in svg and '<title id="c-title">' in svg and "style=" not in svg
    columns = str(stacked_columns("p", "Pipeline", "d", [("2026 Q1", [1, 2]), ("2026 Q2", [0, 4])], ["Idea", "Talks"]))
    assert columns.count("<rect") == 3 + 2 and "style=" not in columns  # three bars (a zero draws none), two keys


# With data.


@pytest.fixture
def database(app, create_item, city):
    return make_company_database(create_item, city)


def test_the_figures_count_published_projects_only(app, database):
    with app.test_request_context("/en/"):
        shown = statistics.figures(date(2026, 1, 1), date(2026, 9, 30), "en")
    assert shown.total == 3 and shown.new == 2  # the draft project is never counted; one began in 2025
    assert {code: count for code, _title, count in shown.by_stage} == {
        "idea": 1,
        "talks": 1,
        "agreed": 0,
        "running": 1,
        "completed": 0,
        "dropped": 0,
    }
    assert [(german, chinese, count) for german, chinese, count in shown.by_city_pair] == [
        ("Aachen", "Foshan", 1),
        ("Aachen", "Hefei", 1),
        ("Wuppertal", "Hefei", 1),
    ]
    # Each project once per sector of its published companies (not the draft company's).
    assert {code: count for code, _title, count in shown.by_sector} == {"C29.3": 2, "C27": 2, "C28": 1}
    labels = [label for label, _counts in shown.by_quarter]
    assert labels == ["2026 Q1", "2026 Q2", "2026 Q3"]
    # At the end of 2026 Q1: drives agreed (since March), machines an idea; battery research not begun.
    assert dict(zip(("idea", "talks", "agreed", "running"), shown.by_quarter[0][1])) == {
        "idea": 1,
        "talks": 0,
        "agreed": 1,
        "running": 0,
    }
    assert shown.volume == [("CNY", 2_500_000), ("EUR", 12_800_000)]


def test_staff_see_the_project_charts_on_their_dashboard(app, users, database):
    page = logged_in(app, users["editor"]).get("/admin/").get_data(as_text=True)
    section = page[page.index('id="project-charts"') :]
    assert section.count('<svg xmlns="http://www.w3.org/2000/svg"') == 4
    assert 'id="chart-pipeline"' in section and "<desc id=" in section and "<figcaption" in section
    svgs = re.findall(r"<svg.*?</svg>", section, re.S)
    assert not any("style=" in svg for svg in svgs)
    # The city pairs' table carries the numbers the chart draws.
    assert re.search(r"<th scope=\"row\">Aachen – Foshan</th><td>1</td>", section)
    # The draft project (also Aachen – Foshan) is not counted.


def test_nobody_else_gets_the_charts(app, users, database):
    from cms.exports.dashboard_charts import project_charts

    assert logged_in(app, users["member"]).get("/admin/").status_code == 403
    with app.test_request_context("/admin/"):
        assert project_charts(users["member"]) is None and project_charts(None) is None


def test_long_labels_are_cut_to_fit_beside_the_bars():
    from cms.exports.charts import fitted

    assert fitted("Aachen – Foshan", 28) == "Aachen – Foshan"
    assert fitted("C29.3 Parts and accessories for motor vehicles", 28) == "C29.3 Parts and accessories…"
    assert fitted("佛山汽车零部件有限公司佛山汽车零部件有限公司", 10) == "佛山汽车…"
