"""The member-city database in the admin: who maintains it, forms by name, no resurrected records."""

from content_types import MemberCity

# The revision a city's admin form was opened at (a founding city's first).
OPENED = {"edited_revision": "0"}


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


def test_city_form_offers_countries_by_name_and_no_status(browser, users, client, city):
    users["editor"].update(set__language="de")
    browser.login(users["editor"].email)
    url = f"/admin/cities/edit/?id={city('Bonn').pk}"
    page = client.get(url).get_data(as_text=True)
    assert '<option selected value="DE">Deutschland</option>' in page
    assert 'name="status"' not in page and "Beitritt, Austritt oder Ausschluss" in page  # not even for editors
    token = browser.form_token(url)
    data = {"csrf_token": token, "name_de": "Bonn", "name_zh": "波恩", "name_en": "Bonn", "country": "DE", **OPENED}
    # Posting a status anyway changes nothing: it is not a field of the form.
    assert client.post(url, data={**data, "status": "member", "joined": "2026-01-01T00:00"}).status_code == 302
    assert city("Bonn").status == "requested" and city("Bonn").joined is None


def test_only_an_admin_corrects_a_status_and_only_with_a_reason(app, users, city):
    from content_types import AuditEntry
    from tests.conftest import Browser

    bonn = city("Bonn")

    def correct(user, **form):
        client = app.test_client()
        browser = Browser(client)
        browser.login(user.email)
        token = browser.form_token(f"/admin/cities/edit/?id={bonn.pk}")
        return client.post("/admin/cities/status/", data={"csrf_token": token, "id": str(bonn.pk), **form})

    assert correct(users["editor"], status="member", reason="Beschluss").status_code == 403
    assert correct(users["admin"], status="member", reason="  ").status_code == 422
    assert correct(users["admin"], status="emperor", reason="x").status_code == 422
    assert city("Bonn").status == "requested"
    corrected = correct(users["admin"], status="member", reason="Zustimmung aller Städte lag schriftlich vor")
    assert corrected.status_code == 303 and city("Bonn").status == "member" and city("Bonn").joined is not None
    entry = AuditEntry.objects(event="city_status_corrected").first()
    reason = "Zustimmung aller Städte lag schriftlich vor"
    assert entry.facts == {"city": "Bonn", "before": "requested", "after": "member", "reason": reason}
    assert entry.actor_email == users["admin"].email
    change = city("Bonn").status_history[-1]
    assert (change.previous, change.status, change.reason, change.item) == ("requested", "member", reason, None)


def test_city_changes_are_audited(browser, users, client, city):
    from content_types import AuditEntry

    browser.login(users["editor"].email)
    url = f"/admin/cities/edit/?id={city('Bonn').pk}"
    token = browser.form_token(url)
    data = {"csrf_token": token, "name_de": "Bonn", "name_zh": "波恩", "name_en": "Bonn", "country": "DE", **OPENED}
    client.post(url, data={**data, "responsible_person": "Frau Beispiel"})
    assert (
        AuditEntry.objects(event="city_saved", facts={"city": "Bonn"}, actor_email=users["editor"].email).count() == 1
    )


def test_the_home_page_shows_each_status_for_what_it_is(client, city):
    MemberCity.objects(name_de="Jiaozuo").update_one(set__status="withdrawn")
    MemberCity.objects(name_de="Aachen").update_one(set__status="excluded")
    html = client.get("/de/").get_data(as_text=True)
    assert "Jiaozuo" not in html and "Aachen" not in html  # left or excluded: not listed as if on their way in
    assert "Bonn <em>(angefragt)</em>" in html and "Foshan</li>" in html


def test_the_city_list_filters_by_country_and_status(browser, users, client):
    browser.login(users["editor"].email)
    chinese = client.get("/admin/cities/?flt0_0=CN").get_data(as_text=True)
    assert "Foshan" in chinese and "Aachen" not in chinese
    requested = client.get("/admin/cities/?flt0_1=requested").get_data(as_text=True)
    assert "Bonn" in requested and "Foshan" not in requested


def test_a_status_changes_once_from_the_status_expected_and_is_recorded(city, create_item):
    application = create_item("news", title="stands in for the process item")
    bonn = city("Bonn")

    assert MemberCity.change_status(bonn.pk, "requested", "applicant", item=application)
    # The same change again, or one from a status the city is no longer in, moves nothing.
    assert not MemberCity.change_status(bonn.pk, "requested", "applicant", item=application)
    assert MemberCity.change_status(bonn.pk, "applicant", "member", item=application)

    stored = city("Bonn")
    assert stored.status == "member" and stored.joined is not None
    assert [(c.previous, c.status) for c in stored.status_history] == [
        ("requested", "applicant"),
        ("applicant", "member"),
    ]
    assert stored.status_history[-1].item == application.pk and stored.status_history[-1].item_type == "news"


def test_a_staff_save_from_an_old_form_does_not_overwrite_a_representative_s_edit(browser, users, client, city):
    import re

    foshan = city("Foshan")
    browser.login(users["admin"].email)
    url = f"/admin/cities/edit/?id={foshan.pk}"
    page = client.get(url).get_data(as_text=True)
    token = browser.form_token(url)
    opened_at = re.search(r'id="edited_revision" name="edited_revision" type="hidden" value="(\d+)"', page).group(1)
    # Meanwhile Foshan's representative saves its contact office.
    MemberCity.objects(pk=foshan.pk).update_one(set__contact_office="Außenamt Foshan", inc__revision=1)
    form = {"csrf_token": token, "name_de": "Foshan", "name_zh": "佛山", "name_en": "Foshan", "country": "CN"}

    stale = client.post(url, data={**form, "edited_revision": opened_at, "contact_office": "Alt"})
    missing = client.post(url, data={**form, "contact_office": "Alt"})

    assert stale.status_code == 409 and missing.status_code == 422
    assert city("Foshan").contact_office == "Außenamt Foshan"
    fresh = re.search(r'name="edited_revision" type="hidden" value="(\d+)"', client.get(url).get_data(as_text=True))
    saved = client.post(url, data={**form, "edited_revision": fresh.group(1), "contact_office": "Neu"})
    assert saved.status_code == 302 and city("Foshan").contact_office == "Neu"
