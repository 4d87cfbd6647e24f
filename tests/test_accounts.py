"""Accounts through the admin and the API: admins only, the password policy, roles a granter holds, one set of rules."""

import pytest

from content_types import User
from tests.conftest import PASSWORD


def _user_form(browser, client, **fields):
    token = browser.form_token("/admin/users/new/")
    return client.post("/admin/users/new/", data={"csrf_token": token, "active": "y", **fields})


def test_admin_creates_a_member_account(browser, users, client, city):
    browser.login(users["admin"].email)
    response = _user_form(
        browser,
        client,
        email="neu@test.example",
        name="Neu",
        role_names=["member"],
        city=str(city("Jiangmen").pk),
        language="zh",
        new_password=PASSWORD,
    )
    assert response.status_code == 302
    created = User.objects.get(email="neu@test.example")
    assert created.roles == ["member"] and created.city.name_de == "Jiangmen" and created.check_password(PASSWORD)
    assert created.language == "zh"
    _user_form(browser, client, email="egal@test.example", role_names=["editor"], language="", new_password=PASSWORD)
    assert User.objects.get(email="egal@test.example").language is None  # from the browser


def test_admin_refuses_weak_passwords(browser, users, client):
    browser.login(users["admin"].email)
    response = _user_form(
        browser, client, email="schwach@test.example", role_names=["editor"], new_password="password1"
    )
    assert "too easy to guess" in response.get_data(as_text=True) or "at least" in response.get_data(as_text=True)
    assert User.objects(email="schwach@test.example").count() == 0


def test_admin_deactivation_ends_sessions(app, browser, users, client):
    other = app.test_client()
    from tests.conftest import Browser

    Browser(other).login(users["editor"].email)
    assert other.get("/admin/").status_code == 200
    browser.login(users["admin"].email)
    url = f"/admin/users/edit/?id={users['editor'].pk}"
    token = browser.form_token(url)
    response = client.post(
        url, data={"csrf_token": token, "email": users["editor"].email, "name": "x", "role_names": ["editor"]}
    )  # "active" unchecked
    assert response.status_code == 302
    assert User.objects.get(pk=users["editor"].pk).active is False
    assert other.get("/admin/").status_code == 302


def test_admin_creates_lists_and_deactivates_users(api, users, client, city):
    admin = users["admin"]
    created = api.call(
        "POST",
        "/api/v1/users",
        admin,
        json={
            "email": "Vertreter@Test.Example",
            "name": "Vertreter",
            "password": PASSWORD,
            "roles": ["member"],
            "city_id": str(city("Wuppertal").pk),
        },
    )
    assert created.status_code == 201
    body = created.get_json()
    assert body["email"] == "vertreter@test.example" and "password_hash" not in body
    listing = api.call("GET", "/api/v1/users", admin).get_json()
    assert listing["total"] == len(users) + 1
    token = api.token(User.objects.get(email="vertreter@test.example"))
    patched = api.call("PATCH", f"/api/v1/users/{body['id']}", admin, json={"active": False})
    assert patched.status_code == 200 and patched.get_json()["active"] is False
    assert client.get("/api/v1/content", headers={"Authorization": f"Bearer {token}"}).status_code == 401


@pytest.mark.parametrize("role", ["editor", "reviewer", "approver", "member"])
def test_only_admins_manage_users(api, users, role):
    response = api.call(
        "POST", "/api/v1/users", users[role], json={"email": "x@test.example", "password": PASSWORD, "roles": ["admin"]}
    )
    assert response.status_code == 403
    assert api.call("GET", "/api/v1/users", users[role]).status_code == 403
    assert User.objects(email="x@test.example").count() == 0


@pytest.mark.parametrize("password", ["short", "password123", "aaaaaaaaaaaa", "1234567890", "neu@test.example"])
def test_weak_passwords_are_refused(api, users, password):
    response = api.call(
        "POST",
        "/api/v1/users",
        users["admin"],
        json={"email": "neu@test.example", "password": password, "roles": ["editor"]},
    )
    assert response.status_code == 422 and "password" in response.get_json()["error"]["details"]
    assert User.objects(email="neu@test.example").count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"email": "neu@test.example", "password": PASSWORD, "roles": ["superuser"]},
        {"email": "neu@test.example", "password": PASSWORD, "roles": "admin"},
        {"email": "neu@test.example", "password": PASSWORD, "roles": ["member"]},  # no city
        {"email": "not-an-address", "password": PASSWORD, "roles": ["editor"]},
        {"email": "neu@test.example", "password": PASSWORD, "roles": ["editor"], "is_admin": True},
        {"email": {"$gt": ""}, "password": PASSWORD, "roles": ["editor"]},
    ],
)
def test_bad_user_bodies_are_refused(api, users, body):
    response = api.call("POST", "/api/v1/users", users["admin"], json=body)
    assert response.status_code == 422
    assert User.objects.count() == len(users)


def test_duplicate_email_is_refused(api, users):
    response = api.call(
        "POST",
        "/api/v1/users",
        users["admin"],
        json={"email": users["editor"].email.upper(), "password": PASSWORD, "roles": ["editor"]},
    )
    assert response.status_code == 422 and "email" in response.get_json()["error"]["details"]


def test_granters_only_grant_roles_they_hold():
    from cms.operations.accounts import check_roles
    from content_types.refusals import NotPossible as AccountError

    class Granter:
        is_authenticated = is_active = True
        roles = ["editor"]
        pk = None

    assert check_roles(["editor"], Granter()) == ["editor"]
    with pytest.raises(AccountError):
        check_roles(["admin"], Granter())


@pytest.mark.parametrize(
    "changes",
    [
        {"roles": ["member"]},  # an editor made a member: a member needs a city
        {"city_id": None},  # a member's city taken away
        {"roles": ["superuser"]},
        {"active": "no"},
        {"language": "fr"},
        {"password": "password1"},
        {"email": "member.b@test.example"},  # another account's address
        {"state": "x"},
    ],
)
def test_patching_an_account_follows_the_rules_of_creating_one(api, users, changes):
    target = users["member"] if "city_id" in changes else users["editor"]
    before = User._get_collection().find_one({"_id": target.pk})
    response = api.call("PATCH", f"/api/v1/users/{target.pk}", users["admin"], json=changes)
    assert response.status_code == 422, response.get_json()
    assert User._get_collection().find_one({"_id": target.pk}) == before


def test_an_account_moves_to_a_city_with_its_member_role(api, users, city):
    moved = api.call(
        "PATCH",
        f"/api/v1/users/{users['editor'].pk}",
        users["admin"],
        json={"roles": ["member"], "city_id": str(city("Aachen").pk), "name": "Neu"},
    )
    assert moved.status_code == 200 and moved.get_json()["roles"] == ["member"]
    stored = User.objects.get(pk=users["editor"].pk)
    assert (stored.city.name_de, stored.name) == ("Aachen", "Neu")


def test_an_admin_cannot_remove_their_own_or_the_last_admin_role(api, users, create_user):
    admin = users["admin"]
    for changes in ({"roles": ["editor"]}, {"active": False}):
        refused = api.call("PATCH", f"/api/v1/users/{admin.pk}", admin, json=changes)
        assert refused.status_code == 422 and "roles" in refused.get_json()["error"]["details"]
    assert User.objects.get(pk=admin.pk).roles == ["admin"] and User.objects.get(pk=admin.pk).active
    second = create_user("admin")
    # Another admin may demote this one, but not the last one standing.
    assert api.call("PATCH", f"/api/v1/users/{admin.pk}", second, json={"roles": ["editor"]}).status_code == 200
    last = api.call("PATCH", f"/api/v1/users/{second.pk}", second, json={"active": False})
    assert last.status_code == 422 and User.objects.get(pk=second.pk).active


def test_the_audit_log_names_only_what_changed(api, users):
    from content_types import AuditEntry

    api.call(
        "PATCH",
        f"/api/v1/users/{users['editor'].pk}",
        users["admin"],
        json={"roles": ["reviewer"], "name": "Test editor"},
    )
    entry = AuditEntry.objects(event="account_saved").first()
    assert entry.facts == {"account": users["editor"].email, "fields": ["roles"]}
