"""The API answers a repeated GET from the cache, per caller, and never after a write it could show."""

from cms.operations import locks
from content_types import Content
from tests.workflow_helpers import force_state


def test_a_repeated_read_is_answered_from_the_cache_for_that_token_only(api, users, create_item):
    item = force_state(create_item("work_plan", owner=users["editor"], title="Arbeitsplan"), "published")
    path = f"/api/v1/content/{item.pk}"
    first, second = api.call("GET", path, users["member"]), api.call("GET", path, users["member"])
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert second.get_json() == first.get_json()
    # Another caller (what they may do differs) gets their own answer, and an anonymous one a 404.
    other = api.call("GET", path, users["editor"])
    assert other.headers["X-Cache"] == "miss" and "check_out" in other.get_json()["allowed_actions"]
    assert "check_out" not in second.get_json()["allowed_actions"]
    assert api.call("GET", path).status_code == 404


def test_sharing_and_unsharing_show_in_the_members_list_at_once(api, users, create_item):
    draft = create_item("news", owner=users["editor"], title="Geteilter Entwurf")

    def listed():
        return [entry["title"] for entry in api.call("GET", "/api/v1/content", users["member"]).get_json()["items"]]

    assert "Geteilter Entwurf" not in listed()
    share = {"user_id": str(users["member"].pk), "roles": ["editor"]}
    assert api.call("PUT", f"/api/v1/content/{draft.pk}/sharing", users["editor"], json=share).status_code == 200
    assert Content._get_collection().find_one({"_id": draft.pk})["local_role_keys"] == [f"{users['member'].pk}:editor"]
    assert "Geteilter Entwurf" in listed()
    share["roles"] = []
    assert api.call("PUT", f"/api/v1/content/{draft.pk}/sharing", users["editor"], json=share).status_code == 200
    assert "Geteilter Entwurf" not in listed()


def test_an_edit_lock_taken_meanwhile_is_in_the_next_answer(api, users, create_item, app):
    item = create_item("news", owner=users["editor"])
    path = f"/api/v1/content/{item.pk}"
    assert api.call("GET", path, users["editor"]).get_json()["lock"] is None
    with app.test_request_context():
        locks.take_lock(users["admin"], item)
    answer = api.call("GET", path, users["editor"])
    assert answer.headers["X-Cache"] == "miss" and answer.get_json()["lock"]["user"] == users["admin"].email


def test_a_revoked_token_is_refused_even_where_its_answer_was_kept(api, users, create_item):
    item = force_state(create_item("work_plan", owner=users["editor"]), "published")
    path = f"/api/v1/content/{item.pk}"
    assert api.call("GET", path, users["member"]).status_code == 200
    assert api.call("GET", path, users["member"]).headers["X-Cache"] == "hit"
    assert api.call("DELETE", "/api/v1/auth/token", users["member"]).status_code in (200, 204)
    assert api.call("GET", path, users["member"]).status_code == 401


def test_the_health_check_always_asks_the_database(api):
    assert api.call("GET", "/api/v1/health").headers.get("X-Cache") is None
