"""The search box on every public page, the member area's company finder, and the admin's search page."""

import html
import io
import re

import openpyxl

from tests.conftest import logged_in
from tests.workflow_helpers import force_state


def _links(page: str) -> dict[str, str]:
    """Return {link text: href} of a page (text with tags and surrounding spaces dropped)."""
    found = {}
    for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', page, re.S):
        found[html.unescape(re.sub(r"<[^>]+>", "", text)).strip()] = html.unescape(href)
    return found


def test_every_public_page_has_the_search_box(client):
    for path in ("/en/", "/de/news", "/zh/documents"):
        page = client.get(path).get_data(as_text=True)
        assert 'role="search"' in page and 'name="q"' in page, path


def test_anonymous_visitors_find_only_public_released_items(client, create_item):
    public = force_state(create_item("news", title="Hafenfest offen"), "published", public=True)
    force_state(create_item("news", title="Hafenfest intern"), "published", public=False)
    create_item("news", title="Hafenfest Entwurf")
    page = client.get("/de/search?q=hafenfest").get_data(as_text=True)
    assert "Hafenfest offen" in page and "intern" not in page and "Entwurf" not in page
    assert f"/de/documents/{public.pk}" in page
    # The facets count what the visitor sees: one news item.
    assert re.search(r'data-facet="type".*?<span class="count">1</span>', page, re.S)


def test_bad_search_parameters_on_a_page_are_a_400(client):
    assert client.get("/en/search?year=abc").status_code == 400
    assert client.get("/en/search?type=news&type=news").status_code == 400


def test_a_chinese_member_finds_german_automotive_suppliers_in_two_clicks(app, users, create_item, city):
    aachen, foshan = city("Aachen"), city("Foshan")
    for title, home, sector in [
        ("Aachener Zulieferer GmbH", aachen, "C29.3"),
        ("Aachener Maschinenbau AG", aachen, "C28"),
        ("佛山汽车零部件有限公司", foshan, "C29.3"),
    ]:
        company = create_item("company", title=title, city=home, sector=sector, interests=["joint_venture"])
        force_state(company, "published")
    browser = logged_in(app, users["member"])  # a representative of Foshan
    start = browser.get("/en/members").get_data(as_text=True)
    # Click 1: "Companies" in the member area's navigation: German companies, partners for a Chinese city.
    finder = browser.get(_links(start)["Companies"], follow_redirects=True)
    page = finder.get_data(as_text=True)
    assert finder.request.args["country"] == "DE"
    assert "Aachener Zulieferer GmbH" in page and "Aachener Maschinenbau AG" in page and "佛山" not in page
    # Click 2: the sector facet.
    sector_links = {text: href for text, href in _links(page).items() if text.startswith("C29.3 ")}
    assert len(sector_links) == 1
    chosen = browser.get(next(iter(sector_links.values()))).get_data(as_text=True)
    assert "Aachener Zulieferer GmbH" in chosen and "Maschinenbau" not in chosen
    # The download of exactly these, built by the exports part.
    export = _links(chosen)["Download these companies as XLSX"]
    assert (
        export.startswith("/en/members/companies/export.xlsx?") and "sector=C29.3" in export and "country=DE" in export
    )
    # ... and it downloads: the German automotive suppliers the page shows, nothing else.
    download = browser.get(export)
    assert download.status_code == 200, download.get_data(as_text=True)[:300]
    sheet = openpyxl.load_workbook(io.BytesIO(download.data), read_only=True).active
    assert [row[0] for row in list(sheet.iter_rows(values_only=True))[1:]] == ["Aachener Zulieferer GmbH"]


def test_the_company_finder_is_for_members_and_staff(app, client, users):
    assert client.get("/en/members/companies").status_code in (302, 401)
    staff = logged_in(app, users["editor"])
    assert staff.get("/en/members/companies").status_code == 200


def test_the_admin_search_page_finds_drafts_for_staff_only(app, users, create_item):
    item = create_item("news", title="Interner Entwurf")
    page = logged_in(app, users["editor"]).get("/admin/search/?q=entwurf").get_data(as_text=True)
    assert "Interner Entwurf" in page and f"id={item.pk}" in page
    assert logged_in(app, users["member"]).get("/admin/search/?q=entwurf").status_code in (302, 403, 404)
