"""The public membership form in a real headless Chromium under the site's CSP: filled in, refused, sent, confirmed.

Each page is checked by axe-core and for its layout at 1366 and 390 px (tests/browser_support.PageChecks);
screenshots go to test-output/browser/.
"""

import re

from cms.mail import sender
from content_types import MembershipApplication
from tests.browser_support import PageChecks, click_and_wait, needs_chromium
from tests.test_membership_application_form import CONFIRM_PATH, CONTACT

pytestmark = needs_chromium


def test_a_visitor_applies_for_hannover_and_confirms_by_the_link(chrome, site, app, smtp):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    checks = PageChecks(chrome)
    chrome.get(f"{site}/de/cities")
    click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, 'a[href="/de/apply"]'))
    # The trap field is there for bots, not shown to people.
    assert not chrome.find_element(By.NAME, "website").is_displayed()
    checks("form")

    Select(chrome.find_element(By.NAME, "city")).select_by_value("new")
    for name, value in (("name_de", "Hannover"), ("name_zh", "汉诺威"), ("name_en", "Hanover")):
        chrome.find_element(By.NAME, name).send_keys(value)
    Select(chrome.find_element(By.NAME, "country")).select_by_value("DE")
    for name in ("economic_data", "industrial_characteristics", "national_cooperation", "international_cooperation"):
        chrome.find_element(By.NAME, name).send_keys(f"Angaben: {name}")
    chrome.find_element(By.NAME, "contact_name").send_keys("Erika Mustermann")
    chrome.find_element(By.NAME, "contact_email").send_keys(CONTACT)
    # Cooperation wishes left empty: the form comes back with the error, and what was typed.
    click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "form.application-form button[type=submit]"))
    assert chrome.find_element(By.NAME, "name_zh").get_attribute("value") == "汉诺威"
    assert chrome.find_element(By.NAME, "cooperation_wishes").get_attribute("aria-invalid") == "true"
    checks("refused")

    chrome.find_element(By.NAME, "cooperation_wishes").send_keys("Wasserstoff")
    click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "form.application-form button[type=submit]"))
    assert chrome.current_url == f"{site}/de/apply/sent"
    checks("sent")

    with app.app_context():
        sender.deliver_due()
    (mail,) = smtp.inbox.to(CONTACT)
    path = CONFIRM_PATH.search(mail.get_body(("plain",)).get_content()).group(1)
    chrome.get(f"{site}{path}")
    checks("confirm")
    assert MembershipApplication.objects.count() == 0
    click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert re.search(r"Vielen Dank", chrome.find_element(By.TAG_NAME, "main").text)
    checks("thanks")
    assert MembershipApplication.objects.get().state == "received"

    errors = [entry for entry in chrome.get_log("browser") if entry["level"] == "SEVERE"]
    assert not [entry for entry in errors if "Content Security Policy" in entry["message"]], errors
    checks.assert_clean()
