"""The admin's behaviour under our CSP: no inline handlers anywhere; deleting asks first; repeating fields can be added;
typed paragraphs stay paragraphs on the page and in the PDF."""

import io
import re

import pytest
from pypdf import PdfReader

from cms import versions
from content_types import Content, PublishedVersion
from tests.workflow_helpers import force_state
from workflows import engine

INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)
# Flask-Admin's placeholder links (dropdown toggles) are inert; static/admin/cms.js keeps them from navigating.
SCRIPT_LINK = re.compile(r"""href\s*=\s*["']\s*javascript:(?!void\(0\)["'])""", re.IGNORECASE)


@pytest.mark.parametrize(
    "page",
    [
        "/admin/content_work_plan/",
        "/admin/content_work_plan/new/",
        "/admin/content_meeting/new/",
        "/admin/users/",
        "/admin/cities/",
        "/admin/content_all/",
    ],
)
def test_admin_pages_carry_no_inline_handlers(browser, users, client, create_item, page):
    create_item("work_plan", owner=users["editor"], topics=["KI"])
    browser.login(users["admin"].email)
    html = client.get(page).get_data(as_text=True)
    assert not INLINE_HANDLER.findall(html), INLINE_HANDLER.findall(html)[:3]
    assert not SCRIPT_LINK.findall(html)
    assert '<script src="/static/admin/cms.js"></script>' in html


def test_deleting_asks_first_and_repeating_fields_have_their_add_button(browser, users, client, create_item):
    create_item("work_plan", owner=users["editor"])
    browser.login(users["editor"].email)
    listing = client.get("/admin/content_work_plan/").get_data(as_text=True)
    assert 'data-confirm="Are you sure you want to delete this record?"' in listing
    form = client.get("/admin/content_work_plan/new/").get_data(as_text=True)
    assert 'data-add-inline="topics"' in form and 'data-add-inline="projects"' in form
    agenda = client.get("/admin/content_meeting/new/").get_data(as_text=True)
    assert 'data-add-inline="agenda_items"' in agenda
    with client.get("/static/admin/cms.js") as served:
        script = served.get_data(as_text=True)
    assert "window.confirm" in script and "addInlineField" in script


def test_topics_projects_and_an_agenda_are_saved_from_the_form(browser, users, client, city):
    browser.login(users["editor"].email)
    token = browser.form_token("/admin/content_work_plan/new/")
    client.post(
        "/admin/content_work_plan/new/",
        data={
            "csrf_token": token,
            "title": "Arbeitsplan 2029",
            "language": "de",
            "year": "2029",
            # What faForm.addInlineField's entries post.
            "topics-0": "Wasserstoff",
            "topics-1": "KI in der Produktion",
            "projects-0": "Delegationsreise",
        },
    )
    plan = Content.objects.get(title="Arbeitsplan 2029")
    assert plan.topics == ["Wasserstoff", "KI in der Produktion"] and plan.projects == ["Delegationsreise"]


def test_typed_paragraphs_stay_paragraphs_on_the_page_and_in_the_pdf(api, users, create_item, client):
    typed = "Sehr geehrte Damen und Herren,\n\nwir laden Sie ein.\nDas Programm folgt.\n\nMit freundlichen Grüßen"
    created = api.call(
        "POST",
        "/api/v1/content",
        users["editor"],
        json={"type": "news", "title": "Einladung", "public": True, "body": typed},
    ).get_json()
    item = Content.objects.get(pk=created["id"])
    assert item.body == (
        "<p>Sehr geehrte Damen und Herren,</p><p>wir laden Sie ein.<br>Das Programm folgt.</p>"
        "<p>Mit freundlichen Grüßen</p>"
    )
    published = engine.fire(users["reviewer"], force_state(item, "in_review"), "publish")
    page = client.get(f"/de/documents/{published.pk}").get_data(as_text=True)
    assert "<p>Sehr geehrte Damen und Herren,</p><p>wir laden Sie ein." in page
    version = PublishedVersion.objects.get(item=published.pk)
    pdf = versions.bucket().get(version.files[0].file_id).read()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    lines = [line.strip() for line in text.splitlines()]
    assert "Sehr geehrte Damen und Herren," in lines and "Mit freundlichen Grüßen" in lines
