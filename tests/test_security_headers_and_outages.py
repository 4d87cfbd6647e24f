"""Security headers, error pages and the behaviour when the database is gone."""

import time

import mongoengine as me

from cms import create_app


def test_html_pages_carry_security_headers(client):
    response = client.get("/en/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_admin_pages_carry_the_nonce_their_scripts_use(browser, users, client):
    browser.login(users["editor"].email)
    response = client.get("/admin/content_news/")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.get_data(as_text=True)


def test_unknown_pages_are_a_plain_404(client):
    response = client.get("/nothing/here")
    assert response.status_code == 404 and "Traceback" not in response.get_data(as_text=True)


def test_a_long_accept_language_falls_back_to_the_default(client):
    response = client.get("/", headers={"Accept-Language": "de," * 5000})
    assert response.status_code == 302 and response.headers["Location"] == "/en/"
    page = client.get("/login", headers={"Accept-Language": "de," * 5000})
    assert page.status_code == 200 and '<html lang="en">' in page.get_data(as_text=True)


def test_accept_language_picks_a_supported_language(client):
    response = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert response.headers["Location"] == "/zh/"
    page = client.get("/zh/").get_data(as_text=True)
    assert '<html lang="zh">' in page and "佛山" in page


def test_database_down_is_a_503_without_details(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k" * 32,
            "CMS_DATA_DIR": str(tmp_path),
            # Nothing listens on port 9 (discard) of the loopback here.
            "CMS_MONGODB_URI": "mongodb://127.0.0.1:9/down?serverSelectionTimeoutMS=300",
        }
    )
    try:
        client = app.test_client()
        api = client.get("/api/v1/content")
        assert api.status_code == 503 and api.get_json()["error"]["code"] == "database_unavailable"
        page = client.get("/en/")
        assert page.status_code == 503
        assert "Traceback" not in page.get_data(as_text=True) and "127.0.0.1" not in page.get_data(as_text=True)
        # Callers the locale is chosen for from the database (a token's user, a session's user) as well:
        # the error page must not ask the database again.
        started = time.monotonic()
        with_token = client.get("/api/v1/content", headers={"Authorization": "Bearer " + "x" * 43})
        assert with_token.status_code == 503 and with_token.get_json()["error"]["code"] == "database_unavailable"
        with client.session_transaction() as session:
            session["_user_id"] = "a-session-key"  # a logged-in browser: its user is loaded from the database
        for path in ("/en/", "/en/members", "/admin/"):
            assert client.get(path).status_code == 503, path
        assert time.monotonic() - started < 5  # each within the configured timeout, not several times over
    finally:
        me.disconnect()


def test_a_huge_query_is_not_echoed_into_a_redirect(client):
    response = client.get("/?lang=" + "x" * 10_000)
    assert response.status_code == 302 and len(response.headers["Location"]) < 100
    assert client.get("/news?page=2").headers["Location"] == "/en/news?page=2"
