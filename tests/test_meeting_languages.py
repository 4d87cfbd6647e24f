"""A meeting carries its title, venue and agenda in de/zh/en; readers get theirs, else the German one, marked."""

import pytest
from flask_babel import force_locale

from content_types import Content, Meeting
from content_types.meeting import fall_back_entries
from tests.workflow_helpers import force_state

BASE = "/api/v1/content"

IN_THREE_LANGUAGES = {
    "title": "Halbjahrestreffen Aachen",
    "title_zh": "亚琛半年度会议",
    "title_en": "Half-yearly meeting in Aachen",
    "location": "Rathaus Aachen",
    "location_zh": "亚琛市政厅",
    "location_en": "Aachen City Hall",
    "agenda_items": ["Begrüßung", "Arbeitsplan"],
    "agenda_items_zh": ["欢迎", "工作计划"],
    "agenda_items_en": ["Welcome", "Work plan"],
}


@pytest.fixture
def announced(users, create_item, city):
    """Make an announced public meeting in Aachen (2026/2) with the given fields."""

    def make(**fields):
        meeting = create_item("meeting", owner=users["editor"], year=2026, half=2, host_city=city("Aachen"), **fields)
        return force_state(meeting, "announced", public=True)

    return make


def test_list_entries_fall_back_one_by_one():
    assert fall_back_entries(["A", "B", "C"], "de", ["a", "", None], "en") == [("a", "en"), ("B", "de"), ("C", "de")]
    assert fall_back_entries(["A"], "de", ["a", "b"], "en") == [("a", "en"), ("b", "en")]
    assert fall_back_entries(["A"], "de", ["a"], "de") == [("A", "de")]


@pytest.mark.parametrize(
    "language, title, venue, agenda",
    [
        ("zh", "亚琛半年度会议", "亚琛市政厅", ["欢迎", "工作计划"]),
        ("en", "Half-yearly meeting in Aachen", "Aachen City Hall", ["Welcome", "Work plan"]),
        ("de", "Halbjahrestreffen Aachen", "Rathaus Aachen", ["Begrüßung", "Arbeitsplan"]),
    ],
)
def test_the_public_meeting_page_speaks_the_reader_s_language(client, announced, language, title, venue, agenda):
    meeting = announced(**IN_THREE_LANGUAGES)
    for page in (f"/{language}/documents/{meeting.pk}", f"/{language}/meetings/next"):
        html = client.get(page).get_data(as_text=True)
        assert title in html and venue in html and all(f"<li>{entry}</li>" in html for entry in agenda), page
        assert 'class="fallback"' not in html
        others = {value for name, value in IN_THREE_LANGUAGES.items() if isinstance(value, str)} - {title, venue}
        assert not [other for other in others if other in html], page


def test_a_missing_translation_falls_back_to_german_with_a_marker(client, announced):
    meeting = announced(
        title="Halbjahrestreffen Aachen",
        title_en="Half-yearly meeting in Aachen",
        location="Rathaus Aachen",
        agenda_items=["Begrüßung", "Arbeitsplan"],
        agenda_items_en=["Welcome"],
    )
    html = client.get(f"/en/documents/{meeting.pk}").get_data(as_text=True)
    assert "Half-yearly meeting in Aachen" in html and "<li>Welcome</li>" in html
    assert '<span lang="de">Rathaus Aachen</span> <small class="fallback">(only in German)</small>' in html
    assert '<li><span lang="de">Arbeitsplan</span> <small class="fallback">(only in German)</small></li>' in html
    chinese = client.get(f"/zh/documents/{meeting.pk}").get_data(as_text=True)
    assert '<h1 lang="de">Halbjahrestreffen Aachen</h1>' in chinese
    assert '<span lang="de">Rathaus Aachen</span> <small class="fallback">（仅有德文版）</small>' in chinese


def test_a_meeting_stored_before_it_spoke_three_languages_still_shows(client, announced, users, browser):
    meeting = announced(title="Altes Treffen", location="Rathaus", agenda_items=["Begrüßung"])
    # As stored before the fields existed: none of them in the document.
    unset = {f"{name}_{code}": "" for name in ("title", "location", "agenda_items") for code in ("zh", "en")}
    Content._get_collection().update_one({"_id": meeting.pk}, {"$unset": unset})
    assert "title_zh" not in Content._get_collection().find_one({"_id": meeting.pk})
    html = client.get(f"/en/documents/{meeting.pk}").get_data(as_text=True)
    assert "Altes Treffen" in html and "Rathaus" in html and "Begrüßung" in html
    assert Meeting.objects.get(pk=meeting.pk).title_zh == ""
    browser.login(users["editor"].email)
    assert client.get(f"/admin/content_meeting/edit/?id={meeting.pk}").status_code == 200
    assert "Altes Treffen" in client.get("/admin/content_meeting/").get_data(as_text=True)


def test_the_admin_lists_meetings_in_the_reader_s_language(browser, users, client, announced, create_item, city):
    announced(**IN_THREE_LANGUAGES)
    force_state(create_item("meeting", title="Nur deutsch", year=2027, half=2, host_city=city("Aachen")), "announced")
    create_item("news", owner=users["editor"], title="Deutsche Nachricht")
    browser.login(users["editor"].email)
    chinese = client.get("/admin/content_meeting/", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    english = client.get("/admin/content_meeting/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "亚琛半年度会议" in chinese and "Half-yearly meeting in Aachen" in english
    assert '<span lang="de">Nur deutsch</span> <small class="fallback">(only in German)</small>' in english
    # A document has one language (its others are items of their own): no note on it.
    news = client.get("/admin/content_news/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<span lang="de">Deutsche Nachricht</span>' in news and 'class="fallback"' not in news


def test_the_admin_form_has_a_field_per_language(browser, users, client, announced):
    meeting = announced(**IN_THREE_LANGUAGES)
    browser.login(users["editor"].email)
    html = client.get(f"/admin/content_meeting/edit/?id={meeting.pk}", headers={"Accept-Language": "en"})
    html = html.get_data(as_text=True)
    for label in ("Title in Chinese", "Title in English", "Location in Chinese", "Agenda items in English"):
        assert label in html
    assert 'value="亚琛市政厅"' in html and 'value="Work plan"' in html


def test_the_api_takes_and_gives_the_three_languages(api, users, city):
    created = api.call(
        "POST",
        BASE,
        users["editor"],
        json={"type": "meeting", "year": 2026, "half": 2, "host_city": str(city("Aachen").pk), **IN_THREE_LANGUAGES},
    )
    assert created.status_code == 201, created.get_json()
    item = created.get_json()
    assert {name: item[name] for name in IN_THREE_LANGUAGES} == IN_THREE_LANGUAGES
    changed = api.call(
        "PATCH",
        f"{BASE}/{item['id']}",
        users["editor"],
        json={"revision": item["revision"], "location_en": "Town Hall"},
    )
    assert changed.status_code == 200 and changed.get_json()["location_en"] == "Town Hall"
    shown = api.call("GET", f"{BASE}/{item['id']}", users["editor"], headers={"Accept-Language": "zh"}).get_json()
    assert shown["shown"]["title"] == {"text": "亚琛半年度会议", "language": "zh"}
    assert [entry["text"] for entry in shown["shown"]["agenda_items"]] == ["欢迎", "工作计划"]


@pytest.mark.parametrize(
    "fields",
    [
        {"title_zh": 5},
        {"title_en": "x" * 1000},
        {"title_en": "Zeile\neins"},
        {"location_zh": ["a"]},
        {"agenda_items_en": "Welcome"},
        {"agenda_items_zh": [1, 2]},
        {"agenda_items_en": ["x" * 600]},
        {"title_fr": "Réunion"},
    ],
)
def test_bad_language_fields_are_refused_with_a_message_and_nothing_changes(api, users, announced, fields):
    meeting = announced(title="Treffen", title_en="Meeting")
    response = api.call("PATCH", f"{BASE}/{meeting.pk}", users["editor"], json={"revision": meeting.revision, **fields})
    assert 400 <= response.status_code < 500 and response.get_json()["error"]["message"], response.get_json()
    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.revision, stored.title_en, stored.title_zh) == (meeting.revision, "Meeting", "")


def test_meetings_are_not_translated_as_items_of_their_own(api, users, announced):
    meeting = announced(title="Treffen")
    response = api.call("POST", f"{BASE}/{meeting.pk}/translations", users["editor"], json={"language": "en"})
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "not_translated_as_items"


def test_a_meeting_is_found_by_its_title_in_any_language(api, users, announced):
    announced(**IN_THREE_LANGUAGES)
    for query in ("half-yearly meeting", "亚琛"):
        found = api.call("GET", f"{BASE}?type=meeting&q={query}", users["editor"]).get_json()["items"]
        assert [item["title"] for item in found] == ["Halbjahrestreffen Aachen"], query


def test_the_reader_s_language_decides_in_the_model(app, announced):
    meeting = announced(**IN_THREE_LANGUAGES)
    with app.test_request_context(), force_locale("en"):
        assert meeting.text_in("location", "en") == ("Aachen City Hall", "en")
        assert meeting.speaks("en") and meeting.speaks("de")
