"""Anonymous public pages come from the cache until content changes; nobody sees stale or private pages."""

from tests.workflow_helpers import force_state
from workflows import engine


def test_a_repeated_anonymous_request_is_a_cache_hit(client, users, create_item):
    force_state(create_item("news", owner=users["editor"], title="Erste Nachricht", public=True), "published")
    first = client.get("/en/news")
    second = client.get("/en/news")
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert second.get_data() == first.get_data() and "Erste Nachricht" in second.get_data(as_text=True)


def test_a_transition_invalidates_at_once(client, users, create_item):
    news = force_state(create_item("news", owner=users["editor"], title="Bald öffentlich", public=True), "in_review")
    assert "Bald öffentlich" not in client.get("/en/news").get_data(as_text=True)
    engine.fire(users["reviewer"], news, "publish")
    response = client.get("/en/news")
    assert response.headers["X-Cache"] == "miss" and "Bald öffentlich" in response.get_data(as_text=True)


def test_a_saved_change_invalidates(client, users, create_item):
    news = force_state(create_item("news", owner=users["editor"], title="Alter Titel", public=True), "published")
    client.get("/en/news")
    news.title = "Neuer Titel"
    news.save()
    assert "Neuer Titel" in client.get("/en/news").get_data(as_text=True)


def test_another_workers_change_is_seen_after_the_check_interval(app, client, users, create_item, monkeypatch):
    import mongoengine as me

    monkeypatch.setitem(app.config, "CMS_PAGE_CACHE_CHECK_SECONDS", 0)
    client.get("/en/")
    assert client.get("/en/").headers["X-Cache"] == "hit"
    # What another worker's invalidate() writes:
    me.connection.get_db().cache_generations.update_one({"_id": "public_pages"}, {"$inc": {"value": 1}}, upsert=True)
    assert client.get("/en/").headers["X-Cache"] == "miss"


def test_a_logged_in_reader_gets_their_own_cached_page_never_the_anonymous_one(browser, users, client, create_item):
    force_state(create_item("work_plan", owner=users["editor"], title="Nur für Mitglieder"), "published")
    anonymous = client.get("/en/documents")
    assert anonymous.headers["X-Cache"] == "miss" and "Nur für Mitglieder" not in anonymous.get_data(as_text=True)
    browser.login(users["member"].email)
    first, second = client.get("/en/documents"), client.get("/en/documents")
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert "Nur für Mitglieder" in second.get_data(as_text=True)
    # The anonymous copy is untouched by it, and the member's is theirs alone.
    assert "Nur für Mitglieder" not in client.application.test_client().get("/en/documents").get_data(as_text=True)


def test_another_session_of_the_same_account_does_not_get_the_first_session_s_page(app, users):
    from tests.conftest import logged_in

    first, second = logged_in(app, users["member"]), logged_in(app, users["member"])
    assert first.get("/en/documents").headers["X-Cache"] == "miss"
    page = second.get("/en/documents")
    assert page.headers["X-Cache"] == "miss"  # its own forms carry its own CSRF token


def test_a_member_whose_city_is_excluded_loses_the_cached_page_at_once(browser, users, client, create_item):
    from content_types import MemberCity

    item = force_state(create_item("work_plan", owner=users["editor"], title="Nur für Mitglieder"), "published")
    browser.login(users["member"].email)
    assert client.get(f"/en/documents/{item.pk}").status_code == 200
    assert client.get(f"/en/documents/{item.pk}").headers["X-Cache"] == "hit"
    assert MemberCity.change_status(MemberCity.objects.get(name_de="Foshan").pk, "member", "excluded")
    assert client.get(f"/en/documents/{item.pk}").status_code == 404


def test_a_page_showing_a_message_is_never_cached(browser, users, client):
    browser.login(users["member"].email)
    browser.logout()  # "You have been logged out." waits in the session for the next page
    page = client.get("/en/")
    assert "X-Cache" not in page.headers and "logged out" in page.get_data(as_text=True)
