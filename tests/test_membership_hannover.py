"""Hannover joins: applies, is circulated, every member city consents (API and member area), is accepted, signs the
declaration, is notified by letter, announced at the next meeting, and is a member."""

import io
import re
from datetime import date

from pypdf import PdfReader

from content_types import Attachment, AuditEntry, Content, MemberCity
from tests.conftest import Browser, csrf_token_from, logged_in
from tests.test_membership_consents import FOUNDING_MEMBERS

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_hannover_joins(app, api, users, create_user, create_item, city):
    hannover = MemberCity(name_de="Hannover", name_zh="汉诺威", name_en="Hanover", country="DE").save()
    representatives = {
        name: create_user("member", city_name=name, email=f"rep.{index}@test.example")
        for index, name in enumerate(FOUNDING_MEMBERS)
    }
    hefei = city("Hefei")
    meeting = create_item("meeting", title="T 2027/1", year=2027, half=1, host_city=hefei, starts_on=date(2027, 5, 6))

    # Staff enter the application the secretariat received.
    created = api.call(
        "POST",
        "/api/v1/content",
        users["editor"],
        json={
            "type": "membership_application",
            "title": "Beitrittsantrag der Landeshauptstadt Hannover",
            "language": "de",
            "city": str(hannover.pk),
            "economic_data": "540.000 Einwohner, Messestandort",
            "industrial_characteristics": "Fahrzeugbau, Versicherungen, Messe",
            "national_cooperation": "Metropolregion Hannover Braunschweig Göttingen Wolfsburg",
            "international_cooperation": "Partnerstadt Hiroshima, Kooperation mit Shanghai",
            "cooperation_wishes": "Industrie 4.0, Wasserstoff",
        },
    )
    assert created.status_code == 201, created.get_json()
    item_id = created.get_json()["id"]
    base = f"/api/v1/content/{item_id}"
    # A member city's representative does not see it before it is circulated.
    assert api.call("GET", base, representatives["Foshan"]).status_code == 404

    circulated = api.call("POST", f"{base}/workflow/circulate", users["editor"])
    assert circulated.status_code == 200 and circulated.get_json()["state"] == "consultation"
    assert len(circulated.get_json()["consulted_cities"]) == len(FOUNDING_MEMBERS)
    assert MemberCity.objects.get(pk=hannover.pk).status == "applicant"

    # Each representative sees the request in their worklist.
    worklist = api.call("GET", "/api/v1/worklist", representatives["Foshan"]).get_json()
    entry = next(entry for entry in worklist["items"] if entry["id"] == item_id)
    assert [step["id"] for step in entry["waiting_for"]] == ["decide"]

    # Half of the cities consent through the API, Foshan with its signed letter; a city's second answer is refused.
    first_half, second_half = FOUNDING_MEMBERS[:7], FOUNDING_MEMBERS[7:]
    answer = api.call(
        "POST",
        f"{base}/consents",
        representatives["Foshan"],
        data={"decision": "consent", "comment": "佛山市同意", "letter": (io.BytesIO(PDF), "zustimmung.pdf")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["letter"]["name"].endswith(".pdf")
    for name in first_half[1:]:
        response = api.call("POST", f"{base}/consents", representatives[name], json={"decision": "consent"})
        assert response.status_code == 201, (name, response.get_json())
    again = api.call("POST", f"{base}/consents", representatives["Foshan"], json={"decision": "object"})
    assert again.status_code == 409
    # Deciding for another city is not a thing the request can say.
    other = api.call(
        "POST",
        f"{base}/consents",
        representatives["Aachen"],
        json={"decision": "consent", "city_id": str(city("Hefei").pk)},
    )
    assert other.status_code == 422
    # Staff can't decide for a city either.
    assert api.call("POST", f"{base}/consents", users["editor"], json={"decision": "consent"}).status_code == 403

    shown = api.call("GET", f"{base}/consents", users["editor"]).get_json()
    assert len(shown["decisions"]) == len(first_half) and len(shown["missing"]) == len(second_half)
    assert api.call("POST", f"{base}/consents/reminders", users["editor"]).status_code == 201

    # The rest consent in the member area.
    for name in second_half:
        client = logged_in(app, representatives[name])
        page = client.get("/de/members").get_data(as_text=True)
        assert "Beitrittsantrag der Landeshauptstadt Hannover" in page
        url = f"/de/members/applications/{item_id}"
        form = client.get(url).get_data(as_text=True)
        assert 'name="decision"' in form
        posted = client.post(url, data={"csrf_token": csrf_token_from(form), "decision": "consent", "comment": "Ja"})
        assert posted.status_code == 303
        assert 'name="decision"' not in client.get(url).get_data(as_text=True)

    accepted = api.call("GET", base, users["editor"]).get_json()
    assert accepted["state"] == "accepted"
    assert api.call("GET", f"{base}/consents", users["editor"]).get_json()["missing"] == []

    # The signed declaration, the notification letter, the announcement at the next meeting.
    signed = api.call(
        "POST",
        f"{base}/declaration",
        users["editor"],
        data={"file": (io.BytesIO(PDF), "erklaerung-hannover.pdf")},
        content_type="multipart/form-data",
    )
    assert signed.status_code == 200 and signed.get_json()["state"] == "declaration_signed", signed.get_json()
    notified = api.call("POST", f"{base}/notification", users["editor"])
    assert notified.status_code == 200 and notified.get_json()["state"] == "notified"
    letter = Attachment.objects.get(pk=notified.get_json()["notification_letter"])
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.file.read())).pages)
    assert "Hannover" in text and "汉诺威" in text

    announced = api.call("POST", f"{base}/workflow/announce", users["editor"], json={"meeting_id": str(meeting.pk)})
    assert announced.status_code == 200 and announced.get_json()["state"] == "announced"
    member = MemberCity.objects.get(pk=hannover.pk)
    assert member.status == "member" and member.joined is not None
    assert [change.status for change in member.status_history] == ["applicant", "member"]
    # The meeting records it among what it dealt with.
    editor = logged_in(app, users["editor"])
    meeting_page = editor.get(f"/admin/content_meeting/workflow/?id={meeting.pk}").get_data(as_text=True)
    assert "Beitrittsantrag der Landeshauptstadt Hannover" in meeting_page
    history = [entry.transition for entry in Content.objects.get(pk=item_id).history]
    assert history == ["circulate", "accept", "sign", "notify", "announce"]
    assert AuditEntry.objects(event="consent_recorded").count() == len(FOUNDING_MEMBERS)


def test_the_admin_page_shows_who_is_missing_and_reminds(app, users, create_user):
    from cms.operations import consents, content
    from content_types import MembershipApplication
    from workflows import engine

    hannover = MemberCity(name_de="Hannover", name_zh="汉诺威", name_en="Hanover", country="DE").save()
    item = content.new_item(users["editor"], MembershipApplication.type_name)
    item.title, item.city = "Antrag Hannover", hannover
    item = engine.fire(users["editor"], content.create_item(users["editor"], item), "circulate")
    consents.record_decision(create_user("member", city_name="Aachen"), item, "consent", "Einverstanden")
    client = logged_in(app, users["editor"])
    url = f"/admin/content_membership_application/workflow/?id={item.pk}"
    page = client.get(url).get_data(as_text=True)
    assert "Einverstanden" in page and "Foshan" in page
    missing = re.search(r"Still missing: ([^<]*)\.", page) or re.search(r"Noch ausstehend: ([^<]*)\.", page)
    assert missing and "Aachen" not in missing.group(1) and "Foshan" in missing.group(1)
    posted = client.post(
        "/admin/content_membership_application/remind/", data={"csrf_token": csrf_token_from(page), "id": str(item.pk)}
    )
    assert posted.status_code == 303
    assert len(consents.reminders(item)) == 1
    # A representative can't use the admin at all, and the reminder button isn't theirs.
    member = Browser(app.test_client())
    member.login(users["member"].email)
    assert member.client.get(url).status_code in (302, 403)
