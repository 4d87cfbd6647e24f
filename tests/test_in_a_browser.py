"""The admin in a real headless Chromium, under the real CSP: the behaviour Flask-Admin wired inline now works.

Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them); skipped with a message where
they are missing. Each step's screenshot goes to test-output/browser/.
"""

from content_types import Content, WorkPlan
from tests.browser_support import click_and_wait, log_in, needs_chromium
from tests.conftest import PASSWORD

pytestmark = needs_chromium


def _click_and_wait(chrome, button) -> None:
    click_and_wait(chrome, button)


def _log_in(chrome, site, user):
    log_in(chrome, site, user, PASSWORD)


def test_an_editor_adds_topics_and_projects_to_a_work_plan(chrome, site, users):
    from selenium.webdriver.common.by import By

    _log_in(chrome, site, users["editor"])
    chrome.get(f"{site}/admin/content_work_plan/new/")
    chrome.find_element(By.NAME, "title").send_keys("Arbeitsplan 2030")
    chrome.find_element(By.NAME, "year").send_keys("2030")
    for field, entries in (("topics", ["Wasserstoff", "KI in der Produktion"]), ("projects", ["Delegationsreise"])):
        for index, entry in enumerate(entries):
            chrome.find_element(By.CSS_SELECTOR, f'[data-add-inline="{field}"]').click()
            chrome.find_element(By.NAME, f"{field}-{index}").send_keys(entry)
    chrome.step("filled")
    _click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "form.admin-form input[type=submit]"))
    chrome.step("saved")
    plan = WorkPlan.objects.get(title="Arbeitsplan 2030")
    assert plan.topics == ["Wasserstoff", "KI in der Produktion"] and plan.projects == ["Delegationsreise"]
    errors = [entry for entry in chrome.get_log("browser") if entry["level"] == "SEVERE"]
    assert not [entry for entry in errors if "Content Security Policy" in entry["message"]], errors


def test_a_list_filter_is_added_and_applied_under_the_csp(chrome, site, users, create_item):
    from selenium.webdriver.common.by import By

    create_item("news", owner=users["editor"], title="Deutsche Nachricht")
    create_item("news", owner=users["editor"], title="中文新闻", language="zh")
    _log_in(chrome, site, users["editor"])
    chrome.get(f"{site}/admin/content_news/")
    chrome.find_element(By.LINK_TEXT, "Add Filter").click()
    chrome.find_element(By.XPATH, "//a[contains(@class, 'filter') and normalize-space()='Language']").click()
    # The placeholder link added a filter row and went nowhere.
    assert chrome.current_url == f"{site}/admin/content_news/"
    # The value's select is select2's (the original is hidden): choose through the original.
    choice = chrome.find_element(By.CSS_SELECTOR, "select.filter-val")
    chrome.execute_script("arguments[0].value = 'zh'; arguments[0].dispatchEvent(new Event('change'))", choice)
    chrome.step("filter chosen")
    _click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "#filter_form button[type=submit]"))
    rows = chrome.find_element(By.CSS_SELECTOR, "table.model-list tbody").text
    assert "中文新闻" in rows and "Deutsche Nachricht" not in rows
    errors = [entry for entry in chrome.get_log("browser") if entry["level"] == "SEVERE"]
    assert not [entry for entry in errors if "Content Security Policy" in entry["message"]], errors


def test_deleting_a_draft_asks_first(chrome, site, users, create_item):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    draft = create_item("work_plan", owner=users["editor"], title="Zu löschender Entwurf")
    _log_in(chrome, site, users["editor"])
    chrome.get(f"{site}/admin/content_work_plan/")
    chrome.find_element(By.CSS_SELECTOR, "button[data-confirm]").click()
    alert = chrome.switch_to.alert
    assert "Are you sure" in alert.text
    alert.dismiss()
    chrome.step("kept")
    assert Content.objects(pk=draft.pk).count() == 1  # said no: still there
    button = chrome.find_element(By.CSS_SELECTOR, "button[data-confirm]")
    button.click()
    chrome.switch_to.alert.accept()
    WebDriverWait(chrome, 10).until(expected_conditions.staleness_of(button))  # the list page again
    chrome.step("deleted")
    assert Content.objects(pk=draft.pk).count() == 0


def test_an_editor_starts_at_the_dashboard_and_opens_a_draft_from_it(chrome, site, users, create_item):
    from selenium.webdriver.common.by import By

    draft = create_item("news", owner=users["editor"], title="Rundbrief Entwurf")
    _log_in(chrome, site, users["editor"])
    assert chrome.current_url == f"{site}/admin/"
    chrome.step("dashboard")
    box = chrome.find_element(By.XPATH, "//section[h2[starts-with(normalize-space(), 'My drafts')]]")
    _click_and_wait(chrome, box.find_element(By.LINK_TEXT, "Rundbrief Entwurf"))
    chrome.step("draft")
    assert chrome.current_url.endswith(f"/admin/content_news/workflow/?id={draft.pk}")


# The rich-text editor (static/editor/, built from frontend/editor/): what an editor types with its toolbar and
# keyboard, and what the form, the preview, the page and the PDF make of it.
TYPED_BODY = (
    "<h2>Ein neuer Editor</h2>"
    "<p>Erster Absatz mit einem <strong>fetten</strong> Wort.</p>"
    "<p>Zweiter Absatz.</p>"
    "<p>Dritter Absatz.</p>"
    "<ul><li><p>Punkt eins</p></li><li><p>Punkt zwei</p></li></ul>"
)


def _csp_errors(chrome) -> list:
    # The browser's log since the last call: anything the Content-Security-Policy refused.
    return [entry for entry in chrome.get_log("browser") if "Content Security Policy" in entry["message"]]


def _press(chrome, *keys) -> None:
    # A shortcut such as Ctrl+B, pressed in whatever has the focus.
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    chord = ActionChains(chrome).key_down(Keys.CONTROL)
    for key in keys:
        chord = chord.send_keys(key)
    chord.key_up(Keys.CONTROL).perform()


def test_an_editor_formats_a_news_item_and_the_preview_the_page_and_the_pdf_show_the_same_structure(
    chrome, site, users
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from cms import versions
    from content_types import News, PublishedVersion
    from content_types.sanitize import sanitize_html
    from tests.pdf_text import pdf_lines
    from tests.workflow_helpers import force_state
    from workflows import engine

    users["editor"].update(set__language="de")  # the admin, and the toolbar's labels, in German
    _log_in(chrome, site, users["editor"])
    chrome.get(f"{site}/admin/content_news/new/")
    chrome.find_element(By.NAME, "title").send_keys("Ein neuer Editor")
    chrome.find_element(By.NAME, "public").click()
    textarea = chrome.find_element(By.NAME, "body")
    assert not textarea.is_displayed()  # the editor stands in for it
    editor = chrome.find_element(By.CSS_SELECTOR, ".rte-content[contenteditable=true]")
    assert chrome.find_element(By.CSS_SELECTOR, '[data-action="bold"]').get_attribute("aria-label") == "Fett"
    chrome.step("empty-editor")
    editor.click()
    chrome.find_element(By.CSS_SELECTOR, '[data-action="heading2"]').click()
    editor.send_keys("Ein neuer Editor", Keys.ENTER, "Erster Absatz mit einem ")
    _press(chrome, "b")
    editor.send_keys("fetten")
    _press(chrome, "b")
    editor.send_keys(" Wort.", Keys.ENTER, "Zweiter Absatz.", Keys.ENTER, "Dritter Absatz.", Keys.ENTER)
    chrome.step("paragraphs")
    chrome.find_element(By.CSS_SELECTOR, '[data-action="bulletList"]').click()
    editor.send_keys("Punkt eins", Keys.ENTER, "Punkt zwei")
    chrome.step("list")
    assert chrome.find_element(By.CSS_SELECTOR, '[data-action="bulletList"]').get_attribute("aria-pressed") == "true"
    assert textarea.get_property("value") == TYPED_BODY  # what the form will post
    assert sanitize_html(TYPED_BODY) == TYPED_BODY  # and what the sanitiser keeps as it is
    assert not _csp_errors(chrome)
    _click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "form.admin-form input[type=submit]"))
    item = News.objects.get(title="Ein neuer Editor")
    assert item.body == TYPED_BODY

    chrome.get(f"{site}/admin/content_news/workflow/?id={item.pk}")
    chrome.step("preview")
    preview = chrome.find_element(By.CSS_SELECTOR, "div.border.p-2.mb-3")
    assert preview.get_property("innerHTML") == TYPED_BODY

    published = engine.fire(users["reviewer"], force_state(item, "in_review"), "publish")
    chrome.get(f"{site}/de/documents/{published.pk}")
    chrome.step("public-page")
    shown = chrome.find_element(By.CSS_SELECTOR, "main .body")
    assert shown.get_property("innerHTML") == TYPED_BODY
    assert shown.find_element(By.CSS_SELECTOR, "h2").text == "Ein neuer Editor"
    assert [p.text for p in shown.find_elements(By.CSS_SELECTOR, ":scope > p")] == [
        "Erster Absatz mit einem fetten Wort.",
        "Zweiter Absatz.",
        "Dritter Absatz.",
    ]
    assert [li.text for li in shown.find_elements(By.CSS_SELECTOR, "ul > li")] == ["Punkt eins", "Punkt zwei"]
    version = PublishedVersion.objects.get(item=published.pk)
    lines = pdf_lines(versions.bucket().get(version.files[0].file_id).read())
    start = lines.index("Ein neuer Editor", lines.index("Ein neuer Editor") + 1)  # the body's heading, after the title
    assert lines[start:] == [
        "Ein neuer Editor",
        "Erster Absatz mit einem fetten Wort.",
        "Zweiter Absatz.",
        "Dritter Absatz.",
        "• Punkt eins",
        "• Punkt zwei",
    ]
    assert not _csp_errors(chrome)


def test_the_editor_opens_plain_text_as_paragraphs_and_writes_tables_and_links_the_sanitiser_keeps(
    chrome, site, users, create_item
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from content_types import Content
    from content_types.sanitize import sanitize_html

    item = create_item("news", owner=users["editor"], title="Alter Text", body="<p>x</p>")
    # Saved before bodies were HTML: plain text with blank lines, written past the model's clean().
    Content.objects(pk=item.pk).update(set__body="Erster Absatz.\n\nZweiter Absatz.\n\nDritter Absatz.")
    users["editor"].update(set__language="zh")
    _log_in(chrome, site, users["editor"])
    chrome.get(f"{site}/admin/content_news/edit/?id={item.pk}")
    editor = chrome.find_element(By.CSS_SELECTOR, ".rte-content[contenteditable=true]")
    chrome.step("plain-text-opened")
    assert [p.text for p in editor.find_elements(By.CSS_SELECTOR, ":scope > p")] == [
        "Erster Absatz.",
        "Zweiter Absatz.",
        "Dritter Absatz.",
    ]
    textarea = chrome.find_element(By.NAME, "body")

    # A link: the toolbar's field takes the address; javascript: is refused with a message.
    editor.find_element(By.XPATH, "./p[1]").click()
    editor.send_keys(Keys.END, " ")
    chrome.find_element(By.CSS_SELECTOR, '[data-action="link"]').click()
    address = chrome.find_element(By.CSS_SELECTOR, ".rte-linkpanel input")
    address.send_keys("javascript:alert(1)", Keys.ENTER)
    assert chrome.find_element(By.CSS_SELECTOR, ".rte-link-error").text.startswith("链接须以 https://")
    address.clear()
    address.send_keys("www.alliance.example", Keys.ENTER)
    chrome.step("link")

    # "1. " starts a numbered list (Enter on an empty item ends it), then a table from the toolbar.
    editor.find_element(By.XPATH, "./p[last()]").click()
    editor.send_keys(Keys.END, Keys.ENTER, "1. Erstens", Keys.ENTER, "Zweitens", Keys.ENTER, Keys.ENTER)
    chrome.find_element(By.CSS_SELECTOR, '[data-action="table"]').click()
    assert chrome.find_element(By.CSS_SELECTOR, ".rte-tablebar").is_displayed()
    editor.send_keys("Stadt", Keys.TAB, "Termin", Keys.TAB, "Ort", Keys.TAB, "Aachen", Keys.TAB, "26. November")
    chrome.step("table")
    written = textarea.get_property("value")
    assert written.startswith(
        '<p>Erster Absatz. <a href="https://www.alliance.example" rel="noopener noreferrer">'
        "https://www.alliance.example</a></p><p>Zweiter Absatz.</p><p>Dritter Absatz.</p>"
        "<ol><li><p>Erstens</p></li><li><p>Zweitens</p></li></ol><table><tbody><tr>"
    )
    assert "<td" in written and "<p>Aachen</p>" in written and "style" not in written
    assert "<p>26. November</p>" in written  # a date at a paragraph's start is no numbered list
    assert sanitize_html(written) == written  # saving changes nothing behind the editor's back
    assert not _csp_errors(chrome)
    _click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "form.admin-form input[type=submit]"))
    assert Content.objects.get(pk=item.pk).body == written


def test_a_translator_sees_the_source_beside_the_fields_side_by_side_or_stacked(chrome, site, users, api):
    from selenium.webdriver.common.by import By

    editor = users["editor"]
    made = api.call(
        "POST",
        "/api/v1/content",
        editor,
        json={"type": "news", "language": "de", "title": "Neuigkeit", "summary": "Kurz", "body": "<p>Alter Satz.</p>"},
    ).get_json()
    translation = api.call("POST", f"/api/v1/content/{made['id']}/translations", editor, json={"language": "en"})
    translation = Content.objects.get(pk=translation.get_json()["id"])
    api.call("PATCH", f"/api/v1/content/{made['id']}", editor, json={"revision": 1, "body": "<p>Neuer Satz.</p>"})
    _log_in(chrome, site, editor)
    chrome.get(f"{site}/admin/content_news/edit/?id={translation.pk}")
    chrome.step("wide")
    source, target = chrome.find_elements(By.CSS_SELECTOR, ".translation-pair")[2].find_elements(By.XPATH, "./div")
    assert source.location["y"] == target.location["y"] and source.location["x"] < target.location["x"]
    assert chrome.find_element(By.CSS_SELECTOR, ".text-diff del").text == "Alter"
    chrome.set_window_size(390, 900)
    chrome.step("narrow")
    source, target = chrome.find_elements(By.CSS_SELECTOR, ".translation-pair")[2].find_elements(By.XPATH, "./div")
    assert source.location["x"] == target.location["x"] and source.location["y"] < target.location["y"]
    # The pairs fit the narrow window (the workflow diagram further down is wider: not this form's to fix).
    assert chrome.execute_script(
        "return [...document.querySelectorAll('.translation-pair')]"
        ".every(pair => pair.getBoundingClientRect().right <= window.innerWidth)"
    )
    chrome.set_window_size(1366, 900)
    chrome.find_element(By.NAME, "source_caught_up").click()
    _click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "form.admin-form input[type=submit]"))
    chrome.step("saved")
    assert Content.objects.get(pk=translation.pk).translation_source_revision == 2
    errors = [entry for entry in chrome.get_log("browser") if entry["level"] == "SEVERE"]
    assert not [entry for entry in errors if "Content Security Policy" in entry["message"]], errors


def test_an_editor_enters_a_meeting_s_agenda_in_three_languages(chrome, site, users, city):
    from selenium.webdriver.common.by import By

    _log_in(chrome, site, users["editor"])
    chrome.get(f"{site}/admin/content_meeting/new/")
    chrome.find_element(By.NAME, "title").send_keys("Halbjahrestreffen Aachen")
    chrome.find_element(By.NAME, "title_zh").send_keys("亚琛半年度会议")
    chrome.find_element(By.NAME, "title_en").send_keys("Half-yearly meeting in Aachen")
    chrome.find_element(By.NAME, "year").send_keys("2030")
    chrome.find_element(By.NAME, "half").send_keys("2")
    chrome.execute_script(
        "var s = document.getElementsByName('host_city')[0]; s.value = arguments[0];"
        "s.dispatchEvent(new Event('change', {bubbles: true}));",
        str(city("Aachen").pk),
    )
    for field, entry in (("agenda_items", "Begrüßung"), ("agenda_items_zh", "欢迎"), ("agenda_items_en", "Welcome")):
        chrome.find_element(By.CSS_SELECTOR, f'[data-add-inline="{field}"]').click()
        chrome.find_element(By.NAME, f"{field}-0").send_keys(entry)
    chrome.step("filled")
    _click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "form.admin-form input[type=submit]"))
    chrome.step("saved")
    meeting = Content.objects.get(title="Halbjahrestreffen Aachen")
    assert (meeting.agenda_items, meeting.agenda_items_zh, meeting.agenda_items_en) == (
        ["Begrüßung"],
        ["欢迎"],
        ["Welcome"],
    )
    assert meeting.title_zh == "亚琛半年度会议"
