"""Member cities maintain their own contacts and profile (and only theirs): policy, API, member-area form, audit."""

import pytest

from content_types import AuditEntry, MemberCity
from tests.conftest import Browser, csrf_token_from
from workflows.permissions import EDIT_CITY
from workflows.policy import can

# Who may change which city's contacts and profile: (user, city, allowed).
EDITS = [
    ("member", "Foshan", True),  # Foshan's representative, their own city
    ("member", "Aachen", False),  # ... another city
    ("member_b", "Aachen", True),
    ("member_b", "Foshan", False),
    ("editor", "Aachen", True),  # the secretariat maintains every city
    ("admin", "Foshan", True),
    ("reviewer", "Foshan", False),
    ("approver", "Foshan", False),
    ("anonymous", "Foshan", False),
    ("inactive", "Foshan", False),
]


@pytest.mark.parametrize(("who", "city_name", "allowed"), EDITS)
def test_who_may_edit_a_city(users, city, who, city_name, allowed):
    user = None if who == "anonymous" else users[who]
    assert can(user, EDIT_CITY, city(city_name)) is allowed


@pytest.mark.parametrize("status", ["requested", "applicant", "withdrawn", "excluded"])
def test_a_representative_of_a_city_that_is_not_a_member_has_no_right_to_its_profile(create_user, city, status):
    MemberCity.objects(name_de="Foshan").update_one(set__status=status)
    assert not can(create_user("member", city_name="Foshan"), EDIT_CITY, city("Foshan"))


def test_a_city_permission_must_be_one(users, city):
    with pytest.raises(ValueError):
        can(users["admin"], "view", city("Foshan"))


PROFILE = {
    "characteristics": {"de": "Fertigungsstadt im Perlflussdelta", "zh": "珠江三角洲制造业城市"},
    "cooperation_wishes": {"en": "Joint training of skilled workers"},
}
CONTACTS = [{"name": "王芳", "role": "外事办", "email": "wang@foshan.example", "phone": "+86 757 1234"}]


def _patch(api, user, city_name, **body):
    city = MemberCity.objects.get(name_de=city_name)
    body.setdefault("revision", city.revision)
    return api.call("PATCH", f"/api/v1/cities/{city.pk}", user, json=body)


def test_a_representative_updates_their_city_through_the_api_and_it_is_audited(api, users, city):
    response = _patch(api, users["member"], "Foshan", contacts=CONTACTS, profile=PROFILE, contact_office="外事局")
    assert response.get_json()["contacts"][0]["language"] is None  # unset: mail in the city's language (Chinese)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["profile"]["characteristics"]["zh"] == "珠江三角洲制造业城市" and body["revision"] == 1
    assert body["contacts"][0]["name"] == "王芳"
    foshan = city("Foshan")
    assert foshan.contact_office == "外事局" and foshan.cooperation_wishes_en == "Joint training of skilled workers"
    assert [c.email for c in foshan.contacts] == ["wang@foshan.example"] and foshan.revision == 1
    entry = AuditEntry.objects(event="city_profile_saved").get()
    assert entry.actor_email == users["member"].email and entry.facts["city"] == "Foshan"
    assert set(entry.facts["fields"]) == {"contacts", "contact_office", "characteristics_de", "characteristics_zh"} | {
        "cooperation_wishes_en"
    }


# Refused PATCHes: (who, city, body, status). Nothing may change.
REFUSED = [
    ("member", "Aachen", {"contact_office": "Foshan schreibt Aachen"}, 403),
    ("member_b", "Foshan", {"contacts": CONTACTS}, 403),
    ("member", "Foshan", {"status": "excluded"}, 422),
    ("editor", "Foshan", {"status": "member"}, 422),
    ("member", "Foshan", {"name_de": "Fo Shan"}, 422),
    ("member", "Foshan", {"contacts": [{"name": ""}]}, 422),
    ("member", "Foshan", {"contacts": [{"name": "X", "email": "not an address"}]}, 422),
    ("member", "Foshan", {"contacts": [{"name": "X", "boss": True}]}, 422),
    ("member", "Foshan", {"contacts": [{"name": "X", "language": "fr"}]}, 422),
    # A line break in a name would reach the To header of the contact's mail (and make it fail).
    ("member", "Foshan", {"contacts": [{"name": "Li\r\nBcc: evil@example.org", "email": "li@foshan.example"}]}, 422),
    ("member", "Foshan", {"contacts": [{"name": "Li", "role": "Leiter\nin", "email": "li@foshan.example"}]}, 422),
    ("member", "Foshan", {"profile": {"characteristics": {"fr": "Ville"}}}, 422),
    ("member", "Foshan", {"profile": {"characteristics": {"de": "x" * 4001}}}, 422),
    ("member", "Foshan", {"contact_office": {"$gt": ""}}, 422),
    ("member", "Foshan", {"revision": None, "contact_office": "x"}, 422),
    ("member", "Foshan", {"revision": 7, "contact_office": "x"}, 409),
    (None, "Foshan", {"contact_office": "x"}, 401),
]


@pytest.mark.parametrize(("who", "city_name", "body", "status"), REFUSED)
def test_refused_changes_change_nothing(api, users, who, city_name, body, status):
    before = MemberCity._get_collection().find_one({"name_de": city_name})
    response = _patch(api, users[who] if who else None, city_name, **body)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"]["message"]
    assert MemberCity._get_collection().find_one({"name_de": city_name}) == before


def test_an_excluded_citys_representative_is_refused_by_the_api(api, create_user, city):
    representative = create_user("member", city_name="Aachen")
    MemberCity.change_status(city("Aachen").pk, "member", "excluded", reason="test")
    assert _patch(api, representative, "Aachen", contact_office="still ours?").status_code == 403
    assert city("Aachen").contact_office != "still ours?"


def test_the_second_of_two_edits_from_the_same_revision_is_refused_not_lost(api, users, city):
    first = _patch(api, users["member"], "Foshan", revision=0, contact_office="Erstes Büro")
    second = _patch(api, users["editor"], "Foshan", revision=0, contact_office="Zweites Büro")
    assert (first.status_code, second.status_code) == (200, 409)
    assert city("Foshan").contact_office == "Erstes Büro"


def test_a_staff_save_in_the_admin_counts_as_a_revision(api, users, browser, client, city):
    browser.login(users["editor"].email)
    url = f"/admin/cities/edit/?id={city('Foshan').pk}"
    token = browser.form_token(url)
    form = {"csrf_token": token, "name_de": "Foshan", "name_zh": "佛山", "name_en": "Foshan", "country": "CN"}
    assert client.post(url, data={**form, "edited_revision": "0", "responsible_person": "Herr Li"}).status_code == 302
    # A representative's edit of the revision before the secretariat's save is told, not applied.
    assert _patch(api, users["member"], "Foshan", revision=0, responsible_person="李先生").status_code == 409
    assert city("Foshan").responsible_person == "Herr Li"


def test_the_city_as_read_by_the_api_carries_the_profile_for_everyone(api, users, city):
    MemberCity.objects(name_de="Foshan").update_one(set__industrial_strengths_de="Haushaltsgeräte")
    anonymous = api.call("GET", f"/api/v1/cities/{city('Foshan').pk}").get_json()
    assert anonymous["profile"]["industrial_strengths"]["de"] == "Haushaltsgeräte"
    assert "contacts" not in anonymous


# The member-area form.


def _form_client(app, user):
    client = app.test_client()
    Browser(client).login(user.email)
    return client


def _form(city_name, **fields):
    stored = MemberCity.objects.get(name_de=city_name)
    data = {"revision": str(stored.revision), "contact_office": stored.contact_office or ""}
    data.update(fields)
    return data


def test_a_representative_saves_contacts_and_profile_in_the_member_area(app, users, city):
    client = _form_client(app, users["member"])
    page = client.get("/zh/members/city")
    assert page.status_code == 200 and "佛山" in page.get_data(as_text=True)
    token = csrf_token_from(page.get_data(as_text=True))
    data = _form(
        "Foshan",
        csrf_token=token,
        responsible_person="李伟",
        **{
            "contacts-0-name": "王芳",
            "contacts-0-email": "wang@foshan.example",
            "contacts-0-language": "en",
            "contacts-1-name": "",
        },
        characteristics_zh="制造业城市",
    )
    response = client.post("/zh/members/city", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    foshan = city("Foshan")
    assert foshan.responsible_person == "李伟" and foshan.characteristics_zh == "制造业城市"
    assert [(c.name, c.email, c.language) for c in foshan.contacts] == [("王芳", "wang@foshan.example", "en")]
    assert foshan.contact_language(foshan.contacts[0]) == "en"  # mail to her is written in English
    assert AuditEntry.objects(event="city_profile_saved", actor_email=users["member"].email).count() == 1


def test_the_member_area_form_refuses_without_csrf_and_from_a_stale_revision(app, users, city):
    client = _form_client(app, users["member"])
    assert client.post("/de/members/city", data=_form("Foshan", contact_office="ohne Token")).status_code == 400
    token = csrf_token_from(client.get("/de/members/city").get_data(as_text=True))
    MemberCity.objects(name_de="Foshan").update_one(set__revision=3, set__contact_office="vom Sekretariat")
    stale = client.post("/de/members/city", data=_form("Foshan", csrf_token=token, revision="0", contact_office="alt"))
    # Told, and what was typed is still in the form.
    assert stale.status_code == 409 and 'value="alt"' in stale.get_data(as_text=True)
    assert city("Foshan").contact_office == "vom Sekretariat"


def test_the_member_area_form_is_only_for_a_member_citys_representative(app, users, create_user, city):
    assert _form_client(app, users["editor"]).get("/de/members/city").status_code == 404  # staff have no own city
    requested = create_user("member", city_name="Bonn")
    assert _form_client(app, requested).get("/de/members/city").status_code == 403
    client = _form_client(app, requested)
    token = csrf_token_from(client.get("/de/members").get_data(as_text=True))
    assert client.post("/de/members/city", data=_form("Bonn", csrf_token=token, contact_office="x")).status_code == 403
    assert city("Bonn").contact_office != "x"


def test_the_member_area_links_to_the_form_only_where_it_may_be_used(app, users, create_user):
    assert "/members/city" in _form_client(app, users["member"]).get("/de/members").get_data(as_text=True)
    bonn = _form_client(app, create_user("member", city_name="Bonn")).get("/de/members").get_data(as_text=True)
    assert "/members/city" not in bonn
