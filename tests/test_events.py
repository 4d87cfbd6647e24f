"""Events (seed IV.2): delegations registered by each member city, read only by whom they concern, and the feed."""

import csv
import io
import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import icalendar
import mongoengine as me
import pytest

from cms.host_lists import cell
from cms.operations import events as event_operations
from content_types import AuditEntry, Delegation, Event
from content_types.refusals import Conflict
from content_types.validation import field_errors
from tests.conftest import csrf_token_from, logged_in
from tests.workflow_helpers import force_state

START = datetime(2027, 4, 15, 9, 30)


# Pure rules: no app, no database.


def test_an_event_may_not_end_before_it_starts_nor_close_registration_after_its_start():
    event = Event(
        title="Seminar",
        starts=START,
        ends=datetime(2027, 4, 15, 8, 0),
        time_zone="Asia/Shanghai",
        registration_deadline=date(2027, 4, 16),
        state="draft",
    )
    with pytest.raises(me.ValidationError) as refused:
        event.validate()
    assert set(field_errors(refused.value)) == {"ends", "registration_deadline"}


def test_an_event_without_a_host_city_names_its_time_zone():
    with pytest.raises(me.ValidationError) as refused:
        Event(title="Hannover Messe", starts=START, state="draft").validate()
    assert set(field_errors(refused.value)) == {"time_zone"}
    Event(title="Hannover Messe", starts=START, time_zone="Europe/Berlin", state="draft").validate()


def test_registration_closes_at_the_end_of_the_deadline_day_at_the_venue():
    event = Event(starts=START, time_zone="Asia/Shanghai", registration_deadline=date(2027, 4, 1))
    shanghai = ZoneInfo("Asia/Shanghai")
    assert event_operations.registration_open(event, datetime(2027, 4, 1, 23, 59, tzinfo=shanghai))
    assert not event_operations.registration_open(event, datetime(2027, 4, 2, 0, 0, tzinfo=shanghai))
    # Without a deadline: until the start.
    event.registration_deadline = None
    assert event_operations.registration_open(event, datetime(2027, 4, 15, 9, 29, tzinfo=shanghai))
    assert not event_operations.registration_open(event, datetime(2027, 4, 15, 9, 30, tzinfo=shanghai))


@pytest.mark.parametrize("value", ["=SUM(A1)", "+1", "-1", "@cmd", "\tx"])
def test_a_csv_cell_that_a_spreadsheet_would_run_is_shown_as_text(value):
    assert cell(value) == "'" + value
    assert cell("Li Wei") == "Li Wei"


# With the app.


@pytest.fixture
def event(create_item, users, city):
    """A published public seminar hosted by Foshan (where the `member` user represents), registration open."""
    item = create_item(
        "event",
        owner=users["editor"],
        title="Seminar Industrie 4.0",
        event_kind="seminar",
        starts=START,
        ends=datetime(2027, 4, 15, 17, 0),
        location="Foshan Exhibition Centre",
        host_city=city("Foshan"),
        registration_deadline=date(2027, 4, 1),
        public=True,
    )
    return force_state(item, "published")


MEMBERS = [
    {"name": "Anna Schmidt", "function": "politics", "position": "Oberbürgermeisterin"},
    {"name": "Jan Meyer", "function": "companies", "position": "Geschäftsführer"},
]


def put(api, user, event, city, members=MEMBERS, revision=None):
    body = {"members": members} if revision is None else {"members": members, "revision": revision}
    return api.call("PUT", f"/api/v1/events/{event.pk}/delegations/{city.pk}", user, json=body)


def test_a_representative_registers_their_own_city_s_delegation_and_no_other(api, users, event, city):
    aachen, hefei = city("Aachen"), city("Hefei")
    answer = put(api, users["member_b"], event, aachen)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["revision"] == 1
    assert [m["name"] for m in answer.get_json()["members"]] == ["Anna Schmidt", "Jan Meyer"]
    refused = put(api, users["member_b"], event, hefei)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
    assert Delegation.objects(city=hefei.pk).count() == 0
    assert AuditEntry.objects(event="delegation_saved").count() == 1
    assert AuditEntry.objects(event="refused").count() == 1


def test_a_stale_revision_is_refused_and_the_newer_delegation_kept(api, users, event, city):
    aachen = city("Aachen")
    assert put(api, users["member_b"], event, aachen).status_code == 200
    assert put(api, users["member_b"], event, aachen, MEMBERS[:1], revision=1).status_code == 200
    stale = put(api, users["member_b"], event, aachen, MEMBERS, revision=1)
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "stale_revision"
    again = put(api, users["member_b"], event, aachen, MEMBERS)  # "new" though one exists
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "delegation_exists"
    stored = Delegation.objects.get(city=aachen.pk)
    assert stored.revision == 2 and [m.name for m in stored.members] == ["Anna Schmidt"]


@pytest.mark.parametrize(
    "members",
    [
        [{"name": "", "function": "politics"}],
        [{"name": "Anna", "function": "sports"}],
        [{"name": "Anna", "function": "politics", "email": "a@b.example"}],
        [{"name": "Anna\r\nBcc: x", "function": "politics"}],
        "Anna",
    ],
)
def test_bad_delegates_are_refused_with_a_reason_and_nothing_is_written(api, users, event, city, members):
    answer = put(api, users["member_b"], event, city("Aachen"), members)
    assert answer.status_code == 422
    assert answer.get_json()["error"]["details"]["members"]
    assert Delegation.objects.count() == 0


def test_the_deadline_binds_representatives_but_not_the_secretariat(api, users, event, city):
    force_state(event, "published", registration_deadline=datetime(2026, 11, 1))
    late = put(api, users["member_b"], event, city("Aachen"))
    assert late.status_code == 403
    assert put(api, users["editor"], event, city("Aachen")).status_code == 200


def test_no_delegation_for_an_event_that_is_not_published(api, users, event, city):
    force_state(event, "draft")
    assert put(api, users["member_b"], event, city("Aachen")).status_code == 404  # a draft: not even seen
    assert put(api, users["editor"], event, city("Aachen")).status_code == 403
    assert Delegation.objects.count() == 0


def test_two_registrations_at_once_for_one_city_keep_one(app, users, event, city):
    aachen = city("Aachen")
    results, barrier = [], threading.Barrier(2)

    def register(members):
        with app.app_context():
            barrier.wait()
            try:
                event_operations.save_delegation(users["member_b"], event, aachen, members, 0)
                results.append("saved")
            except Conflict:
                results.append("conflict")

    threads = [threading.Thread(target=register, args=([member],)) for member in MEMBERS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["conflict", "saved"]
    stored = Delegation.objects(event=event.pk, city=aachen.pk)
    assert stored.count() == 1 and len(stored.first().members) == 1


@pytest.fixture
def registered(api, users, event, city):
    """Aachen's delegation to the Foshan seminar, with a name a spreadsheet would take for a formula."""
    members = [*MEMBERS, {"name": '=HYPERLINK("http://evil.example")', "function": "science", "position": ""}]
    assert put(api, users["member_b"], event, city("Aachen"), members).status_code == 200
    return event


def test_the_host_city_and_the_secretariat_read_the_lists_others_do_not(app, users, registered, create_user, client):
    page = f"/en/events/{registered.pk}/delegations"
    hefei_member = create_user("member", city_name="Hefei")
    for user in (users["member"], users["editor"]):  # Foshan hosts
        reader = logged_in(app, user)
        html = reader.get(page).get_data(as_text=True)
        assert "Anna Schmidt" in html and "Aachen" in html
        download = reader.get(page.replace("delegations", "delegations.csv"))
        assert download.status_code == 200 and download.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
        assert rows[0] == ["City", "Name", "Function", "Position"]
        assert ["Aachen", "Anna Schmidt", "Politics", "Oberbürgermeisterin"] in rows
        assert rows[-1][1] == '\'=HYPERLINK("http://evil.example")'
    for user in (hefei_member, users["member_b"]):  # not the host (Aachen sees its own on the event page)
        reader = logged_in(app, user)
        assert reader.get(page).status_code == 403
        assert reader.get(page.replace("delegations", "delegations.csv")).status_code == 403
    assert client.get(page).status_code in (302, 401)
    assert "Anna Schmidt" not in client.get(f"/en/events/{registered.pk}").get_data(as_text=True)


def test_a_member_city_sees_its_own_delegation_and_no_other_city_s_names(app, api, users, registered, create_user):
    hefei_member = create_user("member", city_name="Hefei")
    page = f"/en/events/{registered.pk}"
    assert "Anna Schmidt" in logged_in(app, users["member_b"]).get(page).get_data(as_text=True)
    assert "Anna Schmidt" not in logged_in(app, hefei_member).get(page).get_data(as_text=True)

    def delegations_seen(user):
        listed = api.call("GET", "/api/v1/events", user).get_json()["items"]
        return [member["name"] for item in listed for d in item["delegations"] for member in d["members"]]

    assert delegations_seen(None) == [] and delegations_seen(hefei_member) == []
    assert "Anna Schmidt" in delegations_seen(users["member_b"])
    assert "Anna Schmidt" in delegations_seen(users["member"])  # the host
    assert "Anna Schmidt" in delegations_seen(users["editor"])


def test_a_representative_registers_through_the_event_page(app, users, event):
    reader = logged_in(app, users["member_b"])
    page = f"/en/events/{event.pk}"
    html = reader.get(page).get_data(as_text=True)
    assert "Delegation of Aachen" in html
    form = {
        "csrf_token": csrf_token_from(html),
        "revision": "0",
        "members-0-name": "Lena Vogel",
        "members-0-function": "science",
        "members-0-position": "Professorin",
        "members-1-name": "",
        "members-1-function": "",
        "members-1-position": "",
    }
    saved = reader.post(page, data=form)
    assert saved.status_code == 303
    assert [m.name for m in Delegation.objects.get(event=event.pk).members] == ["Lena Vogel"]
    # A second form opened at the first revision is told, and keeps what was typed.
    stale = reader.post(page, data={**form, "members-0-name": "Lena Vogel-Berg"})
    assert stale.status_code == 409 and "Lena Vogel-Berg" in stale.get_data(as_text=True)
    # A function without a name, or a name without a function, is refused with the reason.
    refused = reader.post(page, data={**form, "revision": "1", "members-0-function": ""})
    assert refused.status_code == 422 and "choose the function" in refused.get_data(as_text=True)


def test_the_feed_holds_the_released_public_events_and_reads_back(client, users, event, create_item, city):
    translation = create_item(
        "event",
        owner=users["editor"],
        title="工业4.0研讨会",
        language="zh",
        translation_group=event.translation_group,
        translation_of=event.pk,
        event_kind="seminar",
        starts=START,
        ends=datetime(2027, 4, 15, 17, 0),
        location="佛山会展中心",
        host_city=city("Foshan"),
        public=True,
    )
    force_state(translation, "published")
    create_item("event", owner=users["editor"], title="Entwurf einer Messe", starts=START, host_city=city("Aachen"))
    members_only = create_item(
        "event", owner=users["editor"], title="Nur für Mitglieder", starts=START, time_zone="Europe/Berlin"
    )
    force_state(members_only, "published")

    answers = {language: client.get(f"/{language}/events.ics") for language in ("en", "zh")}
    for answer in answers.values():
        assert answer.status_code == 200 and answer.headers["Content-Type"] == "text/calendar; charset=utf-8"
    english, chinese = (icalendar.Calendar.from_ical(answers[code].get_data()) for code in ("en", "zh"))
    (entry,) = english.walk("VEVENT")
    (entry_zh,) = chinese.walk("VEVENT")
    assert entry["UID"] == entry_zh["UID"] == f"event-{event.pk}@127.0.0.1"
    assert str(entry["SUMMARY"]) == "Seminar Industrie 4.0" and str(entry_zh["SUMMARY"]) == "工业4.0研讨会"
    assert str(entry["LOCATION"]) == "Foshan Exhibition Centre, Foshan"
    assert str(entry_zh["LOCATION"]) == "佛山会展中心, 佛山"
    assert entry.decoded("DTSTART") == START.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    assert entry["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert entry.decoded("DTEND") == datetime(2027, 4, 15, 17, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert str(entry["URL"]) == f"http://127.0.0.1:5000/en/events/{event.pk}"
    assert [tz["TZID"] for tz in english.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    listed = client.get("/en/events").get_data(as_text=True)
    assert "Seminar Industrie 4.0" in listed and "/en/events.ics" in listed
    assert "Entwurf einer Messe" not in listed and "Nur für Mitglieder" not in listed


def test_a_draft_event_is_not_seen_anywhere(client, api, users, create_item, city):
    draft = create_item("event", owner=users["editor"], title="Entwurf", starts=START, host_city=city("Aachen"))
    assert client.get(f"/en/events/{draft.pk}").status_code == 404
    assert b"Entwurf" not in client.get("/en/events.ics").get_data()
    assert api.call("GET", "/api/v1/events").get_json()["total"] == 0
    assert api.call("GET", "/api/v1/events", users["member"]).get_json()["total"] == 0
    assert api.call("GET", "/api/v1/events", users["editor"]).get_json()["total"] == 1


def test_events_speak_the_reader_s_language(client, event):
    german = client.get("/de/events").get_data(as_text=True)
    assert "Veranstaltungen" in german and "Seminar" in german and "Zeit in China" in german
    chinese = client.get(f"/zh/events/{event.pk}").get_data(as_text=True)
    assert "研讨会" in chinese and "报名截止" in chinese


def test_the_delegation_api_refuses_the_anonymous_unknown_fields_and_malformed_ids(api, users, event, city):
    aachen = city("Aachen")
    assert put(api, None, event, aachen).status_code == 401
    extra = api.call(
        "PUT",
        f"/api/v1/events/{event.pk}/delegations/{aachen.pk}",
        users["member_b"],
        json={"members": [], "state": "x"},
    )
    assert extra.status_code == 422 and "state" in extra.get_json()["error"]["details"]
    for path in (f"/api/v1/events/abc/delegations/{aachen.pk}", f"/api/v1/events/{event.pk}/delegations/{'a' * 25}"):
        assert api.call("PUT", path, users["member_b"], json={"members": []}).status_code == 404
    assert Delegation.objects.count() == 0
