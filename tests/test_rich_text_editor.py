"""The rich-text editor for bodies: its committed bundle, its labels, and what it writes reaching the page and the
PDF with the same headings, paragraphs, lists and tables. (In Chromium: tests/test_in_a_browser.py.)"""

import hashlib
import json
import re
from html import unescape
from pathlib import Path

import pytest

from cms import versions
from cms.pdf import render_pdf
from content_types import Content, PublishedVersion
from content_types.sanitize import sanitize_html
from tests.pdf_text import pdf_lines
from tests.workflow_helpers import force_state
from workflows import engine

ROOT = Path(__file__).resolve().parent.parent
FRONTEND = ROOT / "frontend" / "editor"
BUNDLE = ROOT / "static" / "editor"
# Licences that let us ship the editor's code inside ours.
PERMISSIVE = {"MIT", "ISC", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "0BSD"}

# What the editor writes (Tiptap's getHTML with frontend/editor/src/editor.js's extensions): a heading, three
# paragraphs with inline formatting and a link, both kinds of list, a quotation and a table.
EDITOR_HTML = (
    "<h2>Arbeitsplan 2028</h2>"
    "<p>Erster Absatz mit <strong>fettem</strong> und <em>kursivem</em> Text.</p>"
    '<p>Zweiter Absatz mit einem <a href="https://alliance.example/plan" rel="noopener noreferrer">Link</a>.</p>'
    "<p>Dritter Absatz.</p>"
    "<h3>Themen</h3>"
    "<ul><li><p>Wasserstoff</p></li><li><p>KI in der Produktion</p></li></ul>"
    "<ol><li><p>Delegationsreise</p></li><li><p>Fachkonferenz</p></li></ol>"
    "<blockquote><p>Gemeinsam stärker.</p></blockquote>"
    "<table><tbody>"
    '<tr><th colspan="1" rowspan="1"><p>Stadt</p></th><th colspan="1" rowspan="1"><p>Termin</p></th></tr>'
    '<tr><td colspan="1" rowspan="1"><p>Aachen</p></td><td colspan="1" rowspan="1"><p>November</p></td></tr>'
    "</tbody></table>"
)
# The same text as the PDF reads it, line by line.
EDITOR_PDF_LINES = [
    "Arbeitsplan 2028",
    "Erster Absatz mit fettem und kursivem Text.",
    "Zweiter Absatz mit einem Link.",
    "Dritter Absatz.",
    "Themen",
    "• Wasserstoff",
    "• KI in der Produktion",
    "1. Delegationsreise",
    "2. Fachkonferenz",
    "Gemeinsam stärker.",
    "Stadt",
    "Termin",
    "Aachen",
    "November",
]


def _source_hash() -> str:
    # As frontend/editor/build.mjs computes it: src/ files by name, then package-lock.json.
    digest = hashlib.sha256()
    files = [f"src/{path.name}" for path in sorted((FRONTEND / "src").iterdir(), key=lambda path: path.name)]
    for name in [*files, "package-lock.json"]:
        digest.update(f"{name}\n".encode())
        digest.update((FRONTEND / name).read_bytes())
    return digest.hexdigest()


def test_the_committed_bundle_is_the_build_of_the_committed_sources():
    expected = f"sources sha256:{_source_hash()}"
    for name in ("editor.min.js", "editor.min.css"):
        first_line = (BUNDLE / name).read_text(encoding="utf-8").splitlines()[0]
        assert expected in first_line, f"static/editor/{name} is stale: run `make editor`"


def test_every_bundled_package_has_a_permissive_licence_and_its_notice_ships_with_it():
    notices = (BUNDLE / "THIRD-PARTY-NOTICES.txt").read_text(encoding="utf-8")
    packages = dict(re.findall(r"^(\S+) \d+\.\d+\.\d+\S* — (\S+)$", notices, re.MULTILINE))
    lock = json.loads((FRONTEND / "package-lock.json").read_text(encoding="utf-8"))
    assert {"@tiptap/core", "prosemirror-view", "prosemirror-model"} <= set(packages)
    for name, licence in packages.items():
        assert licence in PERMISSIVE, (name, licence)
        assert lock["packages"][f"node_modules/{name}"]["license"] == licence
    # Each package's own licence text is there (MIT asks that its notice goes with every copy).
    assert "ships no licence file" not in notices
    assert notices.count("Permission is hereby granted") == len(packages)


@pytest.mark.parametrize("kind", ["news", "work_plan"])
def test_the_body_field_is_a_textarea_the_editor_takes_over_with_labels_in_the_readers_language(
    browser, users, client, kind
):
    users["editor"].update(set__language="zh")
    browser.login(users["editor"].email)
    form = client.get(f"/admin/content_{kind}/new/").get_data(as_text=True)
    textarea = re.search(r"<textarea[^>]*\bname=\"body\"[^>]*>", form).group(0)
    labels = json.loads(unescape(re.search(r'data-rich-text="([^"]*)"', textarea).group(1)))
    assert labels["bold"] == "加粗" and labels["heading2"] == "H2: 2 级标题" and labels["bulletList"] == "项目符号列表"
    assert '<script src="/static/editor/editor.min.js"></script>' in form
    assert '<link rel="stylesheet" href="/static/editor/editor.min.css">' in form


def test_the_edit_form_loads_the_editor_too(browser, users, client, create_item):
    item = create_item("news", owner=users["editor"], body="<p>Text</p>")
    browser.login(users["editor"].email)
    form = client.get(f"/admin/content_news/edit/?id={item.pk}").get_data(as_text=True)
    assert "data-rich-text=" in form and "/static/editor/editor.min.js" in form
    assert re.search(r"<textarea[^>]*data-rich-text=[^>]*>\s*&lt;p&gt;Text&lt;/p&gt;</textarea>", form)


def test_the_sanitiser_keeps_what_the_editor_writes_unchanged():
    # Otherwise saving would change the text behind the editor's back, and the next edit would start from a diff.
    assert sanitize_html(EDITOR_HTML) == EDITOR_HTML


def test_what_the_editor_writes_reaches_the_page_the_preview_and_the_pdf_with_its_structure(
    browser, users, client, create_item
):
    browser.login(users["editor"].email)
    token = browser.form_token("/admin/content_news/new/")
    # The form posts the textarea the editor keeps in step.
    client.post(
        "/admin/content_news/new/",
        data={"csrf_token": token, "title": "Mit Editor", "language": "de", "public": "y", "body": EDITOR_HTML},
    )
    item = Content.objects.get(title="Mit Editor")
    assert item.body == EDITOR_HTML
    preview = client.get(f"/admin/content_news/workflow/?id={item.pk}").get_data(as_text=True)
    assert EDITOR_HTML in preview

    published = engine.fire(users["reviewer"], force_state(item, "in_review"), "publish")
    page = client.get(f"/de/documents/{published.pk}").get_data(as_text=True)
    assert f'<div class="body" lang="de">{EDITOR_HTML}</div>' in page
    version = PublishedVersion.objects.get(item=published.pk)
    lines = pdf_lines(versions.bucket().get(version.files[0].file_id).read())
    body_start = lines.index("Arbeitsplan 2028")
    assert lines[body_start:] == EDITOR_PDF_LINES


def test_a_body_saved_as_plain_text_earlier_shows_its_paragraphs_on_the_page_the_preview_and_the_pdf(
    app, browser, users, client, create_item
):
    item = create_item("news", owner=users["editor"], title="Alt", public=True, body="<p>x</p>")
    published = engine.fire(users["reviewer"], force_state(item, "in_review"), "publish")
    # Stored before bodies became HTML: written past the model's clean(), as the old version left it.
    plain = "Sehr geehrte Damen und Herren,\n\nwir laden Sie ein.\n\nMit freundlichen Grüßen"
    Content.objects(pk=published.pk).update(set__body=plain)
    paragraphs = "<p>Sehr geehrte Damen und Herren,</p><p>wir laden Sie ein.</p><p>Mit freundlichen Grüßen</p>"
    assert paragraphs in client.get(f"/de/documents/{published.pk}").get_data(as_text=True)
    browser.login(users["editor"].email)
    assert paragraphs in client.get(f"/admin/content_news/workflow/?id={published.pk}").get_data(as_text=True)
    with app.test_request_context():
        pdf = render_pdf("Alt", "de", 1, published.published_at, None, [], plain)
    assert pdf_lines(pdf)[-3:] == ["Sehr geehrte Damen und Herren,", "wir laden Sie ein.", "Mit freundlichen Grüßen"]


def test_without_javascript_the_textarea_still_saves_typed_paragraphs(browser, users, client):
    browser.login(users["editor"].email)
    token = browser.form_token("/admin/content_news/new/")
    typed = "Erster Absatz.\r\n\r\nZweiter Absatz,\r\nmit zwei Zeilen.\r\n\r\nDritter Absatz: 3 > 2 & 1 < 2."
    client.post(
        "/admin/content_news/new/",
        data={"csrf_token": token, "title": "Ohne Skript", "language": "de", "body": typed},
    )
    assert Content.objects.get(title="Ohne Skript").body == (
        "<p>Erster Absatz.</p><p>Zweiter Absatz,<br>mit zwei Zeilen.</p><p>Dritter Absatz: 3 &gt; 2 &amp; 1 &lt; 2.</p>"
    )


@pytest.mark.parametrize(
    "typed, stored",
    [
        # Angle brackets around a word are text, kept: nothing typed is dropped.
        ("Dritter <Absatz> und <Ingolstadt>", "<p>Dritter &lt;Absatz&gt; und &lt;Ingolstadt&gt;</p>"),
        # An HTML element makes the body HTML, sanitised: what it runs goes.
        ("<script>alert(1)</script>", ""),
        ("<p>Eins</p><script>alert(1)</script>", "<p>Eins</p>"),
    ],
)
def test_text_is_html_only_when_it_holds_an_html_element(typed, stored):
    from content_types.sanitize import paragraphs_from_text, sanitize_html

    assert sanitize_html(paragraphs_from_text(typed)) == stored
