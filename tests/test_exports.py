"""Exports of the company database: CSV and XLSX read back equal the stored items, as each caller may see them."""

import csv
import io

import openpyxl
import pytest

from cms.exports import filters
from cms.exports.writers import csv_chunks, guarded, unguarded, write_xlsx
from content_types.refusals import BadRequest
from tests.company_data import make_company_database
from tests.conftest import logged_in

COMPANIES = "/api/v1/exports/companies"
PROJECTS = "/api/v1/exports/projects"


def read_xlsx(data: bytes) -> list[list]:
    """Return an XLSX file's first sheet as rows of values, the guard's apostrophes taken off."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return [[unguarded(value) for value in row] for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_csv(data: bytes) -> list[list]:
    """Return a CSV export's rows (after its byte-order mark), the guard's apostrophes taken off."""
    assert data.startswith(b"\xef\xbb\xbf")
    return [[unguarded(value) for value in row] for row in csv.reader(io.StringIO(data[3:].decode("utf-8")))]


def as_dicts(rows: list[list]) -> dict[str, dict]:
    """Return the rows as {ID: {header: value}}."""
    header = rows[0]
    return {row[-1]: dict(zip(header, row)) for row in rows[1:]}


@pytest.fixture
def database(app, create_item, city):
    return make_company_database(create_item, city)


# Pure rules: no app, no database.


@pytest.mark.parametrize("text", ["=1+1", "+49 241", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_text_that_would_start_a_formula_gets_an_apostrophe(text):
    assert guarded(text) == "'" + text and unguarded(guarded(text)) == text


@pytest.mark.parametrize("value", ["Aachen", "'quoted", 12, None, "李伟"])
def test_other_values_stay_as_they_are(value):
    assert guarded(value) == value


def test_sector_filters_take_a_code_a_division_or_a_section():
    assert filters.sector_codes(["C29"]) == ["C29.1", "C29.2", "C29.3"]
    assert filters.sector_codes(["c29.3"]) == ["C29.3"]
    assert "C10" in filters.sector_codes(["C"]) and "D" not in filters.sector_codes(["C"])
    with pytest.raises(BadRequest):
        filters.sector_codes(["C99"])


@pytest.mark.parametrize(
    "args",
    [
        {"colour": ["red"]},
        {"size": ["huge"]},
        {"interests": ["everything"]},
        {"country": ["FR"]},
        {"q": ["a\x00b"]},
        {"q": ["x" * 201]},
        {"sector": ["$gt"]},
    ],
)
def test_a_bad_company_filter_is_refused_naming_it(args):
    with pytest.raises(BadRequest) as refused:
        filters.company_query(args)
    assert refused.value.details["parameter"] == next(iter(args))


@pytest.mark.parametrize("year", ["26", "0000", "20266", "abcd", "2026,2027"])
def test_a_project_year_is_one_four_digit_year(year):
    with pytest.raises(BadRequest):
        filters.project_query({"year": [year]})


def test_filters_match_any_of_their_values_and_all_filters_together():
    query = filters.company_query({"size": ["small,medium"], "interests": ["joint_venture"], "lang": ["de"]})
    assert query == {"$and": [{"interests": {"$in": ["joint_venture"]}}, {"size": {"$in": ["small", "medium"]}}]}
    # The search text is folded and escaped: a regular expression's characters are only characters.
    assert filters.company_query({"q": ["Köln (a+)+$"]}) == {"search_text": {"$regex": r"koeln\ \(a\+\)\+\$"}}


def test_a_written_xlsx_of_twenty_thousand_rows_reads_back():
    rows = [[f"=Firma {number}", number, "佛山"] for number in range(20_000)]
    with write_xlsx(["Name", "Nummer", "Stadt"], rows, "Firmen: A/B") as written:
        read = read_xlsx(written.read())
    assert len(read) == 20_001 and read[0] == ["Name", "Nummer", "Stadt"]
    assert read[1] == ["=Firma 0", 0, "佛山"] and read[-1] == ["=Firma 19999", 19999, "佛山"]
    assert b"".join(csv_chunks(["Name"], [["=x"]])) == "\ufeffName\r\n'=x\r\n".encode()


# Through the API and the member area.


def test_a_member_gets_the_published_companies_with_contacts_and_never_a_draft(api, users, database):
    response = api.call("GET", f"{COMPANIES}.xlsx", users["member_b"])
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = as_dicts(read_xlsx(response.get_data()))
    published = {key: item for key, item in database.items() if key != "secret_draft" and item.type_name == "company"}
    assert set(rows) == {str(item.pk) for item in published.values()}
    drive = rows[str(database["aachen_drive"].pk)]
    stored = database["aachen_drive"]
    assert drive["Company"] == stored.title and drive["Name in Chinese"] == stored.name_zh
    assert (drive["City"], drive["Country"], drive["Sector (NACE)"]) == ("Aachen", "Germany", "C29.3")
    assert drive["Size"] == "Medium (50–249 employees)"
    assert drive["Cooperation interests"] == "Seeks sales partners (export); Seeks a joint venture"
    assert drive["Products"] == "Getriebe; E-Achsen"
    assert (drive["Contact e-mail"], drive["Contact telephone"]) == ("erika@antriebe.example", "+49 241 432-0")
    assert drive["State"] == "Published"


def test_the_public_gets_public_companies_without_contacts_and_staff_get_drafts_too(api, users, database):
    anonymous = read_csv(api.call("GET", f"{COMPANIES}.csv").get_data())
    assert [row[0] for row in anonymous[1:]] == ["Aachener Antriebstechnik GmbH"]
    assert not any("Contact" in header for header in anonymous[0])
    assert "erika@antriebe.example" not in sum(anonymous, [])
    staff = as_dicts(read_csv(api.call("GET", f"{COMPANIES}.csv", users["editor"]).get_data()))
    assert staff[str(database["secret_draft"].pk)]["State"] == "Draft"
    assert staff[str(database["secret_draft"].pk)]["Contact e-mail"] == "geheim@entwurf.example"


def test_headers_and_coded_values_come_in_the_callers_language(api, users, database):
    rows = as_dicts(read_xlsx(api.call("GET", f"{COMPANIES}.xlsx?lang=zh&sector=C29", users["member"]).get_data()))
    drive = rows[str(database["aachen_drive"].pk)]
    assert (drive["城市"], drive["国家"], drive["状态"]) == ("亚琛", "德国", "已发布")
    german = as_dicts(
        read_csv(
            api.call(
                "GET", f"{COMPANIES}.csv?sector=C29", users["member"], headers={"Accept-Language": "de"}
            ).get_data()
        )
    )
    assert german[str(database["foshan_parts"].pk)]["Land"] == "China"


def test_filters_choose_the_companies(api, users, database):
    def titles(query):
        response = api.call("GET", f"{COMPANIES}.csv?{query}", users["member"])
        assert response.status_code == 200, response.get_data(as_text=True)
        return sorted(row[0] for row in read_csv(response.get_data())[1:])

    assert titles("sector=C29&country=DE") == ["Aachener Antriebstechnik GmbH"]
    assert titles("sector=C29.3&country=CN&interests=suppliers,research") == ["佛山汽车零部件有限公司"]
    assert titles("q=AACHENER") == ["Aachener Antriebstechnik GmbH"]
    assert titles("q=汽车") == ["佛山汽车零部件有限公司"]
    assert titles("city=Wuppertal") == ["Wuppertaler Maschinenbau AG"]
    assert titles(f"city={database['hefei_energy'].city.pk}&size=medium") == ["合肥新能源科技"]
    assert titles("size=micro") == []  # the draft's size: a member never sees it


@pytest.mark.parametrize("query", ["sector=C99", "city=Atlantis", "color=blue", "year=2026", "size[$ne]=x"])
def test_a_bad_filter_is_a_400_with_its_message(api, users, database, query):
    response = api.call("GET", f"{COMPANIES}.xlsx?{query}", users["member"])
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_parameter" and response.get_json()["error"]["message"]


def test_projects_round_trip_and_name_only_the_companies_the_caller_may_see(api, users, database):
    rows = as_dicts(read_xlsx(api.call("GET", f"{PROJECTS}.xlsx", users["member"]).get_data()))
    published = [
        item for key, item in database.items() if item.type_name == "cooperation_project" and key != "secret_project"
    ]
    assert set(rows) == {str(item.pk) for item in published}
    drives = rows[str(database["drives_for_foshan"].pk)]
    assert (drives["Cooperation project"], drives["Kind of cooperation"], drives["Stage"]) == (
        "Antriebe für Foshan",
        "Joint venture",
        "Running",
    )
    assert (drives["German city"], drives["Chinese city"]) == ("Aachen", "Foshan")
    assert drives["German companies"] == "Aachener Antriebstechnik GmbH"
    assert drives["Chinese companies"] == "佛山汽车零部件有限公司"
    assert (drives["Volume"], drives["Currency"], drives["Source"]) == (12_000_000, "EUR", "GTAI")
    assert drives["Started on"].date().isoformat() == "2026-03-01"
    research = rows[str(database["battery_research"].pk)]
    assert research["German companies"] == "Aachener Antriebstechnik GmbH"  # not the draft company
    staff = as_dicts(read_csv(api.call("GET", f"{PROJECTS}.csv", users["editor"]).get_data()))
    assert "Geheime Entwurf GmbH" in staff[str(database["battery_research"].pk)]["German companies"]
    assert staff[str(database["secret_project"].pk)]["Volume"] == "99999999"


def test_project_filters(api, users, database):
    def titles(query):
        response = api.call("GET", f"{PROJECTS}.csv?{query}", users["member"])
        assert response.status_code == 200, response.get_data(as_text=True)
        return sorted(row[0] for row in read_csv(response.get_data())[1:])

    assert titles("stage=running,talks") == ["Antriebe für Foshan", "Maschinen für Hefei"]
    assert titles("cooperation=research") == ["Batterieforschung Aachen–Hefei"]
    assert titles("city=Hefei&year=2026") == ["Batterieforschung Aachen–Hefei", "Maschinen für Hefei"]
    assert titles("city=Foshan") == ["Antriebe für Foshan"]  # not the draft project
    assert titles("year=2025") == []


def test_a_cell_that_would_be_a_formula_is_guarded_in_the_file(api, users, create_item, city):
    create_item("company", title='=HYPERLINK("http://evil.example","Klick")', city=city("Aachen"), sector="C28")
    xlsx = openpyxl.load_workbook(io.BytesIO(api.call("GET", f"{COMPANIES}.xlsx", users["editor"]).get_data()))
    cell = xlsx.worksheets[0]["A2"]
    assert cell.data_type == "s" and cell.value == '\'=HYPERLINK("http://evil.example","Klick")'
    text = api.call("GET", f"{COMPANIES}.csv", users["editor"]).get_data().decode("utf-8-sig")
    assert '"\'=HYPERLINK(""http://evil.example"",""Klick"")"' in text


def test_the_member_area_downloads_with_the_finders_filters(app, users, database):
    member = logged_in(app, users["member"])
    response = member.get("/de/members/companies/export.xlsx?country=DE&sector=C29")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    rows = read_xlsx(response.get_data())
    assert "Stadt" in rows[0] and [row[0] for row in rows[1:]] == ["Aachener Antriebstechnik GmbH"]
    projects = read_csv(member.get("/zh/members/projects/export.csv").get_data())
    assert len(projects) == 4 and "状态" in projects[0]
    assert member.get("/de/members/companies/export.csv?sector=nope").status_code == 400
    assert member.get("/de/members/companies/export.pdf").status_code == 404
    anonymous = app.test_client().get("/de/members/companies/export.xlsx")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
