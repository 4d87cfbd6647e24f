"""The seed's meeting rule: first half-year in China, second half-year in Germany."""

from datetime import date

import mongoengine as me
import pytest

from content_types.validation import field_errors


@pytest.mark.parametrize(
    "half, host, allowed",
    [
        (1, "Foshan", True),
        (1, "Aachen", False),
        (2, "Aachen", True),
        (2, "Zhuzhou", False),
    ],
)
def test_host_country_follows_the_half_year(create_item, city, half, host, allowed):
    if allowed:
        meeting = create_item("meeting", half=half, host_city=city(host))
        assert meeting.revision == 1
    else:
        with pytest.raises(me.ValidationError) as refused:
            create_item("meeting", half=half, host_city=city(host))
        assert "host_city" in field_errors(refused.value)


def test_a_requested_city_cannot_host(create_item, city):
    with pytest.raises(me.ValidationError) as refused:
        create_item("meeting", half=2, host_city=city("Dortmund"))
    assert "host_city" in field_errors(refused.value)


def test_dates_must_lie_in_the_half_year(create_item, city):
    with pytest.raises(me.ValidationError) as refused:
        create_item("meeting", half=2, year=2026, host_city=city("Aachen"), starts_on=date(2026, 3, 1))
    assert "starts_on" in field_errors(refused.value)


def test_host_rule_is_a_422_through_the_api(api, users, city):
    response = api.call(
        "POST",
        "/api/v1/content",
        users["editor"],
        json={
            "type": "meeting",
            "title": "Halbjahrestreffen",
            "year": 2026,
            "half": 1,
            "host_city": str(city("Aachen").pk),
        },
    )
    assert response.status_code == 422
    assert "host_city" in response.get_json()["error"]["details"]


def test_the_admin_item_page_names_the_host_city_and_the_language(browser, users, client, create_item, city):
    meeting = create_item("meeting", owner=users["editor"], year=2026, half=2, host_city=city("Aachen"))
    browser.login(users["editor"].email)
    page = client.get(f"/admin/content_meeting/workflow/?id={meeting.pk}", headers={"Accept-Language": "de"})
    text = page.get_data(as_text=True)
    assert "Aachen" in text and "name_de" not in text and "Deutsch" in text.split("Sprache", 1)[1][:80]
