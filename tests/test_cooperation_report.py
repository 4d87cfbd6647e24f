"""The report to member cities and agencies: compiled from the data into a PDF, published like any document."""

from datetime import date

import pytest

from cms.exports.statistics import figures
from cms.operations.reports import compile_report
from cms.versions import bucket, versions_of
from content_types import Attachment, AuditEntry, Content
from content_types.refusals import NotAllowed
from tests.company_data import make_company_database
from tests.conftest import csrf_token_from, logged_in
from tests.pdf_text import pdf_lines
from workflows import engine


@pytest.fixture
def database(app, create_item, city):
    return make_company_database(create_item, city)


@pytest.fixture
def report(create_item, users, database):
    return create_item(
        "cooperation_report",
        owner=users["editor"],
        title="Bericht an Mitgliedsstädte und Agenturen 2026",
        language="en",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 9, 30),
        body="<p>Dear member cities, here are the projects.</p>",
    )


def _compile_in_the_admin(app, user, report):
    client = logged_in(app, user)
    page = client.get(f"/admin/content_cooperation_report/workflow/?id={report.pk}").get_data(as_text=True)
    assert "Compile the report" in page
    return client.post(
        "/admin/content_cooperation_report/compile-report/",
        data={"id": str(report.pk), "csrf_token": csrf_token_from(page)},
    )


def _pdf_of(attachment: Attachment) -> list[str]:
    return pdf_lines(attachment.file.read())


def test_the_secretariat_compiles_the_report_and_its_pdf_carries_the_numbers(app, users, report):
    response = _compile_in_the_admin(app, users["editor"], report)
    assert response.status_code == 303
    files = list(Attachment.objects(item=report.pk))
    assert [file.name for file in files] == ["report-2026-01-01-2026-09-30-en.pdf"]
    lines = _pdf_of(files[0])
    text = "\n".join(lines)
    assert (
        "Bericht an Mitgliedsstädte und Agenturen 2026" in lines
        and "Dear member cities, here are the projects." in text
    )
    # Three published projects; the draft (Aachen–Foshan, agreed, 99,999,999 EUR) is never counted.
    assert lines[lines.index("Projects in the period") + 1] == "3"
    assert lines[lines.index("Of these, begun in the period") + 1] == "2"
    assert lines[lines.index("Volume in EUR") + 1] == "12,800,000" and "99,999,999" not in text
    assert lines[lines.index("Volume in CNY") + 1] == "2,500,000"
    stages = lines.index("Projects by stage at the end of the period")
    assert lines[stages + 3 : stages + 7] == ["Idea", "1", "In talks", "1"]
    assert lines[lines.index("Agreed", stages) + 1] == "0"
    assert lines[lines.index("Aachen – Foshan") + 1] == "1" and lines[lines.index("Wuppertal – Hefei") + 1] == "1"
    assert "2026 Q1" in lines and "2026 Q3" in lines
    stored = Content.objects.get(pk=report.pk)
    assert stored.revision == report.revision + 1 and stored.compiled_attachment == files[0].pk
    entry = AuditEntry.objects.get(event="report_compiled")
    assert entry.actor_email == users["editor"].email and entry.facts["projects"] == 3


def test_compiling_again_replaces_the_earlier_pdf(app, users, report, create_item, city):
    with app.test_request_context("/", method="POST"):
        first = compile_report(users["editor"], report)
        create_item("cooperation_project", title="Neu", german_city=city("Aachen"), chinese_city=city("Foshan"))
        report.reload()
        second = compile_report(users["editor"], report)
    assert [file.pk for file in Attachment.objects(item=report.pk)] == [second.pk] and first.pk != second.pk
    assert Content.objects.get(pk=report.pk).revision == report.revision


def test_only_those_who_may_change_the_report_compile_it(app, users, report):
    for who in ("member", "reviewer", "approver"):
        with app.test_request_context("/", method="POST"):
            with pytest.raises(NotAllowed):
                compile_report(users[who], report)
    assert Attachment.objects(item=report.pk).count() == 0
    page = logged_in(app, users["reviewer"]).get(f"/admin/content_cooperation_report/workflow/?id={report.pk}")
    assert page.status_code == 200 and "Compile the report" not in page.get_data(as_text=True)
    member = logged_in(app, users["member"])
    refused = member.post("/admin/content_cooperation_report/compile-report/", data={"id": str(report.pk)})
    assert refused.status_code == 403


def test_publishing_freezes_a_version_with_the_compiled_pdf_and_lists_it_with_the_documents(app, users, report, client):
    with app.test_request_context("/", method="POST"):
        compile_report(users["editor"], report)
        engine.fire(users["editor"], Content.objects.get(pk=report.pk), "submit")
        published = engine.fire(users["reviewer"], Content.objects.get(pk=report.pk), "publish")
    assert published.state == "published"
    (version,) = versions_of(published)
    names = [file.name for file in version.files]
    assert "report-2026-01-01-2026-09-30-en.pdf" in names
    frozen = next(file for file in version.files if file.name.startswith("report-"))
    assert "Projects in the period" in pdf_lines(bucket().get(frozen.file_id).read())
    # Once published it is frozen: no more compiling.
    with app.test_request_context("/", method="POST"), pytest.raises(NotAllowed):
        compile_report(users["editor"], published)
    listed = logged_in(app, users["member"]).get("/en/documents").get_data(as_text=True)
    assert "Bericht an Mitgliedsstädte und Agenturen 2026" in listed


def test_the_figures_in_chinese_name_the_cities_in_chinese(app, database):
    with app.test_request_context("/zh/"):
        shown = figures(date(2026, 1, 1), date(2026, 12, 31), "zh")
    assert ("亚琛", "佛山", 1) in shown.by_city_pair


def test_the_report_command_writes_the_pdf_in_the_language_asked_for(app, database, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from cms.cli import main

    monkeypatch.setenv("CMS_MONGODB_URI", app.config["CMS_MONGODB_URI"])
    monkeypatch.setenv("CMS_SECRET_KEY", app.config["SECRET_KEY"])
    monkeypatch.setenv("CMS_DATA_DIR", app.config["CMS_DATA_DIR"])
    out = tmp_path / "bericht.pdf"
    arguments = ["report", "--from", "2026-01-01", "--to", "2026-09-30", "--language", "zh", "--out", str(out)]
    result = CliRunner().invoke(main, arguments, catch_exceptions=False)
    assert result.exit_code == 0 and "3 projects" in result.output
    lines = pdf_lines(out.read_bytes())
    assert "亚琛 – 佛山" in lines and "12,800,000" in lines
    backwards = CliRunner().invoke(main, ["report", "--from", "2026-09-30", "--to", "2026-01-01", "--out", str(out)])
    assert backwards.exit_code == 2 and "ends before it starts" in backwards.output
