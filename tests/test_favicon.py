"""The site's icon: at /favicon.ico, where browsers look for it, and linked from public and admin pages."""

from tests.conftest import logged_in


def test_the_icon_is_served_as_an_image(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200 and response.mimetype == "image/x-icon"
        assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header, not an HTML error page
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "max-age=" in response.headers["Cache-Control"]
    with client.get("/static/favicon.svg") as svg:
        assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data


def test_public_and_admin_pages_link_it(app, client, users):
    assert '<link rel="icon" href="/favicon.ico"' in client.get("/de/").get_data(as_text=True)
    admin = logged_in(app, users["editor"]).get("/admin/").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico"' in admin and 'href="/static/favicon.svg"' in admin


def test_a_browser_that_has_the_icon_gets_a_304(client):
    etag = client.get("/favicon.ico").headers["ETag"]
    assert client.get("/favicon.ico", headers={"If-None-Match": etag}).status_code == 304
