"""The company database (seed IV.1): companies and cooperation projects, who files and who sees what."""

import pytest

from content_types import Company, CooperationProject, MemberCity
from tests.conftest import Browser, csrf_token_from
from tests.pdf_text import pdf_lines
from tests.workflow_helpers import force_state

BASE = "/api/v1/content"


def _company(home, **fields):
    return {
        "type": "company",
        "title": "Zulieferer GmbH",
        "city": str(home.pk),
        "sector": "C29.3",
        "size": "medium",
        "interests": ["sales_partners", "joint_venture"],
        "contact_person": "Erika Muster",
        "contact_mail": "erika@zulieferer.example",
        "contact_phone": "+49 241 432-0",
        **fields,
    }


def test_the_secretariat_files_a_company_whose_country_follows_its_city(api, users, city):
    made = api.call("POST", BASE, users["editor"], json=_company(city("Aachen")))
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert (body["country"], body["sector"], body["state"]) == ("DE", "C29.3", "draft")
    assert body["interests"] == ["sales_partners", "joint_venture"]


@pytest.mark.parametrize(
    "fields, wrong",
    [
        ({"sector": "C99"}, "sector"),
        ({"interests": ["everything"]}, "interests"),
        ({"contact_mail": "not mail"}, "contact_mail"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"contact_phone": "call me"}, "contact_phone"),
        ({"city": "0123456789ab0123456789ab"}, "city"),
    ],
)
def test_bad_company_fields_are_refused_and_nothing_is_stored(api, users, city, fields, wrong):
    refused = api.call("POST", BASE, users["editor"], json=_company(city("Aachen"), **fields))
    assert refused.status_code == 422 and wrong in refused.get_json()["error"]["details"]
    assert Company.objects.count() == 0


def test_a_representative_proposes_a_company_of_their_own_city_only_as_a_draft(api, users, city):
    own = api.call("POST", BASE, users["member"], json=_company(city("Foshan"), title="佛山汽车零部件有限公司"))
    assert own.status_code == 201 and own.get_json()["state"] == "draft"
    other = api.call("POST", BASE, users["member"], json=_company(city("Aachen")))
    assert other.status_code == 403
    assert [company.title for company in Company.objects] == ["佛山汽车零部件有限公司"]
    # Nor can the draft be moved to another city afterwards.
    item = own.get_json()
    moved = api.call(
        "PATCH",
        f"{BASE}/{item['id']}",
        users["member"],
        json={"revision": item["revision"], "city": str(city("Aachen").pk)},
    )
    assert moved.status_code == 403 and Company.objects.get().city.name_de == "Foshan"
    # Aachen's representative does not see Foshan's draft, in the list or by its address.
    assert api.call("GET", f"{BASE}/{item['id']}", users["member_b"]).status_code == 404
    listed = api.call("GET", f"{BASE}?type=company", users["member_b"]).get_json()
    assert listed["items"] == []


def test_a_company_contact_is_for_members_and_staff_only(api, users, city, create_item):
    company = create_item(
        "company", title="Aachen Antriebe", city=city("Aachen"), sector="C28", contact_mail="a@b.example", public=True
    )
    force_state(company, "published")
    seen = {
        who: api.call("GET", f"{BASE}/{company.pk}", users.get(who)).get_json()
        for who in ("anonymous", "member_b", "member", "editor")
    }
    assert seen["anonymous"]["title"] == "Aachen Antriebe" and "contact_mail" not in seen["anonymous"]
    assert all(seen[who]["contact_mail"] == "a@b.example" for who in ("member_b", "member", "editor"))


def test_a_project_names_a_german_and_a_chinese_city_and_each_sides_companies(api, users, city, create_item):
    german = create_item("company", title="Aachen Antriebe", city=city("Aachen"), sector="C28")
    chinese = create_item("company", title="佛山机械", city=city("Foshan"), sector="C28")
    project = {
        "type": "cooperation_project",
        "title": "Antriebe für Foshan",
        "cooperation": "joint_venture",
        "stage": "talks",
        "german_city": str(city("Aachen").pk),
        "chinese_city": str(city("Foshan").pk),
        "german_companies": [str(german.pk)],
        "chinese_companies": [str(chinese.pk)],
        "volume": 5_000_000,
        "currency": "EUR",
    }
    swapped = {**project, "german_companies": [str(chinese.pk)]}
    refused = api.call("POST", BASE, users["editor"], json=swapped)
    assert refused.status_code == 422 and "german_companies" in refused.get_json()["error"]["details"]
    wrong_city = {**project, "german_city": str(city("Foshan").pk)}
    assert api.call("POST", BASE, users["editor"], json=wrong_city).status_code == 422
    # Foshan's representative may file it: Foshan is its Chinese side.
    made = api.call("POST", BASE, users["member"], json=project)
    assert made.status_code == 201, made.get_json()
    stored = CooperationProject.objects.get()
    assert [change.stage for change in stored.stage_history] == ["talks"]
    body = made.get_json()
    changed = api.call(
        "PATCH", f"{BASE}/{body['id']}", users["member"], json={"revision": body["revision"], "stage": "agreed"}
    )
    assert changed.status_code == 200, changed.get_json()
    stored.reload()
    assert [change.stage for change in stored.stage_history] == ["talks", "agreed"]


def test_a_representative_of_neither_side_may_not_file_a_project(api, users, city):
    hefei = MemberCity.objects.get(name_de="Hefei") if MemberCity.objects(name_de="Hefei") else None
    chinese = hefei or city("Foshan")
    project = {
        "type": "cooperation_project",
        "title": "Nicht unseres",
        "german_city": str(city("Bonn").pk if MemberCity.objects(name_de="Bonn") else city("Aachen").pk),
        "chinese_city": str(chinese.pk),
    }
    assert api.call("POST", BASE, users["member_b"], json=project).status_code == 403
    assert CooperationProject.objects.count() == 0


def test_partners_are_suggested_from_the_other_country_among_what_the_caller_may_see(api, users, city, create_item):
    carmaker = create_item(
        "company", title="佛山汽车", city=city("Foshan"), sector="C29.1", interests=["suppliers"], public=True
    )
    supplier = create_item(
        "company", title="Aachen Teile", city=city("Aachen"), sector="C29.3", interests=["sales_partners"], public=True
    )
    draft = create_item("company", title="Entwurf Teile", city=city("Aachen"), sector="C29.3")
    neighbour = create_item("company", title="佛山零件", city=city("Foshan"), sector="C29.3", public=True)
    for company in (carmaker, supplier, neighbour):
        force_state(company, "published")
    found = api.call("GET", f"{BASE}/{carmaker.pk}/partners", users["member"]).get_json()["items"]
    assert [entry["title"] for entry in found] == ["Aachen Teile"]
    assert found[0]["score"] == 4
    assert [reason["field"] for reason in found[0]["reasons"]] == ["sector", "interests"]
    # The secretariat sees its draft among the suggestions too; the public does not.
    by_staff = api.call("GET", f"{BASE}/{carmaker.pk}/partners", users["editor"]).get_json()["items"]
    assert {entry["title"] for entry in by_staff} == {"Aachen Teile", draft.title}
    anonymous = api.call("GET", f"{BASE}/{carmaker.pk}/partners").get_json()["items"]
    assert [entry["title"] for entry in anonymous] == ["Aachen Teile"]
    not_a_company = create_item("news", title="Nachricht")
    assert api.call("GET", f"{BASE}/{not_a_company.pk}/partners", users["editor"]).status_code == 422


def test_the_company_page_shows_its_facts_the_contact_to_members_and_its_partners(app, users, city, create_item):
    supplier = create_item(
        "company",
        title="Aachen Teile",
        city=city("Aachen"),
        sector="C29.3",
        interests=["sales_partners"],
        contact_mail="teile@aachen.example",
        public=True,
    )
    carmaker = create_item(
        "company", title="佛山汽车", city=city("Foshan"), sector="C29.1", interests=["suppliers"], public=True
    )
    for company in (supplier, carmaker):
        force_state(company, "published")
    anonymous = app.test_client().get(f"/de/documents/{supplier.pk}").get_data(as_text=True)
    assert "Teile und Zubehör für Kraftwagen" in anonymous and "teile@aachen.example" not in anonymous
    assert "佛山汽车" in anonymous and "Sucht Vertriebspartner" in anonymous
    member = app.test_client()
    Browser(member).login(users["member"].email)
    page = member.get(f"/de/documents/{supplier.pk}").get_data(as_text=True)
    assert "teile@aachen.example" in page


PROPOSE = "/de/members/companies/propose"


def _propose(client, send=False, **fields):
    token = csrf_token_from(client.get(PROPOSE).get_data(as_text=True))
    data = {
        "csrf_token": token,
        "title": "Foshan Präzisionsformen",
        "sector": "C25",
        "size": "small",
        "products": "Formen\nWerkzeuge\n",
        "interests": ["sales_partners", "technology_sought"],
        **fields,
    }
    if send:
        data["send"] = "1"
    return client.post(PROPOSE, data=data)


def test_a_representative_proposes_a_company_in_the_member_area_as_a_draft_of_their_city(app, users, city):
    member = app.test_client()
    Browser(member).login(users["member"].email)
    assert "Unternehmen Ihrer Stadt vorschlagen" in member.get("/de/members").get_data(as_text=True)
    saved = _propose(member, city="irrelevant")
    assert saved.status_code == 303
    draft = Company.objects.get()
    assert (draft.state, draft.city.pk, draft.owner.pk) == ("draft", city("Foshan").pk, users["member"].pk)
    assert draft.products == ["Formen", "Werkzeuge"] and draft.interests == ["technology_sought", "sales_partners"]
    page = member.get(PROPOSE).get_data(as_text=True)
    assert "Foshan Präzisionsformen" in page and "Entwurf" in page
    token = csrf_token_from(page)
    sent = member.post(f"{PROPOSE}/{draft.pk}/send", data={"csrf_token": token})
    assert sent.status_code == 303 and Company.objects.get().state == "in_review"
    # Aachen's representative can neither see nor send it.
    other = app.test_client()
    Browser(other).login(users["member_b"].email)
    assert "Foshan Präzisionsformen" not in other.get(PROPOSE).get_data(as_text=True)
    assert other.get(f"/de/documents/{draft.pk}").status_code == 404


def test_a_bad_company_proposal_is_refused_with_the_reason_and_nothing_is_stored(app, users):
    member = app.test_client()
    Browser(member).login(users["member"].email)
    refused = _propose(member, send=True, contact_mail="nicht-mail", interests=["everything"])
    assert refused.status_code == 422
    assert Company.objects.count() == 0
    refused = _propose(member, contact_mail="nicht-mail")
    assert refused.status_code == 422 and "Das ist keine E-Mail-Adresse" in refused.get_data(as_text=True)
    assert Company.objects.count() == 0
    assert member.post(PROPOSE, data={"title": "Ohne Token", "sector": "C25", "size": "small"}).status_code == 400
    assert Company.objects.count() == 0


def test_staff_without_a_city_enter_companies_in_the_admin_not_the_member_area(app, users):
    editor = app.test_client()
    Browser(editor).login(users["editor"].email)
    assert editor.get(PROPOSE).status_code == 403


def test_a_published_companys_pdf_names_its_sector_and_interests_but_not_its_contact(api, users, city, create_item):
    company = create_item(
        "company",
        owner=users["editor"],
        title="Aachen Teile GmbH",
        city=city("Aachen"),
        sector="C29.3",
        interests=["sales_partners"],
        contact_mail="teile@aachen.example",
        public=True,
    )
    for who, step in (("editor", "submit"), ("reviewer", "publish")):
        assert api.call("POST", f"{BASE}/{company.pk}/workflow/{step}", users[who], json={}).status_code == 200
    versions = api.call("GET", f"{BASE}/{company.pk}/versions").get_json()
    text = " ".join(pdf_lines(api.call("GET", versions[0]["files"][0]["url"]).data))
    assert "Teile und Zubehör für Kraftwagen" in text and "Sucht Vertriebspartner (Export)" in text
    assert "teile@aachen.example" not in text


def test_the_admin_offers_a_projects_companies_by_typed_name_from_that_sides_country_only(
    app, users, city, create_item
):
    create_item("company", title="Aachen Teile", city=city("Aachen"), sector="C28")
    create_item("company", title="Foshan Teile", city=city("Foshan"), sector="C28")
    create_item("company", title="Aachen Maschinen", city=city("Aachen"), sector="C28")
    editor = app.test_client()
    Browser(editor).login(users["editor"].email)
    lookup = "/admin/content_cooperation_project/ajax/lookup/?name={side}&query={typed}"
    german = editor.get(lookup.format(side="german_companies", typed="teile")).get_json()
    assert [title for _id, title in german] == ["Aachen Teile (Aachen)"]
    chinese = editor.get(lookup.format(side="chinese_companies", typed="TEILE")).get_json()
    assert [title for _id, title in chinese] == ["Foshan Teile (Foshan)"]
