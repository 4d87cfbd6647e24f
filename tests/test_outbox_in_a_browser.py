"""The outbox, the mail previews and the notification settings in a real headless Chromium, under the real CSP.

A mail's HTML is shown in a sandboxed frame: a script in it does not run, in the frame or in the admin page.
Each page is checked with axe-core and at 1366 and 390 px (tests/browser_support.PageChecks).
"""

import pytest

from content_types import OutboxMessage, User
from tests.browser_support import PageChecks, click_and_wait, log_in, needs_chromium
from tests.conftest import PASSWORD

pytestmark = needs_chromium

# What a hostile title would do if the mail's HTML ran as a page of ours.
HOSTILE_HTML = (
    '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Mail</title></head>'
    '<body style="font-family: sans-serif"><p id="greeting">Guten Tag</p>'
    "<script>document.body.setAttribute('data-ran', 'yes'); parent.document.title = 'pwned';</script>"
    "<img src=\"x\" onerror=\"document.body.setAttribute('data-ran', 'yes')\"></body></html>"
)


@pytest.fixture
def checks(chrome):
    """Run PageChecks on each named step; fail at the end naming every problem."""
    page_checks = PageChecks(chrome)
    yield page_checks
    page_checks.assert_clean()


def test_an_admin_reads_a_failed_mail_safely_and_sends_it_again(chrome, site, users, checks):
    from selenium.webdriver.common.by import By

    message = OutboxMessage(
        key="step_taken:browser:anna@aachen.example",
        kind="step_taken",
        event="reject",
        recipient="anna@aachen.example",
        recipient_name="Anna Schmidt",
        language="de",
        subject="Zurückgeben: Arbeitsplan 2027",
        text="Zurückgeben: Arbeitsplan „2027“\n\nKommentar: Bitte ergänzen.",
        html=HOSTILE_HTML,
        status="failed",
        attempts=5,
        last_error="SMTPRecipientsRefused: {'anna@aachen.example': (550, b'Mailbox unavailable')}",
    )
    message.save(force_insert=True)
    log_in(chrome, site, users["admin"], PASSWORD)
    checks("dashboard-with-undelivered-mail")
    click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "#undelivered-mail a"))
    assert chrome.current_url.endswith("/admin/outbox/?flt0_0=failed")
    checks("outbox-failed")
    click_and_wait(chrome, chrome.find_element(By.LINK_TEXT, "Zurückgeben: Arbeitsplan 2027"))
    checks("message")
    title = chrome.title

    frame = chrome.find_element(By.CSS_SELECTOR, "iframe.mail-frame")
    chrome.switch_to.frame(frame)
    assert chrome.find_element(By.ID, "greeting").text == "Guten Tag"  # the mail is shown
    assert chrome.find_element(By.TAG_NAME, "body").get_attribute("data-ran") is None  # its script did not run
    chrome.switch_to.default_content()
    assert chrome.title == title != "pwned"

    click_and_wait(chrome, chrome.find_element(By.XPATH, "//button[normalize-space()='Send again']"))
    checks("resent")
    assert "in line to be sent again" in chrome.find_element(By.CSS_SELECTOR, ".alert").text
    assert OutboxMessage.objects.get(pk=message.pk).status == "pending"


def test_an_admin_previews_a_kind_of_mail_in_chinese(chrome, site, users, checks):
    from selenium.webdriver.common.by import By

    log_in(chrome, site, users["admin"], PASSWORD)
    chrome.get(f"{site}/admin/outbox/")
    click_and_wait(chrome, chrome.find_element(By.LINK_TEXT, "Preview every kind of mail"))
    checks("previews")
    row = chrome.find_element(By.XPATH, "//tr[td[normalize-space()='A step on your document']]")
    click_and_wait(chrome, row.find_element(By.CSS_SELECTOR, "a[lang=zh]"))
    checks("preview-step-taken-zh")
    chrome.switch_to.frame(chrome.find_element(By.CSS_SELECTOR, "iframe.mail-frame"))
    assert "在内容管理系统中打开" in chrome.find_element(By.TAG_NAME, "body").text
    chrome.switch_to.default_content()


def test_people_choose_the_daily_digest_from_the_admin_and_the_member_area(chrome, site, users, checks):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    log_in(chrome, site, users["reviewer"], PASSWORD)
    click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "a.admin-who"))
    checks("admin-notification-settings")
    Select(chrome.find_element(By.NAME, "kind_work_waiting")).select_by_value("digest")
    click_and_wait(chrome, chrome.find_element(By.XPATH, "//form[@class='notification-settings']//button"))
    checks("admin-notification-settings-saved")
    assert User.objects.get(pk=users["reviewer"].pk).digest_kinds == ["work_waiting"]

    chrome.delete_all_cookies()
    log_in(chrome, site, users["member"], PASSWORD)
    # In English: the German member area's header takes more than one line already (not this page's doing).
    chrome.get(f"{site}/en/members")
    click_and_wait(chrome, chrome.find_element(By.LINK_TEXT, "Your notifications"))
    checks("member-notification-settings")
    Select(chrome.find_element(By.NAME, "kind_step_taken")).select_by_value("digest")
    click_and_wait(chrome, chrome.find_element(By.XPATH, "//form[@class='notification-settings']//button"))
    checks("member-notification-settings-saved")
    assert User.objects.get(pk=users["member"].pk).digest_kinds == ["step_taken"]
