"""User administration through the API: admins only, the password policy, roles a granter holds."""

import pytest

from content_types import User
from tests.conftest import PASSWORD


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
