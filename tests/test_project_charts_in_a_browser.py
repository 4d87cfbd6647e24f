"""The staff dashboard's project charts in a real headless Chromium under our CSP: drawn, named, accessible."""

from tests.browser_support import assert_accessible, log_in, needs_chromium
from tests.company_data import make_company_database
from tests.conftest import PASSWORD

pytestmark = needs_chromium


def test_the_dashboard_draws_the_project_charts_under_the_csp(chrome, site, users, create_item, city):
    from selenium.webdriver.common.by import By

    make_company_database(create_item, city)
    log_in(chrome, site, users["editor"], PASSWORD)
    chrome.get(f"{site}/admin/")
    section = chrome.find_element(By.ID, "project-charts")
    chrome.execute_script("arguments[0].scrollIntoView()", section)
    chrome.step("charts")
    charts = section.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) == 4
    for chart in charts:
        # Laid out at a readable size, and its bars painted in their colours (presentation attributes hold).
        assert chart.size["width"] > 300 and chart.size["height"] > 60, chart.get_attribute("id")
        fills = chrome.execute_script(
            "return [...arguments[0].querySelectorAll('rect')].map((r) => getComputedStyle(r).fill)", chart
        )
        assert "rgb(0, 114, 178)" in fills, (chart.get_attribute("id"), fills)
    pairs = section.find_element(By.ID, "chart-city-pairs")
    assert chrome.execute_script("return arguments[0].querySelector('title').textContent", pairs) == (
        "Projects by city pair"
    )
    # The table beside each chart opens with its numbers.
    section.find_elements(By.TAG_NAME, "summary")[2].click()
    chrome.step("table opened")
    assert "Aachen – Foshan" in section.find_elements(By.TAG_NAME, "table")[2].text
    errors = [entry for entry in chrome.get_log("browser") if entry["level"] == "SEVERE"]
    assert not [entry for entry in errors if "Content Security Policy" in entry["message"]], errors
    assert_accessible(chrome)
