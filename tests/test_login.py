"""Logging in and out: CSRF, same answer for unknown and wrong, throttling, sessions that really end."""

import pytest

from cms.database import uri_for_database
from cms.operations.accounts import update_account
from content_types import LoginSession, User
from tests.conftest import PASSWORD, Browser, csrf_token_from


def _logged_in(client) -> bool:
    return "Log out" in client.get("/en/").get_data(as_text=True)


def test_login_and_logout(browser, users, client):
    response = browser.login(users["member"].email)
    assert response.status_code == 302 and response.headers["Location"] == "/en/"
    assert _logged_in(client)
    browser.logout()
    assert not _logged_in(client)


def test_unknown_email_and_wrong_password_get_the_same_answer(browser, users):
    unknown = browser.login("nobody@test.example", PASSWORD)
    wrong = browser.login(users["editor"].email, "Falsches-Passwort-123")
    assert unknown.status_code == wrong.status_code == 401
    message = "Wrong e-mail address or password."
    assert message in unknown.get_data(as_text=True) and message in wrong.get_data(as_text=True)


def _login_from(app, address, email, password=PASSWORD):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return Browser(client).login(email, password), client


def test_repeated_failures_slow_down_the_guesser_not_the_owner(app, users):
    email = users["editor"].email
    for _ in range(3):  # CMS_LOGIN_MAX_FAILURES is 3 in the tests
        assert _login_from(app, "203.0.113.7", email, "Falsches-Passwort-123")[0].status_code == 401
    locked, client = _login_from(app, "203.0.113.7", email)
    assert locked.status_code == 401 and "Too many failed logins" in locked.get_data(as_text=True)
    assert not _logged_in(client)
    # The owner, from their own address, is not locked out by someone else's guessing.
    owner, client = _login_from(app, "198.51.100.20", email)
    assert owner.status_code == 302 and _logged_in(client)


def test_each_further_failure_doubles_the_wait(app, users):
    from content_types import LoginFailures
    from content_types.base import utcnow

    email = users["editor"].email
    waits = []
    for _ in range(5):
        _login_from(app, "203.0.113.7", email, "Falsches-Passwort-123")
        record = LoginFailures.objects.get(key=f"account:{email}|203.0.113.7")
        if record.locked_until:
            waits.append(round((record.locked_until - utcnow()).total_seconds()))
            record.update(unset__locked_until=True)  # let the next guess through, as time would
    assert waits[0] in (9, 10) and waits[1] in (19, 20) and waits[2] in (39, 40)


def test_one_address_guessing_many_accounts_is_slowed_down_too(app):
    for number in range(30):  # ten times the limit, spread over accounts
        _login_from(app, "203.0.113.9", f"ghost{number}@test.example", "Falsches-Passwort-123")
    refused, _client = _login_from(app, "203.0.113.9", "someone-else@test.example", "x" * 12)
    assert "Too many failed logins" in refused.get_data(as_text=True)


def test_unknown_accounts_lock_the_same_way(app):
    for _ in range(3):
        _login_from(app, "203.0.113.8", "ghost@test.example", "Falsches-Passwort-123")
    refused, _client = _login_from(app, "203.0.113.8", "ghost@test.example", "x" * 12)
    assert "Too many failed logins" in refused.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, users):
    response = client.post("/login", data={"email": users["editor"].email, "password": PASSWORD})
    assert response.status_code == 400
    assert not _logged_in(client)


def test_login_with_a_foreign_csrf_token_is_refused(app, client, users):
    other = app.test_client()
    foreign = csrf_token_from(other.get("/login").get_data(as_text=True))
    client.get("/login")
    response = client.post("/login", data={"email": users["editor"].email, "password": PASSWORD, "csrf_token": foreign})
    assert response.status_code == 400


def test_logout_by_get_is_not_possible(browser, users, client):
    browser.login(users["editor"].email)
    assert client.get("/logout").status_code == 405
    assert _logged_in(client)


def test_logout_without_csrf_token_does_nothing(browser, users, client):
    browser.login(users["editor"].email)
    client.post("/logout", data={})
    assert _logged_in(client)


def test_session_cookie_flags(browser, users, client):
    response = browser.login(users["editor"].email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_secure_when_configured(mongo_server_uri, tmp_path):
    from cms import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k" * 32,
            "CMS_SECURE_COOKIES": True,
            "CMS_MONGODB_URI": uri_for_database(mongo_server_uri, "secure_cookie_test"),
            "CMS_DATA_DIR": str(tmp_path),
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_a_replayed_cookie_after_logout_is_refused(app, browser, users, client):
    browser.login(users["editor"].email)
    cookie = client.get_cookie("alliance_session").value
    browser.logout()
    replay = app.test_client()
    replay.set_cookie("alliance_session", cookie)
    assert not _logged_in(replay)
    assert replay.get("/admin/").status_code == 302


def test_login_starts_a_new_session(app, browser, users, client):
    browser.login(users["editor"].email)
    first = client.get_cookie("alliance_session").value
    browser.logout()
    browser.login(users["editor"].email)
    assert client.get_cookie("alliance_session").value != first
    assert LoginSession.objects(user=users["editor"]).count() == 1


def test_deactivation_ends_the_session(browser, users, client):
    browser.login(users["editor"].email)
    assert client.get("/admin/").status_code == 200
    update_account(users["admin"], User.objects.get(pk=users["editor"].pk), {"active": False})
    assert client.get("/admin/").status_code == 302


def test_a_changed_role_applies_on_the_next_request(browser, users, client):
    browser.login(users["reviewer"].email)
    assert client.get("/admin/users/").status_code == 403
    update_account(users["admin"], User.objects.get(pk=users["reviewer"].pk), {"roles": ["admin"]})
    assert client.get("/admin/users/").status_code == 200


def test_a_session_is_looked_up_once_until_something_changes(browser, users, client, app):
    # Who is calling is remembered (cms.principals), and forgotten after any write that changes an account,
    # even one made with the driver directly (cms.change_watch sees it)...
    browser.login(users["reviewer"].email)
    assert client.get("/admin/users/").status_code == 403
    User._get_collection().update_one({"_id": users["reviewer"].pk}, {"$set": {"roles": ["admin"]}})
    assert client.get("/admin/users/").status_code == 200
    # ...but a write that changed nothing (a compare-and-set that missed) keeps what is remembered.
    before = app.extensions["page_cache"].epoch
    User._get_collection().update_one({"_id": users["reviewer"].pk, "roles": ["nobody"]}, {"$set": {"roles": []}})
    assert app.extensions["page_cache"].epoch == before
    assert client.get("/admin/users/").status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "//evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "/\\evil.example",
        "http:/evil.example",
    ],
)
def test_next_never_leaves_the_site(client, users, target):
    page = client.get("/login", query_string={"next": target}).get_data(as_text=True)
    token = csrf_token_from(page)
    response = client.post(
        "/login", data={"email": users["editor"].email, "password": PASSWORD, "csrf_token": token, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"  # the editor's own start page, not the target


def test_next_inside_the_site_is_followed(client, users):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": users["editor"].email, "password": PASSWORD, "csrf_token": token, "next": "/admin/"}
    )
    assert response.headers["Location"] == "/admin/"


def test_passwords_are_stored_as_argon2_hashes(users):
    stored = User.objects.get(pk=users["editor"].pk).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_no_password_in_the_log(browser, users, caplog):
    browser.login(users["editor"].email, "Falsches-Passwort-123")
    browser.login(users["editor"].email)
    assert PASSWORD not in caplog.text and "Falsches-Passwort-123" not in caplog.text


def test_logging_in_lands_on_the_home_page_in_the_user_s_language(browser, users):
    users["member"].update(set__language="zh")
    assert browser.login(users["member"].email).headers["Location"] == "/zh/"
    browser.logout()
    assert browser.login(users["member_b"].email).headers["Location"] == "/en/"  # no setting: the browser's


def test_staff_start_at_their_dashboard(browser, users):
    assert browser.login(users["reviewer"].email).headers["Location"] == "/admin/"


def test_the_admin_names_who_is_logged_in_and_logs_out(client, browser, users):
    browser.login(users["editor"].email)
    page = client.get("/admin/").get_data(as_text=True)
    assert "Logged in as Test editor" in page
    logout = page[page.index('action="/logout"') :]
    token = csrf_token_from(logout)
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/admin/").status_code == 302  # back to the login page
