"""The admin in Chinese shows no German or English words, only names (of people, cities, languages, items)."""

import re

from content_types import MemberCity, User
from tests.conftest import logged_in
from tests.visible_text import latin_words
from tests.workflow_helpers import force_state
from workflows.types import TYPES

# Codes a Chinese reader reads as they are: the time zone, file formats, the EU's sector classification, currencies.
ABBREVIATIONS = {"UTC", "XLSX", "NACE", "EUR", "CNY", "USD"}


def _names() -> set[str]:
    # Names stay as they are written: people and their addresses, cities, the languages in their own names.
    names = {"Deutsch", "English", "Alliance", "CMS"}
    for user in User.objects:
        names |= set(re.findall(r"[A-Za-z]+", f"{user.name} {user.email}"))
    for city in MemberCity.objects:
        names |= set(re.findall(r"[A-Za-zÄÖÜäöüß]+", f"{city.name_de} {city.name_en}"))
    return names


def test_the_chinese_admin_shows_no_german_or_english_words(app, users, create_item):
    admin = users["admin"]
    admin.update(set__language="zh")
    items = {
        name: create_item(name, owner=admin, title="测试文件")
        for name in ("work_plan", "news", "circular", "meeting", "mou", "concept", "declaration")
    }
    items["work_plan"] = force_state(items["work_plan"], "in_review")
    items["news"] = force_state(items["news"], "published")
    client = logged_in(app, admin)
    pages = [
        "/admin/",
        "/admin/worklist/",
        "/admin/content_all/",
        "/admin/cities/",
        "/admin/cities/new/",
        "/admin/users/",
        "/admin/users/new/",
        "/admin/workflows/",
        "/admin/audit/",
    ]
    for name, item in items.items():
        pages += [
            f"/admin/content_{name}/",
            f"/admin/content_{name}/new/",
            f"/admin/content_{name}/workflow/?id={item.pk}",
        ]
        if item.state != "published":  # a published item is revised through a working copy, not edited
            pages.append(f"/admin/content_{name}/edit/?id={item.pk}")
    pages += [f"/admin/cities/edit/?id={MemberCity.objects.first().pk}", f"/admin/users/edit/?id={admin.pk}"]
    # Every other registered type's list and form (the alliance's processes among them).
    for name in TYPES:
        if name not in items:
            pages += [f"/admin/content_{name}/", f"/admin/content_{name}/new/"]

    allowed = _names() | ABBREVIATIONS
    foreign = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        words = latin_words(response.get_data(as_text=True)) - allowed
        if words:
            foreign[url] = sorted(words)
    assert foreign == {}


def test_the_check_finds_an_english_word_outside_hidden_elements():
    page = '<div class="d-none">{"operation": "equals"}</div><p title="Delete Record">删除</p><script>var x;</script>'
    assert latin_words(page) == {"Delete", "Record"}
