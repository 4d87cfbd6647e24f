"""The public list of member cities with their profiles, contacts only for members and staff; the dashboard box."""

import pytest

from content_types import MemberCity
from tests.conftest import Browser

CONTACT = {"name": "Frau Beispiel", "role": "Wirtschaftsförderung", "email": "beispiel@aachen.example"}


@pytest.fixture
def profiles(app):
    MemberCity.objects(name_de="Aachen").update_one(
        set__characteristics_de="Grenzstadt mit Hochschulen",
        set__characteristics_zh="边境大学城",
        set__industrial_strengths_de="Maschinenbau",
        set__contacts=[CONTACT],
    )


def _page(app, user, language):
    client = app.test_client()
    if user is not None:
        Browser(client).login(user.email)
    response = client.get(f"/{language}/cities")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_profiles_show_in_the_readers_language_falling_back_to_german_with_a_note(app, profiles):
    chinese = _page(app, None, "zh")
    assert "边境大学城" in chinese and "Grenzstadt" not in chinese
    # Industrial strengths exist only in German: shown so, with the note.
    assert 'lang="de">Maschinenbau <small class="fallback">（仅有' in chinese
    german = _page(app, None, "de")
    assert "Grenzstadt mit Hochschulen" in german and 'class="fallback"' not in german


def test_only_members_are_listed(app, profiles):
    page = _page(app, None, "de")
    assert "Aachen" in page and "Foshan" in page and "Bonn" not in page  # Bonn is only asked to join


# Who sees the contacts on the public page: (user, sees).
CONTACT_VIEWERS = [(None, False), ("member", True), ("member_b", True), ("editor", True), ("admin", True)]


@pytest.mark.parametrize(("who", "sees"), CONTACT_VIEWERS)
def test_contacts_only_for_member_cities_and_staff(app, users, profiles, who, sees):
    page = _page(app, users[who] if who else None, "de")
    assert ("beispiel@aachen.example" in page) is sees


def test_a_representative_of_a_city_that_is_not_a_member_sees_no_contacts(app, create_user, profiles):
    assert "beispiel@aachen.example" not in _page(app, create_user("member", city_name="Bonn"), "de")


def test_an_anonymous_visit_cached_before_never_shows_contacts_to_the_next(app, users, profiles):
    _page(app, users["member"], "de")
    assert "beispiel@aachen.example" not in _page(app, None, "de")


def test_a_saved_profile_shows_at_once_on_the_cached_public_page(app, api, users, profiles):
    assert "Stahl" not in _page(app, None, "de")
    aachen = MemberCity.objects.get(name_de="Aachen")
    body = {"revision": aachen.revision, "profile": {"industrial_strengths": {"de": "Stahl"}}}
    assert api.call("PATCH", f"/api/v1/cities/{aachen.pk}", users["member_b"], json=body).status_code == 200
    assert "Stahl" in _page(app, None, "de")


def test_the_dashboard_lists_member_cities_without_contact_persons(app, users, profiles):
    client = app.test_client()
    Browser(client).login(users["editor"].email)
    page = client.get("/admin/").get_data(as_text=True)
    box = page.split('id="cities-without-contacts"')[1].split("</section>")[0]
    members = MemberCity.objects(status="member")
    without = [city for city in members if not city.contacts]
    assert f'<span class="badge badge-secondary">{len(without)}</span>' in box
    assert f"/admin/cities/edit/?id={without[0].pk}" in box
    aachen = MemberCity.objects.get(name_de="Aachen")
    assert str(aachen.pk) not in box  # it names a contact person
    assert str(MemberCity.objects.get(name_de="Bonn").pk) not in box  # not a member


def test_the_dashboard_box_is_for_those_who_maintain_cities(app, users):
    client = app.test_client()
    Browser(client).login(users["reviewer"].email)
    assert 'id="cities-without-contacts"' not in client.get("/admin/").get_data(as_text=True)
