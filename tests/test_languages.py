"""German, Chinese and English: complete catalogs, language negotiation, URLs, fallback, formatting."""

import re
from pathlib import Path

import flask_admin
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from visible_text import latin_words
from workflow_helpers import force_state

from cms.i18n import sort_key
from content_types import Content, User

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ("de", "zh", "en")
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2), "_ngettext": (1, 2)}


def _extracted(directory: Path, mapping) -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(directory, mapping, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(language: str, domain: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / f"{domain}.po", "rb") as handle:
        return read_po(handle, locale=language)


def _complete(catalog, wanted: set[str]) -> list[str]:
    """Return what is wrong: messages missing, untranslated, fuzzy, or with broken placeholders."""
    problems = [f"broken placeholders in {message.id!r}: {errors}" for message, errors in catalog.check()]
    by_id = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}
    for message_id in sorted(wanted):
        message = by_id.get(message_id)
        strings = (message.string if isinstance(message.string, tuple) else (message.string,)) if message else ()
        if message is None or not all(strings):
            problems.append(f"untranslated: {message_id!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {message_id!r}")
    return problems


@pytest.fixture(scope="module")
def our_messages():
    mapping = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    found = set()
    for package in ("cms", "workflows", "content_types"):
        found |= _extracted(ROOT / package, mapping)
    assert len(found) > 300  # the extraction itself works
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_ui_string_is_translated(language, our_messages):
    catalog = _catalog(language, "messages")
    assert not catalog.fuzzy, "the catalog header is marked fuzzy: pybabel compile would skip it"
    assert _complete(catalog, our_messages) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_flask_admins_own_strings_are_translated(language):
    mapping = [("**.py", "python"), ("**/templates/bootstrap4/**.html", "jinja2")]
    wanted = _extracted(Path(flask_admin.__file__).parent, mapping)
    assert len(wanted) > 50
    assert _complete(_catalog(language, "admin"), wanted) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", ("messages", "admin"))
def test_catalogs_are_compiled_from_the_current_sources(language, domain):
    source = TRANSLATIONS / language / "LC_MESSAGES" / f"{domain}.po"
    compiled = source.with_suffix(".mo")
    assert compiled.exists(), f"{compiled} is missing: run `make translations` (make install does)"
    assert compiled.stat().st_mtime >= source.stat().st_mtime, f"{compiled} is older than its .po"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Chinesisch-Deutsche Industriestädteallianz"),
        ("zh", "中德工业城市联盟"),
        ("en", "Sino-German Industrial Cities Alliance"),
    ],
)
def test_each_language_has_its_pages(client, language, expected):
    for path in ("", "news", "documents", "meetings/next"):
        response = client.get(f"/{language}/{path}")
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and expected in page and f'<html lang="{language}">' in page
    assert client.get("/fr/news").status_code == 404


def test_paths_without_a_language_go_to_the_negotiated_one(client):
    def target(path="/news", **headers):
        response = client.get(path, headers=headers)
        assert response.status_code == 302
        return response.headers["Location"]

    assert target() == "/en/news"  # nothing known: the default
    assert target(**{"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}) == "/de/news"
    assert target(**{"Accept-Language": "fr-FR, zh-CN;q=0.5"}) == "/zh/news"
    assert target("/documents?type=mou", **{"Accept-Language": "zh"}) == "/zh/documents?type=mou"
    assert target("/", **{"Accept-Language": "x" * 20_000}) == "/en/"


def test_the_visitors_switcher_remembers_the_choice(client):
    response = client.get("/language/zh", query_string={"next": "/de/documents?type=mou"})
    assert response.status_code == 302 and response.headers["Location"] == "/zh/documents?type=mou"
    assert "alliance_language=zh" in response.headers["Set-Cookie"]
    # The remembered choice beats the browser's header on the next visit.
    assert client.get("/news", headers={"Accept-Language": "de"}).headers["Location"] == "/zh/news"
    for hostile in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        assert client.get("/language/de", query_string={"next": hostile}).headers["Location"] == "/"
    assert client.get("/language/fr").status_code == 404


def test_a_users_setting_wins_and_the_switcher_changes_it(client, browser, users):
    member = users["member"]
    member.language = "zh"
    member.save()
    browser.login(member.email)
    assert client.get("/news", headers={"Accept-Language": "de"}).headers["Location"] == "/zh/news"
    login_page = client.get("/admin/", headers={"Accept-Language": "de"})
    token = browser.form_token("/zh/members")
    refused = client.post("/language", data={"language": "de", "next": "/zh/members"})
    assert refused.status_code == 400 and User.objects.get(pk=member.pk).language == "zh"
    switched = client.post("/language", data={"language": "de", "next": "/zh/members", "csrf_token": token})
    assert switched.status_code == 303 and switched.headers["Location"] == "/de/members"
    assert User.objects.get(pk=member.pk).language == "de"
    assert "Mitgliederbereich" in client.get("/de/members").get_data(as_text=True)
    assert login_page.status_code in (302, 403)


def test_flask_admin_speaks_the_users_language(client, browser, users):
    editor = users["editor"]
    editor.language = "zh"
    editor.save()
    browser.login(editor.email)
    page = client.get("/admin/content_news/new/").get_data(as_text=True)
    assert "保存" in page and "标题" in page  # Flask-Admin's "Save" and our "Title"
    assert '<option selected value="de">德文</option>' in page  # languages by name, not code
    editor.language = "de"
    editor.save()
    page = client.get("/admin/content_news/").get_data(as_text=True)
    assert "Neuigkeiten" in page and "Erstellen" in page  # our menu and Flask-Admin's "Create"


def test_api_errors_follow_the_request_or_the_users_language(api, users):
    editor = users["editor"]
    missing = "/api/v1/content/0123456789abcdef01234567"
    german = api.call("GET", missing, editor, headers={"Accept-Language": "de"}).get_json()
    assert german["error"]["message"] == "Diesen Eintrag gibt es nicht."
    editor.language = "zh"
    editor.save()
    chinese = api.call("GET", missing, editor).get_json()
    assert chinese["error"]["message"] == "没有此条目。"
    invalid = api.call("POST", "/api/v1/content", editor, json={"type": "news"}, headers={"Accept-Language": "de"})
    assert invalid.status_code == 422
    assert invalid.get_json()["error"]["details"]["title"] == "Dieses Feld ist erforderlich."
    anonymous = api.call("GET", "/api/v1/content", headers={"Authorization": "Bearer x", "Accept-Language": "zh"})
    assert anonymous.status_code == 401 and anonymous.get_json()["error"]["message"] == "令牌缺失、无效或已过期。"


def test_city_names_and_their_order_follow_the_viewer(client):
    chinese = client.get("/zh/").get_data(as_text=True)
    german = client.get("/de/").get_data(as_text=True)
    assert "佛山" in chinese and "亚琛" in chinese and "Foshan" not in chinese
    assert "Foshan" in german and "佛山" not in german


def test_sorting_follows_the_language():
    german = ["Zwickau", "Ärzte", "Apfel", "Öl", "Ofen", "Bremen"]
    assert sorted(german, key=lambda text: sort_key(text, "de")) == [
        "Apfel",
        "Ärzte",
        "Bremen",
        "Ofen",
        "Öl",
        "Zwickau",
    ]
    chinese = ["肇庆", "佛山", "江门", "揭阳"]  # Zhaoqing, Foshan, Jiangmen, Jieyang
    assert sorted(chinese, key=lambda text: sort_key(text, "zh")) == ["佛山", "江门", "揭阳", "肇庆"]


def _published(create_item, type_name, **fields):
    item = create_item(type_name, **fields)
    return force_state(item, "published", published_at=item.created)


def test_a_missing_translation_falls_back_to_the_original_and_says_so(client, create_item, api, users):
    news = _published(create_item, "news", title="Besuch in Foshan", public=True)
    listing = client.get("/zh/news").get_data(as_text=True)
    assert "Besuch in Foshan" in listing and "（仅有德文版）" in listing
    page = client.get(f"/zh/documents/{news.pk}").get_data(as_text=True)
    assert "此文件没有中文版；现显示德文版。" in page

    made = api.call("POST", f"/api/v1/content/{news.pk}/translations", users["editor"], json={"language": "zh"})
    translation = Content.objects.get(pk=made.get_json()["id"])
    translation.title = "佛山访问"
    translation.save_revision()
    force_state(translation, "published", published_at=translation.created)
    listing = client.get("/zh/news").get_data(as_text=True)
    assert "佛山访问" in listing and "Besuch in Foshan" not in listing and "仅有" not in listing
    assert "Besuch in Foshan" in client.get("/de/news").get_data(as_text=True)
    page = client.get(f"/zh/documents/{news.pk}").get_data(as_text=True)
    assert f'href="/zh/documents/{translation.pk}"' in page and "中文" in page  # offered, not forced


def test_dates_are_formatted_for_the_language(client, create_item):
    news = _published(create_item, "news", title="Termin", public=True)
    Content._get_collection().update_one({"_id": news.pk}, {"$set": {"published_at": news.created.replace(2026, 3, 5)}})
    assert "05.03.2026" in client.get(f"/de/documents/{news.pk}").get_data(as_text=True)
    assert "2026年3月5日" in client.get(f"/zh/documents/{news.pk}").get_data(as_text=True)
    assert "Mar 5, 2026" in client.get(f"/en/documents/{news.pk}").get_data(as_text=True)


def test_a_chinese_representative_sees_it_all_in_chinese(client, browser, api, users, city, create_item):
    """The issue's "done when": the zh member area, work plan, its PDF and a circular, all in Chinese."""
    editor, reviewer, approver = users["editor"], users["reviewer"], users["approver"]
    member = users["member"]  # Foshan's representative
    member.language = "zh"
    member.save()
    german = create_item("work_plan", owner=editor, title="Arbeitsplan 2027", body="<p>Gemeinsame Projekte</p>")
    made = api.call("POST", f"/api/v1/content/{german.pk}/translations", editor, json={"language": "zh"}).get_json()
    edited = api.call(
        "PATCH",
        f"/api/v1/content/{made['id']}",
        editor,
        json={
            "revision": made["revision"],
            "title": "2027年工作计划",
            "body": "<p>共同项目</p>",
            "topics": ["工业4.0"],
        },
    )
    assert edited.status_code == 200
    chinese = Content.objects.get(pk=made["id"])
    # Each language goes through its own approval; they are published separately.
    for item in (german, chinese):
        force_state(item, "approved", approved_revision=Content.objects.get(pk=item.pk).revision)
    assert api.call("POST", f"/api/v1/content/{german.pk}/workflow/publish", approver).status_code == 200
    assert Content.objects.get(pk=chinese.pk).state == "approved"
    assert api.call("POST", f"/api/v1/content/{chinese.pk}/workflow/publish", approver).status_code == 200
    circular = api.call(
        "POST",
        "/api/v1/content",
        editor,
        json={"type": "circular", "title": "第一号通函", "language": "zh", "body": "<p>请各成员城市注意。</p>"},
    ).get_json()
    for step, user in (("submit", editor), ("publish", reviewer)):
        assert api.call("POST", f"/api/v1/content/{circular['id']}/workflow/{step}", user).status_code == 200

    browser.login(member.email)
    # Names are not translated: the user's own, and each language's in the switcher.
    allowed = {"PDF", "pdf", "SHA", "UTC", *member.name.split(), "Deutsch", "English"}
    members_page = client.get("/members", follow_redirects=True)
    assert members_page.request.path == "/zh/members"
    html = members_page.get_data(as_text=True)
    assert "2027年工作计划" in html and "第一号通函" in html and "Arbeitsplan 2027" not in html
    assert latin_words(html, allowed) == set()
    plan_page = client.get(f"/zh/documents/{chinese.pk}").get_data(as_text=True)
    assert "共同项目" in plan_page and latin_words(plan_page, allowed) == set()
    circular_page = client.get(f"/zh/documents/{circular['id']}").get_data(as_text=True)
    assert "请各成员城市注意" in circular_page and latin_words(circular_page, allowed) == set()

    pdf_url = re.search(r'href="(/versions/[^"]+)">[^<]*\.pdf<', plan_page).group(1)
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200 and pdf.content_type == "application/pdf"
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.data)).pages)
    assert (
        "2027年工作计划" in text and "中德工业城市联盟" in text and "语言：中文" in text and "主题领域：工业4.0" in text
    )
    assert latin_words(text, allowed) == set(), text
    # The German version was published on its own and reads in German.
    german_page = client.get(f"/de/documents/{german.pk}").get_data(as_text=True)
    assert "Arbeitsplan 2027" in german_page and "Fassung 1" in german_page


def test_admin_lists_show_times_in_the_readers_format(client, browser, users, create_item):
    editor = users["editor"]
    news = create_item("news", owner=editor, title="Termin")
    Content._get_collection().update_one(
        {"_id": news.pk}, {"$set": {"changed": news.created.replace(2026, 3, 5, 14, 30)}}
    )
    editor.language = "de"
    editor.save()
    browser.login(editor.email)
    assert "05.03.26, 14:30 UTC" in client.get("/admin/content_news/").get_data(as_text=True)


def test_form_errors_speak_the_readers_language(client):
    from conftest import csrf_token_from

    token = csrf_token_from(client.get("/login", headers={"Accept-Language": "zh"}).get_data(as_text=True))
    response = client.post(
        "/login", data={"email": "", "password": "", "csrf_token": token}, headers={"Accept-Language": "zh"}
    )
    assert "电子邮箱：该字段是必填字段。" in response.get_data(as_text=True)  # WTForms' own catalog


def test_an_unknown_page_and_the_login_speak_the_url_s_language(client):
    missing = client.get("/de/gibt-es-nicht", headers={"Accept-Language": "en"})
    assert missing.status_code == 404 and '<html lang="de">' in missing.get_data(as_text=True)
    to_login = client.get("/zh/members", headers={"Accept-Language": "en"})
    assert to_login.status_code == 302
    login = client.get(to_login.headers["Location"], headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="zh">' in login and "登录" in login
