"""An event from the admin to a delegation, in a real headless Chromium under the real CSP.

The editor creates, edits and submits it through the generic content admin, a
reviewer publishes it, and a member city's representative registers the
city's delegation on the event page. Screenshots go to test-output/browser/.
"""

from datetime import date, datetime

from content_types import Delegation, Event
from tests.browser_support import click_and_wait, log_in, needs_chromium
from tests.conftest import PASSWORD

pytestmark = needs_chromium


def _step_button(chrome, trigger):
    from selenium.webdriver.common.by import By

    form = chrome.find_element(By.XPATH, f"//form[input[@name='transition'][@value='{trigger}']]")
    return form.find_element(By.CSS_SELECTOR, "button[type=submit]")


def _set(chrome, name, value):
    # Select2 choosers and date inputs: set the value as the widget would.
    chrome.execute_script(
        "var e = document.getElementsByName(arguments[0])[0]; e.value = arguments[1];"
        "e.dispatchEvent(new Event('change', {bubbles: true}));",
        name,
        value,
    )


def test_an_event_goes_from_the_admin_to_a_delegation_on_its_page(chrome, site, users, city):
    from selenium.webdriver.common.by import By

    log_in(chrome, site, users["editor"], PASSWORD)
    chrome.get(f"{site}/admin/content_event/new/")
    chrome.find_element(By.NAME, "title").send_keys("Schulung Wasserstoff")
    _set(chrome, "starts", "2027-05-10T09:00")
    _set(chrome, "ends", "2027-05-10T17:00")
    chrome.find_element(By.NAME, "location").send_keys("Rathaus Foshan")
    _set(chrome, "host_city", str(city("Foshan").pk))
    _set(chrome, "registration_deadline", "2027-05-01")
    _set(chrome, "event_kind", "training")
    chrome.find_element(By.NAME, "public").click()
    chrome.step("filled")
    click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "form.admin-form input[type=submit]"))
    chrome.step("saved")
    event = Event.objects.get(title="Schulung Wasserstoff")
    assert (event.event_kind, event.starts, event.ends) == (
        "training",
        datetime(2027, 5, 10, 9),
        datetime(2027, 5, 10, 17),
    )
    # The time zone came from the host city; the deadline was kept.
    assert (event.time_zone, event.registration_deadline) == ("Asia/Shanghai", date(2027, 5, 1))

    chrome.get(f"{site}/admin/content_event/edit/?id={event.pk}")
    location = chrome.find_element(By.NAME, "location")
    location.clear()
    location.send_keys("Rathaus Foshan, Saal 2")
    chrome.step("editing")
    click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "form.admin-form input[type=submit]"))
    event = Event.objects.get(pk=event.pk)
    assert (event.location, event.revision) == ("Rathaus Foshan, Saal 2", 2)

    chrome.get(f"{site}/admin/content_event/workflow/?id={event.pk}")
    chrome.step("item-page")
    assert "Asia/Shanghai" in chrome.page_source and "Training" in chrome.page_source
    click_and_wait(chrome, _step_button(chrome, "submit"))
    assert Event.objects.get(pk=event.pk).state == "in_review"

    chrome.delete_all_cookies()
    log_in(chrome, site, users["reviewer"], PASSWORD)
    chrome.get(f"{site}/admin/content_event/workflow/?id={event.pk}")
    click_and_wait(chrome, _step_button(chrome, "publish"))
    chrome.step("published")
    assert Event.objects.get(pk=event.pk).state == "published"

    chrome.delete_all_cookies()
    chrome.get(f"{site}/en/events")
    chrome.step("events-page")
    assert "Schulung Wasserstoff" in chrome.page_source and "Time in China" in chrome.page_source

    log_in(chrome, site, users["member_b"], PASSWORD)
    chrome.get(f"{site}/en/events/{event.pk}")
    chrome.find_element(By.NAME, "members-0-name").send_keys("Dr. Jana Becker")
    chrome.find_element(By.NAME, "members-0-position").send_keys("Wirtschaftsförderung")
    _set(chrome, "members-0-function", "economic_development")
    chrome.step("delegation-filled")
    click_and_wait(chrome, chrome.find_element(By.CSS_SELECTOR, "form.delegation-form button[type=submit]"))
    chrome.step("delegation-saved")
    assert "The delegation of Aachen is saved." in chrome.page_source
    (delegation,) = Delegation.objects(event=event.pk)
    assert [(m.name, m.function) for m in delegation.members] == [("Dr. Jana Becker", "economic_development")]
