"""The newsletter in a real headless Chromium under the real CSP: a visitor subscribes and later unsubscribes on the
pages the mail's links open; an editor chooses the issue's news items in the admin's chooser."""

from datetime import datetime

from content_types import Newsletter, Subscriber
from tests.browser_support import assert_accessible, click_and_wait, log_in, needs_chromium
from tests.conftest import PASSWORD
from tests.newsletter_support import news

pytestmark = needs_chromium


def _csp_errors(chrome) -> list:
    return [
        entry
        for entry in chrome.get_log("browser")
        if entry["level"] == "SEVERE" and "Content Security Policy" in entry["message"]
    ]


def test_a_visitor_subscribes_confirms_and_unsubscribes_on_the_pages_the_links_open(app, chrome, site):
    from selenium.webdriver.common.by import By

    chrome.get(f"{site}/zh/newsletter")
    assert_accessible(chrome)
    chrome.find_element(By.NAME, "email").send_keys("li@example.cn")
    chrome.step("address typed")
    click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    chrome.step("asked to confirm")
    assert "谢谢" in chrome.find_element(By.CSS_SELECTOR, ".flash-success").text
    subscriber = Subscriber.objects.get(email="li@example.cn")

    from cms.mail.tokens import confirmation_token, unsubscribe_token

    with app.app_context():
        confirm, leave = confirmation_token(subscriber), unsubscribe_token(subscriber)
    chrome.get(f"{site}/zh/newsletter/confirm/{confirm}")
    assert_accessible(chrome)
    chrome.step("confirmation page")
    click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    chrome.step("confirmed")
    assert Subscriber.objects.get(pk=subscriber.pk).status == "confirmed"

    chrome.get(f"{site}/zh/newsletter/unsubscribe/{leave}")
    assert_accessible(chrome)
    chrome.step("unsubscribe page")
    click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    chrome.step("unsubscribed")
    assert Subscriber.objects.get(pk=subscriber.pk).status == "unsubscribed"
    chrome.get(f"{site}/zh/newsletter/unsubscribe/{leave}x")
    chrome.step("altered link")
    assert "此链接无法使用" in chrome.find_element(By.TAG_NAME, "h1").text
    assert not _csp_errors(chrome)


def test_an_editor_chooses_the_issue_s_news_items_in_the_admin(chrome, site, users, create_item):
    from selenium.webdriver.common.by import By

    chosen = news(create_item, users["editor"], "Messe in Hannover", datetime(2026, 9, 1))
    news(create_item, users["editor"], "Jahrestreffen in Foshan", datetime(2026, 11, 13))
    log_in(chrome, site, users["editor"], PASSWORD)
    chrome.get(f"{site}/admin/content_newsletter/new/")
    chrome.find_element(By.NAME, "title").send_keys("Ausgabe 2/2026")
    for name, value in (("period_start", "2026-07-01"), ("period_end", "2026-12-31")):
        field = chrome.find_element(By.NAME, name)
        chrome.execute_script("arguments[0].value = arguments[1]", field, value)
    # The chooser is select2's (the original select is hidden): its search box lists the offered news.
    chrome.find_element(By.CSS_SELECTOR, ".select2-container").click()
    chrome.step("chooser open")
    options = [element.text for element in chrome.find_elements(By.CSS_SELECTOR, ".select2-result-label")]
    assert "Messe in Hannover" in options and "Jahrestreffen in Foshan" in options
    next(
        element
        for element in chrome.find_elements(By.CSS_SELECTOR, ".select2-result-label")
        if element.text == "Messe in Hannover"
    ).click()
    chrome.step("chosen")
    click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "form.admin-form input[type=submit]"))
    chrome.step("saved")
    issue = Newsletter.objects.get(title="Ausgabe 2/2026")
    assert [item.pk for item in issue.news_items] == [chosen.pk]
    assert not _csp_errors(chrome)
