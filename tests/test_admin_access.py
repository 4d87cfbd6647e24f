"""Who gets into the admin, and which of Flask-Admin's doors stay shut: every view asks can()."""

import pytest

from content_types import Content, WorkPlan

CONTENT_VIEWS = ["concept", "work_plan", "mou", "declaration", "circular", "news", "meeting"]


def _admin_urls():
    urls = [
        "/admin/",
        "/admin/users/",
        "/admin/users/new/",
        "/admin/cities/",
        "/admin/cities/new/",
        "/admin/worklist/",
        "/admin/workflows/",
        "/admin/audit/",
        "/admin/content_all/",
    ]
    for name in CONTENT_VIEWS:
        base = f"/admin/content_{name}/"
        urls += [
            base,
            f"{base}new/",
            f"{base}details/?id=x",
            f"{base}export/csv/",
            f"{base}ajax/lookup/?name=x&query=a",
            f"{base}workflow/?id=000000000000000000000000",
        ]
    return urls


@pytest.mark.parametrize("url", _admin_urls())
def test_anonymous_visitors_are_sent_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("url", _admin_urls())
def test_members_are_refused_everywhere_in_the_admin(browser, users, client, url):
    browser.login(users["member"].email)
    assert client.get(url).status_code == 403


def test_deactivated_users_cannot_log_in(browser, users, client):
    response = browser.login(users["inactive"].email)
    assert response.status_code == 401
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("role, allowed", [("admin", True), ("editor", False), ("reviewer", False)])
def test_only_admins_manage_users(browser, users, client, role, allowed):
    browser.login(users[role].email)
    assert (client.get("/admin/users/").status_code == 200) is allowed


@pytest.mark.parametrize("role, allowed", [("admin", True), ("editor", True), ("approver", False)])
def test_admins_and_editors_manage_cities(browser, users, client, role, allowed):
    browser.login(users[role].email)
    assert (client.get("/admin/cities/").status_code == 200) is allowed


def test_gridfs_file_endpoint_is_closed(browser, users, client):
    browser.login(users["admin"].email)
    response = client.get("/admin/content_work_plan/api/file/?id=000000000000000000000000&coll=fs&db=default")
    assert response.status_code == 404


def test_export_and_details_are_disabled(browser, users, client, create_item):
    item = create_item("work_plan", owner=users["editor"])
    browser.login(users["admin"].email)
    assert client.get(f"/admin/content_work_plan/details/?id={item.pk}").status_code == 302
    assert client.get("/admin/content_work_plan/export/csv/").status_code == 302


def test_admin_posts_without_csrf_token_are_refused(browser, users, client, create_item):
    item = create_item("work_plan", owner=users["editor"], title="Original")
    browser.login(users["editor"].email)
    response = client.post(
        f"/admin/content_work_plan/edit/?id={item.pk}",
        data={"title": "Ohne Token", "language": "de", "year": "2027", "edited_revision": "1"},
    )
    assert response.status_code == 400
    response = client.post("/admin/content_work_plan/delete/", data={"id": str(item.pk)})
    assert response.status_code == 400
    assert WorkPlan.objects.get(pk=item.pk).title == "Original"


def test_ajax_update_and_actions_change_nothing(browser, users, client, create_item):
    item = create_item("news", owner=users["editor"], title="Unverändert")
    browser.login(users["editor"].email)
    token = browser.form_token("/admin/content_news/")
    client.post(
        "/admin/content_news/ajax/update/",
        data={"csrf_token": token, "list_form_pk": str(item.pk), "title": "Per Ajax", "state": "published"},
    )
    client.post("/admin/content_news/action/", data={"csrf_token": token, "action": "delete", "rowid": str(item.pk)})
    stored = Content.objects.get(pk=item.pk)
    assert (stored.title, stored.state) == ("Unverändert", "draft")
