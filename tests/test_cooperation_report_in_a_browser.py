"""The report to member cities and agencies in a real headless Chromium: created, compiled, its PDF attached."""

from content_types import Attachment, CooperationReport
from tests.browser_support import click_and_wait, log_in, needs_chromium
from tests.company_data import make_company_database
from tests.conftest import PASSWORD

pytestmark = needs_chromium


def test_the_secretariat_creates_and_compiles_a_report(chrome, site, users, create_item, city):
    from selenium.webdriver.common.by import By

    make_company_database(create_item, city)
    log_in(chrome, site, users["editor"], PASSWORD)
    chrome.get(f"{site}/admin/content_cooperation_report/new/")
    chrome.find_element(By.NAME, "title").send_keys("Bericht 1. Halbjahr 2026")
    for name, day in (("period_start", "2026-01-01"), ("period_end", "2026-06-30")):
        field = chrome.find_element(By.NAME, name)
        chrome.execute_script("arguments[0].value = arguments[1]", field, day)
    chrome.step("filled")
    click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "form.admin-form input[type=submit]"))
    report = CooperationReport.objects.get(title="Bericht 1. Halbjahr 2026")
    chrome.get(f"{site}/admin/content_cooperation_report/workflow/?id={report.pk}")
    chrome.step("item page")
    click_and_wait(chrome, chrome.find_element(By.XPATH, "//button[normalize-space()='Compile the report']"))
    chrome.step("compiled")
    (attached,) = Attachment.objects(item=report.pk)
    assert attached.name == "report-2026-01-01-2026-06-30-de.pdf"
    assert attached.name in chrome.find_element(By.CSS_SELECTOR, "section.attachments").text
    assert "Last compiled on" in chrome.find_element(By.CSS_SELECTOR, "section.compile-report").text
    errors = [entry for entry in chrome.get_log("browser") if entry["level"] == "SEVERE"]
    assert not [entry for entry in errors if "Content Security Policy" in entry["message"]], errors
