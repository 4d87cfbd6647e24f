"""Creating, editing, listing and deleting items in the admin: only editable fields, no lost updates, escaped cells."""

import re

from content_types import Content, WorkPlan


def _create_work_plan(browser, client, **extra):
    token = browser.form_token("/admin/content_work_plan/new/")
    data = {
        "csrf_token": token,
        "title": "Arbeitsplan 2027",
        "language": "de",
        "year": "2027",
        "body": "<p>Entwurf</p><script>alert(1)</script>",
        **extra,
    }
    return client.post("/admin/content_work_plan/new/", data=data)


def _edit(browser, client, item, edited, **fields):
    url = f"/admin/content_work_plan/edit/?id={item.pk}"
    token = browser.form_token(url)
    data = {
        "csrf_token": token,
        "title": item.title,
        "language": item.language,
        "year": str(item.year),
        "edited_revision": str(edited),
        **fields,
    }
    return client.post(url, data=data)


def test_an_editor_creates_a_work_plan_and_a_member_cannot_see_it(browser, users, client, api):
    browser.login(users["editor"].email)
    response = _create_work_plan(browser, client)
    assert response.status_code == 302
    plan = WorkPlan.objects.get(title="Arbeitsplan 2027")
    assert (plan.state, plan.revision, plan.owner.pk, plan.year) == ("draft", 1, users["editor"].pk, 2027)
    assert "<script" not in plan.body
    listing = client.get("/admin/content_work_plan/").get_data(as_text=True)
    assert "Arbeitsplan 2027" in listing
    browser.logout()
    browser.login(users["member"].email)
    assert client.get("/admin/content_work_plan/").status_code == 403
    assert api.call("GET", f"/api/v1/content/{plan.pk}", users["member"]).status_code == 404
    assert "Arbeitsplan 2027" not in client.get("/en/").get_data(as_text=True)


def test_posting_system_fields_in_the_create_form_changes_nothing(browser, users, client):
    browser.login(users["editor"].email)
    _create_work_plan(
        browser,
        client,
        state="published",
        revision="99",
        owner=str(users["admin"].pk),
        translation_group="x",
        history="[]",
    )
    plan = WorkPlan.objects.get(title="Arbeitsplan 2027")
    assert (plan.state, plan.revision, plan.owner.pk) == ("draft", 1, users["editor"].pk)
    assert plan.translation_group != "x"


def test_the_edit_form_has_no_system_fields(browser, users, client, create_item):
    item = create_item("work_plan", owner=users["editor"])
    browser.login(users["editor"].email)
    page = client.get(f"/admin/content_work_plan/edit/?id={item.pk}").get_data(as_text=True)
    for field in ("state", "revision", "owner", "local_roles", "translation_group"):
        assert f'name="{field}"' not in page
    assert 'name="edited_revision"' in page


def test_posting_state_in_the_edit_form_changes_nothing(browser, users, client, create_item):
    item = create_item("work_plan", owner=users["editor"])
    browser.login(users["editor"].email)
    response = _edit(
        browser, client, item, 1, title="Neu", state="published", revision="50", owner=str(users["admin"].pk)
    )
    assert response.status_code == 302
    stored = WorkPlan.objects.get(pk=item.pk)
    assert (stored.title, stored.state, stored.revision, stored.owner.pk) == ("Neu", "draft", 2, users["editor"].pk)


def test_a_stale_form_is_refused_and_the_input_kept(browser, users, client, create_item):
    item = create_item("work_plan", owner=users["editor"], title="Original")
    browser.login(users["editor"].email)
    assert _edit(browser, client, item, 1, title="Meine Fassung").status_code == 302
    response = _edit(browser, client, item, 1, title="Veraltete Fassung")
    page = response.get_data(as_text=True)
    assert response.status_code == 409  # what the API answers a stale revision with
    assert "Someone else changed this item meanwhile" in page
    assert 'value="Veraltete Fassung"' in page
    stored = WorkPlan.objects.get(pk=item.pk)
    assert (stored.title, stored.revision) == ("Meine Fassung", 2)


def test_reviewers_may_list_drafts_but_not_edit_them(browser, users, client, create_item):
    item = create_item("work_plan", owner=users["editor"], title="Zur Prüfung")
    browser.login(users["reviewer"].email)
    assert "Zur Prüfung" in client.get("/admin/content_work_plan/").get_data(as_text=True)
    opened = client.get(f"/admin/content_work_plan/edit/?id={item.pk}")
    assert opened.status_code == 302 and "/workflow/" in opened.headers["Location"]
    assert "Zur Prüfung" in client.get(opened.headers["Location"]).get_data(as_text=True)
    response = client.post(f"/admin/content_work_plan/edit/?id={item.pk}", data={"title": "x", "edited_revision": "1"})
    assert response.status_code in (400, 403)
    assert WorkPlan.objects.get(pk=item.pk).title == "Zur Prüfung"


def test_reviewers_cannot_create(browser, users, client):
    browser.login(users["reviewer"].email)
    assert client.get("/admin/content_news/new/").status_code == 302
    token = browser.form_token("/en/")
    client.post("/admin/content_news/new/", data={"csrf_token": token, "title": "x", "language": "de"})
    assert Content.objects.count() == 0


def test_delete_through_the_admin(browser, users, client, create_item):
    item = create_item("work_plan", owner=users["editor"])
    browser.login(users["editor"].email)
    token = browser.form_token("/admin/content_work_plan/")
    response = client.post("/admin/content_work_plan/delete/", data={"id": str(item.pk), "csrf_token": token})
    assert response.status_code == 302
    assert WorkPlan.objects(pk=item.pk).count() == 0


def test_list_cells_escape_payloads(browser, users, client, create_item):
    create_item("news", owner=users["editor"], title='<img src=x onerror="alert(1)">')
    browser.login(users["editor"].email)
    page = client.get("/admin/content_news/").get_data(as_text=True)
    assert '<img src=x onerror="alert(1)">' not in page and "&lt;img" in page


def test_list_filters_and_search(browser, users, client, create_item):
    create_item("work_plan", owner=users["editor"], title="Plan Deutsch", language="de", year=2027)
    create_item("work_plan", owner=users["editor"], title="Plan Chinesisch", language="zh", year=2026)
    browser.login(users["editor"].email)
    page = client.get("/admin/content_work_plan/?search=Chinesisch").get_data(as_text=True)
    assert "Plan Chinesisch" in page and "Plan Deutsch" not in page
    # Flask-Admin numbers filters by position: 0 state, 1 language, 2 year.
    page = client.get("/admin/content_work_plan/?flt0_1=zh").get_data(as_text=True)
    assert "Plan Chinesisch" in page and "Plan Deutsch" not in page
    page = client.get("/admin/content_work_plan/?flt0_2=2027").get_data(as_text=True)
    assert "Plan Deutsch" in page and "Plan Chinesisch" not in page


def test_workflow_states_show_translated_titles(browser, users, client, create_item):
    create_item("news", owner=users["editor"])
    browser.login(users["editor"].email)
    page = client.get("/admin/content_news/").get_data(as_text=True)
    assert re.search(r">\s*Draft\s*<", page)


def test_the_overview_lists_all_types_with_a_type_filter(browser, users, client, create_item):
    create_item("work_plan", owner=users["editor"], title="Plan im Überblick")
    create_item("news", owner=users["editor"], title="Nachricht im Überblick")
    browser.login(users["reviewer"].email)
    page = client.get("/admin/content_all/").get_data(as_text=True)
    assert "Plan im Überblick" in page and "Nachricht im Überblick" in page
    page = client.get("/admin/content_all/?flt0_0=news").get_data(as_text=True)
    assert "Nachricht im Überblick" in page and "Plan im Überblick" not in page
    browser.logout()
    browser.login(users["member"].email)
    assert client.get("/admin/content_all/").status_code == 403
