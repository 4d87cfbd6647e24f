"""The site end to end in headless Chromium, as its people use it: visitors in three languages, then a work plan
from the editor's draft over the reviewer, the meeting and the approver to a member's download.

Every step saves screenshots (1366 and 390 px wide) under test-output/browser/ and runs axe-core; a test fails
on any serious or critical violation, on a page that scrolls sideways or cuts a word at 390 px, and on a header
bar that takes two lines at 1366 px (tests/browser_support.py). test-output/browser/axe-summary-*.json lists what
axe found on each page, all impacts.
"""

import datetime
import json
import urllib.parse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from cms.operations import content
from content_types import Content, WorkPlan
from tests.browser_support import SCREENSHOTS, PageChecks, click_and_wait, log_in, needs_chromium
from tests.conftest import PASSWORD, state_of

pytestmark = needs_chromium

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def check(chrome, request):
    """The page checks of this test; writes what axe found on each page to a summary afterwards."""
    checks = PageChecks(chrome)
    yield checks
    summary = SCREENSHOTS / f"axe-summary-{request.node.name}.json"
    summary.write_text(json.dumps(checks.pages, indent=1, ensure_ascii=False), encoding="utf-8")


def _log_in(chrome, site, user):
    log_in(chrome, site, user, PASSWORD)


def _switch_as_user(chrome, user, site):
    # A fresh session for the next person: the cookies go, the browser stays (starting one costs seconds).
    chrome.delete_all_cookies()
    _log_in(chrome, site, user)


def _fire(chrome, trigger: str, **choices) -> None:
    form = chrome.find_element(By.XPATH, f"//form[input[@name='transition' and @value='{trigger}']]")
    for name, value in choices.items():
        form.find_element(By.CSS_SELECTOR, f"select[name={name}] option[value='{value}']").click()
    click_and_wait(chrome, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))


def _flashes(chrome) -> str:
    return " ".join(alert.text for alert in chrome.find_elements(By.CSS_SELECTOR, ".alert, .flash"))


def test_visitors_read_the_site_in_german_chinese_and_english(chrome, site, check):
    chrome.get(f"{site}/de/")
    assert chrome.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
    check("home-de")
    for code, label in (("zh", "中文"), ("en", "English")):
        click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, f"nav.languages a[lang={code}]"))
        assert chrome.current_url == f"{site}/{code}/"
        assert chrome.find_element(By.TAG_NAME, "html").get_attribute("lang") == code
        assert chrome.find_element(By.CSS_SELECTOR, "nav.languages [aria-current]").text == label
        check(f"home-{code}")
    for page in ("news", "documents", "meetings/next"):
        chrome.get(f"{site}/zh/{page}")
        check(f"{page.replace('/', '-')}-zh")
    chrome.get(f"{site}/de/members")  # the member area sends a visitor to a German login page
    assert "/login" in chrome.current_url and chrome.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
    check("login-de")
    check.assert_clean()


def test_a_work_plan_from_the_editors_draft_to_a_members_download(chrome, site, check, users, create_item, tmp_path):
    today = datetime.date.today()  # a meeting can be recorded as held from its first day on
    meeting = create_item(
        "meeting",
        owner=users["editor"],
        title="Halbjahrestreffen Aachen",
        year=today.year,
        half=1 if today.month <= 6 else 2,
        starts_on=today,
    )

    # The editor drafts the plan: topics, projects, a formatted body of two paragraphs, then an attachment.
    # (in German: the admin's language switcher, and the longest navbar of the three languages)
    _log_in(chrome, site, users["editor"])
    click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "nav.navbar button[name=language][value=de]"))
    assert chrome.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
    check("editor-dashboard-de")
    chrome.get(f"{site}/admin/content_work_plan/new/")
    chrome.find_element(By.NAME, "title").send_keys("Arbeitsplan 2030")
    chrome.find_element(By.NAME, "year").send_keys("2030")
    body = chrome.find_element(By.CSS_SELECTOR, ".rte-content[contenteditable=true]")  # the rich-text editor
    body.click()
    body.send_keys("Erster Absatz.", Keys.ENTER, "Zweiter ")
    chrome.find_element(By.CSS_SELECTOR, '[data-action="bold"]').click()
    body.send_keys("fetter")
    chrome.find_element(By.CSS_SELECTOR, '[data-action="bold"]').click()
    body.send_keys(" Absatz.")
    for field, entries in (("topics", ["Wasserstoff", "KI in der Produktion"]), ("projects", ["Delegationsreise"])):
        for index, entry in enumerate(entries):
            chrome.find_element(By.CSS_SELECTOR, f'[data-add-inline="{field}"]').click()
            chrome.find_element(By.NAME, f"{field}-{index}").send_keys(entry)
    check("editor-new-work-plan")
    click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "form.admin-form input[type=submit]"))
    chrome.step("editor-saved")  # the list, as checked in the next test
    plan = WorkPlan.objects.get(title="Arbeitsplan 2030")
    assert plan.topics == ["Wasserstoff", "KI in der Produktion"] and plan.projects == ["Delegationsreise"]

    chrome.get(f"{site}/admin/content_work_plan/workflow/?id={plan.pk}")
    upload = tmp_path / "Anlage.pdf"
    upload.write_bytes(PDF)
    form = chrome.find_element(By.CSS_SELECTOR, "form[enctype='multipart/form-data']")
    form.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(upload))
    click_and_wait(chrome, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert chrome.find_element(By.LINK_TEXT, "Anlage.pdf")
    check("editor-attached")
    _fire(chrome, "submit")
    assert state_of(plan) == "in_review"
    chrome.step("editor-submitted")  # the page in review, as checked at the reviewer's next

    # The reviewer puts it on the meeting's agenda and finds it there.
    _switch_as_user(chrome, users["reviewer"], site)
    chrome.get(f"{site}/admin/content_work_plan/workflow/?id={plan.pk}")
    check("reviewer-plan")
    _fire(chrome, "accept", meeting_id=meeting.pk)
    assert state_of(plan) == "on_agenda"
    check("reviewer-accepted")
    chrome.get(f"{site}/admin/content_meeting/workflow/?id={meeting.pk}")
    agenda = chrome.find_element(By.XPATH, "//section[h3[contains(., 'Documents on the agenda')]]")
    assert agenda.find_element(By.LINK_TEXT, "Arbeitsplan 2030")
    check("reviewer-meeting-agenda")

    # The secretariat announces the meeting and records that it was held.
    _switch_as_user(chrome, users["editor"], site)
    chrome.get(f"{site}/admin/content_meeting/workflow/?id={meeting.pk}")
    _fire(chrome, "announce")
    _fire(chrome, "hold")
    assert state_of(meeting) == "held"
    check("editor-meeting-held")

    # The approver records the meeting's approval and publishes.
    # (in Chinese)
    _switch_as_user(chrome, users["approver"], site)
    click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "nav.navbar button[name=language][value=zh]"))
    chrome.get(f"{site}/admin/content_work_plan/workflow/?id={plan.pk}")
    assert chrome.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh"
    check("approver-plan-zh")
    _fire(chrome, "approve")
    _fire(chrome, "publish")
    assert state_of(plan) == "published"
    check("approver-published")

    # A member finds it in the member area and downloads version 1.
    _switch_as_user(chrome, users["member"], site)
    chrome.get(f"{site}/en/members")
    check("member-area")
    click_and_wait(chrome, chrome.find_element(By.LINK_TEXT, "Arbeitsplan 2030"))
    paragraphs = chrome.find_elements(By.CSS_SELECTOR, ".body p")
    assert [p.text for p in paragraphs] == ["Erster Absatz.", "Zweiter fetter Absatz."]
    assert paragraphs[1].find_element(By.TAG_NAME, "strong").text == "fetter"
    check("member-document")
    version = chrome.find_element(By.XPATH, "//ul[@class='versions']/li[starts-with(normalize-space(), 'Version 1')]")
    link = version.find_element(By.CSS_SELECTOR, "a").get_attribute("href")
    status, kind, start = chrome.execute_async_script(
        """const done = arguments[arguments.length - 1];
        fetch(arguments[0]).then(async (r) => done([r.status, r.headers.get("content-type"),
          new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5))]));""",
        link,
    )
    assert (status, kind, start) == (200, "application/pdf", "%PDF-")
    check.assert_clean()


def test_an_editor_is_asked_before_deleting_and_told_of_a_stale_edit(chrome, site, check, users, create_item):
    editor = users["editor"]
    kept = create_item("work_plan", owner=editor, title="Arbeitsplan 2031", year=2031)
    doomed = create_item("work_plan", owner=editor, title="Zu löschender Entwurf", year=2032)
    _log_in(chrome, site, editor)
    chrome.get(f"{site}/admin/content_work_plan/")
    check("editor-list")
    row = chrome.find_element(By.XPATH, "//tr[td[contains(., 'Zu löschender Entwurf')]]")
    row.find_element(By.CSS_SELECTOR, "button[data-confirm]").click()
    chrome.switch_to.alert.dismiss()
    assert Content.objects(pk=doomed.pk).count() == 1  # said no: still there
    button = row.find_element(By.CSS_SELECTOR, "button[data-confirm]")
    button.click()
    chrome.switch_to.alert.accept()
    WebDriverWait(chrome, 10).until(expected_conditions.staleness_of(button))
    assert Content.objects(pk=doomed.pk).count() == 0
    check("editor-deleted")

    # The editor opens the form; meanwhile the item is saved elsewhere; their save is refused, their text kept.
    chrome.get(f"{site}/admin/content_work_plan/workflow/?id={kept.pk}")
    click_and_wait(chrome, chrome.find_element(By.XPATH, "//form[contains(@action, '/lock/')]//button"))
    check("editor-editing")
    content.save_changes(editor, Content.objects.get(pk=kept.pk), kept.revision, {"title": "Arbeitsplan 2031 (neu)"})
    title = chrome.find_element(By.NAME, "title")
    title.clear()
    title.send_keys("Arbeitsplan 2031 (meiner)")
    click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "form.admin-form input[type=submit]"))
    assert "Someone else changed this item meanwhile" in _flashes(chrome)
    assert chrome.find_element(By.NAME, "title").get_attribute("value") == "Arbeitsplan 2031 (meiner)"
    assert Content.objects.get(pk=kept.pk).title == "Arbeitsplan 2031 (neu)"
    check("editor-stale-edit")
    check.assert_clean()


def test_the_checks_find_what_they_look_for(chrome, check):
    # A page with no language, an unlabelled field, a 600px wide box, a cut word and a two-line header bar:
    # each must be reported, or the green scenarios above would prove nothing.
    page = (
        "<title>t</title><nav class='navbar'><a href='#'>one</a><br><a href='#'>two</a></nav>"
        "<input type=text><div style='width:600px'>wide</div>"
        "<p style='width:60px;overflow-wrap:anywhere'>Industriestädteallianz</p>"
    )
    chrome.get("data:text/html;charset=utf-8," + urllib.parse.quote(page))
    check("broken-page")
    problems = "\n".join(check.problems)
    assert "html-has-lang (serious)" in problems and "label (critical)" in problems
    assert "nav.navbar takes 2 lines" in problems
    assert "scrolls sideways" in problems and "words cut across lines: Industriest" in problems
