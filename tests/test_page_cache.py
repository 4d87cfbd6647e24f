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


def test_logged_in_users_are_never_served_from_the_cache(browser, users, client, create_item):
    force_state(create_item("work_plan", owner=users["editor"], title="Nur für Mitglieder"), "published")
    anonymous = client.get("/en/documents").get_data(as_text=True)
    assert "Nur für Mitglieder" not in anonymous
    browser.login(users["member"].email)
    response = client.get("/en/documents")
    assert "X-Cache" not in response.headers and "Nur für Mitglieder" in response.get_data(as_text=True)
