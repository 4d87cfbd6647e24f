"""The member-city database in the admin: who maintains it, forms by name, no resurrected records."""

from content_types import MemberCity


def test_city_edit_does_not_resurrect_a_deleted_city(browser, users, client, city):
    bonn = city("Bonn")
    browser.login(users["admin"].email)
    url = f"/admin/cities/edit/?id={bonn.pk}"
    token = browser.form_token(url)
    MemberCity.objects(pk=bonn.pk).delete()
    client.post(
        url,
        data={
            "csrf_token": token,
            "name_de": "Bonn",
            "name_zh": "波恩",
            "name_en": "Bonn",
            "country": "DE",
            "status": "requested",
        },
    )
    assert MemberCity.objects(name_de="Bonn").count() == 0


def test_city_form_offers_countries_and_statuses_by_name(browser, users, client, city):
    users["admin"].update(set__language="de")
    browser.login(users["admin"].email)
    url = f"/admin/cities/edit/?id={city('Bonn').pk}"
    page = client.get(url).get_data(as_text=True)
    assert (
        '<option selected value="DE">Deutschland</option>' in page
        and '<option value="member">Mitglied</option>' in page
    )
    token = browser.form_token(url)
    data = {"csrf_token": token, "name_de": "Bonn", "name_zh": "波恩", "name_en": "Bonn", "country": "DE"}
    assert client.post(url, data={**data, "status": "member"}).status_code == 302
    assert city("Bonn").status == "member"
    client.post(url, data={**data, "status": "emperor"})
    assert city("Bonn").status == "member"
