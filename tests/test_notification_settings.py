"""Choosing how notifications reach you: a page in the member area and one from the admin's navbar."""

from content_types import User
from tests.conftest import csrf_token_from, logged_in


def test_a_member_chooses_in_the_member_area(app, users):
    client = logged_in(app, users["member"])
    assert 'href="/en/members/notifications"' in client.get("/en/members").get_data(as_text=True)
    page = client.get("/en/members/notifications").get_data(as_text=True)
    assert 'name="kind_step_taken"' in page and 'name="kind_circular"' not in page
    assert 'name="kind_newsletter"' not in page  # subscribers leave by the link in each issue, not here
    assert "Circular to the member cities" in page and "Always immediately" in page
    token = csrf_token_from(page)
    response = client.post(
        "/en/members/notifications",
        data={"csrf_token": token, "kind_step_taken": "digest", "kind_work_waiting": "immediately"},
    )
    assert response.status_code == 303
    assert User.objects.get(pk=users["member"].pk).digest_kinds == ["step_taken"]
    page = client.get("/en/members/notifications").get_data(as_text=True)
    assert '<option value="digest" selected>' in page and "were saved" in page

    refused = client.post("/en/members/notifications", data={"csrf_token": token, "kind_circular": "digest"})
    assert refused.status_code == 422 and "always sent at once" in refused.get_data(as_text=True)
    assert client.post("/en/members/notifications", data={"kind_step_taken": "immediately"}).status_code == 400
    assert User.objects.get(pk=users["member"].pk).digest_kinds == ["step_taken"]


def test_staff_choose_from_the_admins_navbar(app, users):
    client = logged_in(app, users["reviewer"])
    start = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/notifications/"' in start
    page = client.get("/admin/notifications/").get_data(as_text=True)
    response = client.post(
        "/admin/notifications/", data={"csrf_token": csrf_token_from(page), "kind_work_waiting": "digest"}
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/notifications/")
    assert User.objects.get(pk=users["reviewer"].pk).digest_kinds == ["work_waiting"]


def test_the_settings_need_a_login(client):
    for url in ("/en/members/notifications", "/admin/notifications/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
