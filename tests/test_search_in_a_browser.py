"""Search in a real headless Chromium under the real CSP: the header's box on the public site, and a member's
two clicks to German automotive suppliers in the company finder. Screenshots in test-output/browser/."""

from tests.browser_support import click_and_wait, log_in, needs_chromium
from tests.conftest import PASSWORD
from tests.workflow_helpers import force_state

pytestmark = needs_chromium


def _no_csp_errors(chrome):
    errors = [entry for entry in chrome.get_log("browser") if entry["level"] == "SEVERE"]
    assert not [entry for entry in errors if "Content Security Policy" in entry["message"]], errors


def test_a_visitor_searches_from_the_header_and_narrows_by_a_facet(chrome, site, create_item):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    force_state(create_item("news", title="Köln und Foshan unterzeichnen", language="de"), "published", public=True)
    force_state(create_item("news", title="Koeln trade fair", language="en"), "published", public=True)
    create_item("news", title="Köln Entwurf")  # a draft: never shown
    chrome.get(f"{site}/en/")
    box = chrome.find_element(By.CSS_SELECTOR, "header form[role=search] input[name=q]")
    box.send_keys("Köln")
    chrome.step("typed in the header")
    box.send_keys(Keys.ENTER)
    WebDriverWait(chrome, 10).until(lambda driver: "/en/search" in driver.current_url)
    hits = chrome.find_element(By.CSS_SELECTOR, ".search-hits").text
    assert "Köln und Foshan unterzeichnen" in hits and "Koeln trade fair" in hits and "Entwurf" not in hits
    chrome.step("results")
    click_and_wait(
        chrome, chrome.find_element(By.XPATH, "//section[@data-facet='language']//a[normalize-space()='German']")
    )
    hits = chrome.find_element(By.CSS_SELECTOR, ".search-hits").text
    assert "Köln und Foshan unterzeichnen" in hits and "Koeln trade fair" not in hits
    chrome.step("narrowed to German")
    _no_csp_errors(chrome)


def test_a_chinese_representative_reaches_german_automotive_suppliers_in_two_clicks(
    chrome, site, users, create_item, city
):
    from selenium.webdriver.common.by import By

    for title, home, sector in [
        ("Aachener Zulieferer GmbH", city("Aachen"), "C29.3"),
        ("Wuppertaler Maschinenbau AG", city("Wuppertal"), "C28"),
        ("佛山汽车零部件有限公司", city("Foshan"), "C29.3"),
    ]:
        force_state(
            create_item("company", title=title, city=home, sector=sector, interests=["joint_venture"]), "published"
        )
    log_in(chrome, site, users["member"], PASSWORD)  # Foshan's representative
    chrome.get(f"{site}/en/members")
    chrome.step("member area")
    click_and_wait(chrome, chrome.find_element(By.LINK_TEXT, "Companies"))  # click 1
    chrome.step("german companies")
    page = chrome.find_element(By.TAG_NAME, "main").text
    assert "Aachener Zulieferer GmbH" in page and "Wuppertaler Maschinenbau AG" in page and "佛山" not in page
    sector = chrome.find_element(
        By.XPATH, "//section[@data-facet='sector']//a[starts-with(normalize-space(), 'C29.3 ')]"
    )
    click_and_wait(chrome, sector)  # click 2
    chrome.step("automotive suppliers")
    hits = chrome.find_element(By.CSS_SELECTOR, ".search-hits").text
    assert "Aachener Zulieferer GmbH" in hits and "Maschinenbau" not in hits
    assert "sector=C29.3" in chrome.find_element(By.CSS_SELECTOR, "a[data-export=xlsx]").get_attribute("href")
    _no_csp_errors(chrome)
