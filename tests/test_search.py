"""Full-text search (GET /api/v1/search): found by title, body and attachments, German folding, Chinese words,
kept in step with edits, transitions and deletes, rebuilt by `cms reindex`, never losing a save to the index."""

import io
import uuid

import docx
import pytest
from reportlab.pdfgen import canvas

from cms import cli, search
from content_types import Content
from tests.test_attachments import _upload
from tests.workflow_helpers import force_state

SEARCH = "/api/v1/search"
BASE = "/api/v1/content"


def pdf_with(text: str) -> bytes:
    """Return a one-page PDF showing `text`."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def docx_with(text: str) -> bytes:
    """Return a DOCX document with one paragraph of `text`."""
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def reindex(app):
    """Run `cms reindex` in `app`."""
    return app.test_cli_runner().invoke(cli.reindex, catch_exceptions=False)


def found(api, user, query="", **filters) -> dict:
    response = api.call("GET", SEARCH, user, query_string={"q": query, **filters})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def titles(api, user, query="", **filters) -> set[str]:
    return {item["title"] for item in found(api, user, query, **filters)["items"]}


@pytest.fixture
def news(create_item, users):
    """A draft news item of the editor's, created through the API (so it is indexed as a save is)."""

    def make(api, title="Messe in Foshan", body="<p>Die Zusammenarbeit der Zulieferer wächst.</p>", **fields):
        made = api.call("POST", BASE, users["editor"], json={"type": "news", "title": title, "body": body, **fields})
        assert made.status_code == 201, made.get_json()
        return Content.objects.get(pk=made.get_json()["id"])

    return make


def test_found_by_title_and_by_a_word_of_the_body(api, users, news):
    item = news(api)
    assert titles(api, users["editor"], "Messe") == {item.title}
    assert titles(api, users["editor"], "zusammenarbeit") == {item.title}
    assert titles(api, users["editor"], "Handelskammer") == set()


def test_the_last_word_is_matched_as_a_prefix_while_typing(api, users, news):
    news(api)
    assert titles(api, users["editor"], "Zuliefer") == {"Messe in Foshan"}
    assert titles(api, users["editor"], "Zuliefer ") == set()


def test_found_by_a_word_in_an_attached_pdf_and_docx(api, users, news):
    with_pdf, with_docx = news(api, title="Mit PDF", body=""), news(api, title="Mit DOCX", body="")
    assert _upload(api, users["editor"], with_pdf, pdf_with("Wasserstoffstrategie 2030"), "a.pdf").status_code == 201
    assert (
        _upload(api, users["editor"], with_docx, docx_with("Batterierecycling im Rheinland"), "b.docx").status_code
        == 201
    )
    assert titles(api, users["editor"], "Wasserstoffstrategie") == {"Mit PDF"}
    assert titles(api, users["editor"], "batterierecycling") == {"Mit DOCX"}


def test_an_unreadable_attachment_is_indexed_without_its_text(api, users, news, caplog):
    item = news(api, title="Kaputte Anlage", body="")
    # Bytes of its own: a file read before (the same bytes in another test) is not read again.
    broken = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n% " + uuid.uuid4().hex.encode() + b"\n"
    assert _upload(api, users["editor"], item, broken, "Verzeichnis.pdf").status_code == 201
    # Found by its file's name all the same; the failure is logged, not raised.
    assert titles(api, users["editor"], "Verzeichnis") == {"Kaputte Anlage"}
    assert "no text could be read from a application/pdf file" in caplog.text


def test_a_chinese_two_character_word_is_found_inside_a_longer_one(api, users, news):
    news(api, title="中德合作项目", body="<p>佛山与亚琛的汽车零部件供应商</p>", language="zh")
    assert titles(api, users["editor"], "合作") == {"中德合作项目"}
    assert titles(api, users["editor"], "零部件") == {"中德合作项目"}


@pytest.mark.parametrize(
    ("written", "searched"), [("Köln", "Koeln"), ("Koeln", "Köln"), ("Straße", "Strasse"), ("Strasse", "straße")]
)
def test_german_spellings_find_each_other(api, users, news, written, searched):
    news(api, title=f"Treffen in {written}", body="")
    assert titles(api, users["editor"], searched) == {f"Treffen in {written}"}


def test_an_edit_a_transition_and_a_delete_are_reflected(api, users, news):
    item = news(api, title="Alter Titel", body="")
    changed = api.call("PATCH", f"{BASE}/{item.pk}", users["editor"], json={"revision": 1, "title": "Neuer Titel"})
    assert changed.status_code == 200
    assert titles(api, users["editor"], "Neuer") == {"Neuer Titel"} and titles(api, users["editor"], "Alter") == set()
    assert found(api, users["editor"], "Neuer")["facets"]["state"] == {"draft": 1}
    assert api.call("POST", f"{BASE}/{item.pk}/workflow/submit", users["editor"]).status_code == 200
    assert found(api, users["editor"], "Neuer")["facets"]["state"] == {"in_review": 1}
    assert (
        api.call("POST", f"{BASE}/{item.pk}/workflow/retract", users["editor"], json={"comment": "x"}).status_code
        == 200
    )
    assert api.call("DELETE", f"{BASE}/{item.pk}", users["editor"]).status_code == 204
    assert titles(api, users["editor"], "Neuer") == set()


def test_a_write_straight_to_the_database_is_reflected_too(api, users, news):
    item = news(api, title="Entwurf", body="")
    force_state(item, "published", public=True)
    assert titles(api, None, "Entwurf") == {"Entwurf"}


def test_reindex_rebuilds_the_index_from_nothing(app, api, users, news):
    news(api, title="Wiederaufbau", body="")
    with app.app_context():
        search.current().engine.clear()
        assert search.is_empty()
    assert titles(api, users["editor"], "Wiederaufbau") == set()
    result = reindex(app)
    assert result.exit_code == 0, result.output
    assert "Search index rebuilt: 1 items." in result.output, result.output
    assert titles(api, users["editor"], "Wiederaufbau") == {"Wiederaufbau"}


def test_a_failing_index_never_loses_the_save_and_reindex_repairs_it(app, api, users, news, monkeypatch, caplog):
    engine = app.extensions["search"].engine

    def broken(documents):
        raise OSError("disk full")

    monkeypatch.setattr(engine, "index", broken)
    made = api.call("POST", BASE, users["editor"], json={"type": "news", "title": "Gerettet", "body": ""})
    assert made.status_code == 201
    assert Content.objects(title="Gerettet").count() == 1
    assert "could not be updated" in caplog.text
    monkeypatch.undo()
    assert reindex(app).exit_code == 0
    assert titles(api, users["editor"], "Gerettet") == {"Gerettet"}


def test_results_are_filtered_by_facets_and_counted(api, users, news):
    news(api, title="Bericht eins", body="", language="de")
    news(api, title="Bericht zwei", body="", language="en")
    answer = found(api, users["editor"], "Bericht")
    assert answer["total"] == 2 and answer["facets"]["language"] == {"de": 1, "en": 1}
    assert titles(api, users["editor"], "Bericht", language="en") == {"Bericht zwei"}
    first = found(api, users["editor"], "Bericht", per_page="1")
    assert (len(first["items"]), first["total"], first["per_page"]) == (1, 2, 1)
    assert answer["facets"]["type"] == {"news": 2}


@pytest.mark.parametrize(
    "query",
    [
        {"type": "nonsense"},
        {"year": "20x7"},
        {"year": "0001"},
        {"city": "Foshan"},
        {"state": "$ne"},
        {"sector": "C99"},
        {"page": "0"},
        {"page": "99999999999"},
        {"q": "x" * 201},
        {"q": "a\x00b"},
        {"colour": "red"},
        {"per_page": "101"},
        {"per_page": "0"},
    ],
)
def test_bad_parameters_are_refused_with_400(api, users, query):
    response = api.call("GET", SEARCH, users["editor"], query_string=query)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_parameter"


def test_a_repeated_parameter_is_refused(api, users):
    response = api.call("GET", f"{SEARCH}?type=news&type=circular", users["editor"])
    assert response.status_code == 400


@pytest.mark.parametrize("query", ["(a+)+$", "\\ [ nichts", "合作 AND OR NOT *:*", "zusammenarbeit.* x"])
def test_hostile_search_texts_are_taken_literally(api, users, news, query):
    news(api)
    assert found(api, users["editor"], query)["total"] == 0
    # Without a word in it, the text searches for nothing in particular: everything the caller may see, newest first.
    assert found(api, users["editor"], "." * 190)["total"] == 1
