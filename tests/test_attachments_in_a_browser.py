"""In headless Chromium: removing a draft's attachment asks first; a published PDF opens in the browser's viewer."""

import time

from content_types import Attachment, PublishedVersion
from tests.test_attachments import PDF
from tests.test_in_a_browser import _click_and_wait, _log_in, pytestmark  # noqa: F401  (fixtures chrome, site: conftest)
from tests.test_published_versions import _publish


def test_removing_an_attachment_asks_first(chrome, site, users, create_item):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    item = create_item("work_plan", owner=users["editor"])
    Attachment(item=item.pk, name="Anlage.pdf", content_type="application/pdf", size=len(PDF), sha256="0" * 64).save()
    _log_in(chrome, site, users["editor"])
    chrome.get(f"{site}/admin/content_work_plan/workflow/?id={item.pk}")
    section = chrome.find_element(By.CSS_SELECTOR, "section.attachments")
    chrome.execute_script("arguments[0].scrollIntoView()", section)
    chrome.step("attachments")
    remove = section.find_element(By.XPATH, ".//button[contains(., 'Remove')]")
    remove.click()
    alert = chrome.switch_to.alert
    assert "Remove “Anlage.pdf”?" in alert.text
    alert.dismiss()
    assert Attachment.objects(item=item.pk).count() == 1  # said no: still there
    remove.click()
    chrome.switch_to.alert.accept()
    WebDriverWait(chrome, 10).until(expected_conditions.staleness_of(remove))  # the item's page again
    chrome.step("removed")
    assert Attachment.objects(item=item.pk).count() == 0
    assert "Attachment removed: Anlage.pdf" in chrome.page_source


def test_a_published_pdf_opens_in_the_browsers_viewer(chrome, site, users, create_item):  # noqa: F811
    from selenium.webdriver.common.by import By

    item = create_item("work_plan", owner=users["editor"], title="Arbeitsplan 2027", body="<p>Erster Absatz</p>")
    _publish(users, item)
    version = PublishedVersion.objects.get(item=item.pk)
    _log_in(chrome, site, users["member"])
    chrome.get(f"{site}/de/documents/{item.pk}")
    chrome.step("document")
    link = chrome.find_element(By.CSS_SELECTOR, "ul.versions a[type='application/pdf']")
    assert chrome.find_element(By.CSS_SELECTOR, "ul.versions a[download]").text.startswith("Herunterladen")
    _click_and_wait(chrome, link)
    # Chromium's viewer shows the PDF in this tab (a download would have left the browser on the page above).
    assert chrome.current_url.endswith(f"/versions/{version.pk}/v1/0/{version.files[0].sha256[:16]}/view")
    assert chrome.execute_script("return document.contentType") == "application/pdf"
    time.sleep(2)  # not a check: the viewer draws the page a moment later, for the screenshot's sake
    chrome.step("pdf")
