"""A translation's form shows its source's text of the revision it renders, what changed since, and can catch up."""

import re

import pytest

from content_types import Content
from tests.conftest import csrf_token_from

BASE = "/api/v1/content"


@pytest.fixture
def translated(api, users):
    """A German news item translated into English at revision 1, then changed twice (title, then body)."""
    editor = users["editor"]
    source = api.call(
        "POST",
        BASE,
        editor,
        json={
            "type": "news",
            "language": "de",
            "title": "Neuigkeit aus Aachen",
            "summary": "Kurz gesagt",
            "body": "<p>Erster Absatz bleibt.</p><p>Der alte Satz steht hier.</p>",
        },
    ).get_json()
    made = api.call("POST", f"{BASE}/{source['id']}/translations", editor, json={"language": "en"}).get_json()
    source = Content.objects.get(pk=source["id"])
    revision = source.revision
    for change in (
        {"title": "Neuigkeit aus Aachen!"},
        {"body": "<p>Erster Absatz bleibt.</p><p>Der neue Satz steht hier.</p>"},
    ):
        response = api.call("PATCH", f"{BASE}/{source.pk}", editor, json={"revision": revision, **change})
        assert response.status_code == 200, response.get_json()
        revision = response.get_json()["revision"]
    return {"source": Content.objects.get(pk=source.pk), "translation": Content.objects.get(pk=made["id"])}


def _form(client, item, language="en"):
    url = f"/admin/content_news/edit/?id={item.pk}"
    return client.get(url, headers={"Accept-Language": language}).get_data(as_text=True)


def test_a_translation_records_the_source_revision_it_was_made_from(translated):
    assert translated["translation"].translation_source_revision == 1
    assert translated["source"].revision == 3


def test_the_form_shows_the_source_revision_s_text_beside_the_fields_and_the_diff(browser, users, client, translated):
    browser.login(users["editor"].email)
    html = _form(client, translated["translation"])
    assert html.count('class="translation-pair"') == 3  # title, summary, body
    # The source's text at revision 1 (the one translated), though it now says something else.
    assert re.findall(r'<p class="translation-source-text">(.*?)</p>', html) == ["Neuigkeit aus Aachen", "Kurz gesagt"]
    body = re.findall(r'<div class="translation-source-text">(.*?)</div>', html)
    assert body == ["<p>Erster Absatz bleibt.</p><p>Der alte Satz steht hier.</p>"]
    # What changed since: the changed words marked, the unchanged field said so.
    assert "<ins>!</ins>" in html and "<del>alte</del>" in html and "<ins>neue</ins>" in html
    assert html.count("Changed in the source since: revision 1 → 3") == 2
    assert html.count("Unchanged since revision 1.") == 1
    assert 'name="source_caught_up"' in html and 'name="source_revision" type="hidden" value="3"' in html
    assert 'href="/static/admin/translations.css' in html and "style=" not in html.split("translation-intro", 1)[1]


def test_ticking_brought_up_to_date_records_the_source_s_revision(browser, users, client, translated):
    browser.login(users["editor"].email)
    translation = translated["translation"]
    html = _form(client, translation)
    data = {
        "csrf_token": csrf_token_from(html),
        "title": "News from Aachen",
        "language": "en",
        "summary": "In short",
        "body": "<p>First paragraph stays.</p><p>The new sentence is here.</p>",
        "edited_revision": str(translation.revision),
        "source_revision": "3",
        "source_caught_up": "y",
    }
    response = client.post(f"/admin/content_news/edit/?id={translation.pk}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    stored = Content.objects.get(pk=translation.pk)
    assert (stored.translation_source_revision, stored.title) == (3, "News from Aachen")
    html = _form(client, stored)
    assert "The source is unchanged since revision 3." in html and "<del>" not in html
    assert 'name="source_caught_up"' not in html


def test_saving_without_ticking_keeps_the_recorded_revision(browser, users, client, translated):
    browser.login(users["editor"].email)
    translation = translated["translation"]
    data = {
        "csrf_token": csrf_token_from(_form(client, translation)),
        "title": "News from Aachen",
        "language": "en",
        "edited_revision": str(translation.revision),
        "source_revision": "3",
    }
    assert client.post(f"/admin/content_news/edit/?id={translation.pk}", data=data).status_code == 302
    assert Content.objects.get(pk=translation.pk).translation_source_revision == 1


def test_a_translation_without_a_recorded_revision_shows_the_current_text_and_says_so(
    browser, users, client, translated
):
    translation = translated["translation"]
    Content._get_collection().update_one({"_id": translation.pk}, {"$unset": {"translation_source_revision": ""}})
    browser.login(users["editor"].email)
    html = _form(client, translation)
    assert "It is not recorded which revision of the source this translation renders" in html
    beside = html.split('class="translation-source-text"', 3)[3]
    assert beside.startswith("><p>Erster Absatz bleibt.</p><p>Der neue Satz steht hier.</p>") and "<del>" not in html


def test_the_form_speaks_the_reader_s_language(browser, users, client, translated):
    browser.login(users["editor"].email)
    html = _form(client, translated["translation"], "zh")
    assert "Changed in the source since" not in html and "<del>alte</del>" in html


def test_the_api_gives_the_source_text_and_the_diff(api, users, translated):
    response = api.call("GET", f"{BASE}/{translated['translation'].pk}/translation-source", users["editor"])
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["translation_source_revision"] == 1 and data["source"]["revision"] == 3 and data["changed"] is True
    assert "Der alte Satz" in data["fields"]["body"]["text"] and data["fields"]["summary"]["diff"] == []
    removed = [line for line in data["fields"]["body"]["diff"] if line["kind"] == "removed"]
    assert {"changed": True, "text": "alte"} in removed[0]["parts"]
    original = api.call("GET", f"{BASE}/{translated['source'].pk}/translation-source", users["editor"])
    assert original.status_code == 404


@pytest.mark.parametrize("revision", [0, 4, "3", True, None])
def test_the_api_refuses_a_source_revision_out_of_range(api, users, translated, revision):
    translation = translated["translation"]
    response = api.call(
        "PATCH",
        f"{BASE}/{translation.pk}",
        users["editor"],
        json={"revision": translation.revision, "translation_source_revision": revision},
    )
    if revision is None:
        # Absent in effect: nothing to record, the save goes through.
        assert response.status_code == 200 and response.get_json()["translation_source_revision"] == 1
        return
    assert response.status_code == 422 and "translation_source_revision" in response.get_json()["error"]["details"]
    assert Content.objects.get(pk=translation.pk).revision == translation.revision
