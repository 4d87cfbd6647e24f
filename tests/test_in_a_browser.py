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
