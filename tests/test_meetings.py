"""The seed's meeting rule: first half-year in China, second half-year in Germany."""

from datetime import date

import mongoengine as me
import pytest

from content_types import Content
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


def test_a_meeting_is_held_on_its_day_in_the_host_s_calendar_not_before(users, create_item, city, monkeypatch):
    from datetime import date, datetime

    from content_types.refusals import NotPossible
    from tests.workflow_helpers import force_state
    from workflows import conditions, engine

    spring = force_state(
        create_item("meeting", year=2027, half=1, host_city=city("Foshan"), starts_on=date(2027, 4, 15)), "announced"
    )
    with pytest.raises(NotPossible, match="2027-04-15"):
        engine.fire(users["editor"], spring, "hold")
    undated = force_state(create_item("meeting", year=2027, half=2, host_city=city("Aachen")), "announced")
    with pytest.raises(NotPossible):
        engine.fire(users["editor"], undated, "hold")
    # 16:30 UTC on 14 April 2027 is already the 15th in Foshan (UTC+8): the day has come there.
    monkeypatch.setattr(conditions, "datetime", _clock_at(datetime(2027, 4, 14, 16, 30)))
    assert engine.fire(users["editor"], spring, "hold").state == "held"


def _clock_at(utc):
    from datetime import datetime, timezone

    class Clock(datetime):
        """A datetime whose now() is `utc`, seen from any time zone."""

        @classmethod
        def now(cls, tz=None):
            return utc.replace(tzinfo=timezone.utc).astimezone(tz)

    return Clock


def test_one_meeting_per_half_year(users, create_item, city, api):
    create_item("meeting", year=2027, half=1, host_city=city("Foshan"))
    second = api.call(
        "POST",
        "/api/v1/content",
        users["editor"],
        json={
            "type": "meeting",
            "title": "Noch ein Treffen",
            "year": 2027,
            "half": 1,
            "host_city": str(city("Hefei").pk),
        },
    )
    assert second.status_code == 422 and "half" in second.get_json()["error"]["details"]
    other_half = api.call(
        "POST",
        "/api/v1/content",
        users["editor"],
        json={"type": "meeting", "title": "Herbst", "year": 2027, "half": 2, "host_city": str(city("Aachen").pk)},
    )
    assert other_half.status_code == 201


def test_the_agenda_lists_the_documents_accepted_onto_it_and_the_record_what_was_decided(
    api, app, users, create_item, city
):
    from tests.conftest import Browser
    from tests.workflow_helpers import force_state
    from workflows import engine

    meeting = force_state(
        create_item(
            "meeting",
            title="Treffen Aachen",
            year=2026,
            half=2,
            host_city=city("Aachen"),
            public=True,
            agenda_items=["Begrüßung"],
        ),
        "announced",
    )
    plan = force_state(create_item("work_plan", owner=users["editor"], title="Arbeitsplan 2027"), "in_review")
    other = force_state(create_item("mou", owner=users["editor"], title="Ergänzung zum MoU"), "in_review")
    for item in (plan, other):
        engine.fire(users["reviewer"], item, "accept", {"meeting_id": str(meeting.pk)})
    public = app.test_client().get("/de/meetings/next").get_data(as_text=True)
    assert "Begrüßung" in public and "Arbeitsplan" in public  # the type, for everyone
    assert "Arbeitsplan 2027" not in public  # but a draft's title is not the public's
    staff = api.call("GET", "/api/v1/meetings/next", users["editor"]).get_json()["meeting"]["documents"]
    assert [entry["title"] for entry in staff] == ["Arbeitsplan 2027", "Ergänzung zum MoU"]
    assert {entry["decision"] for entry in staff} == {"Put on the agenda"}

    held = engine.fire(users["editor"], force_state(meeting, "announced", starts_on=meeting.modified), "hold")
    engine.fire(users["approver"], Content.objects.get(pk=plan.pk), "approve")
    engine.fire(users["approver"], Content.objects.get(pk=other.pk), "defer", {"comment": "Nächstes Mal"})
    client = app.test_client()
    Browser(client).login(users["editor"].email)
    page = client.get(f"/admin/content_meeting/workflow/?id={held.pk}").get_data(as_text=True)
    assert "Arbeitsplan 2027" in page and "Record the meeting&#39;s approval" in page
    assert "Ergänzung zum MoU" in page and "Defer (not approved)" in page


def test_steps_that_can_t_be_taken_yet_are_not_offered(api, users, create_item, city):
    from tests.workflow_helpers import force_state

    spring = force_state(
        create_item("meeting", year=2027, half=1, host_city=city("Foshan"), starts_on=date(2027, 4, 15)), "announced"
    )
    assert (
        "hold" not in api.call("GET", f"/api/v1/content/{spring.pk}", users["editor"]).get_json()["allowed_transitions"]
    )
    plan = force_state(create_item("work_plan", owner=users["editor"]), "on_agenda", agenda_meeting=spring.pk)
    offered = api.call("GET", f"/api/v1/content/{plan.pk}", users["approver"]).get_json()["allowed_transitions"]
    assert "approve" not in offered and "defer" in offered
