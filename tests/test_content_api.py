"""The JSON API's content core: contract shapes, permissions, and every kind of bad input."""

import pytest

from content_types import Content
from tests.workflow_helpers import force_state

BASE = "/api/v1/content"


def _error(response):
    body = response.get_json()
    assert body is not None, response.get_data(as_text=True)[:200]
    return body["error"]


def test_health_says_which_database(client):
    body = client.get("/api/v1/health").get_json()
    assert body["status"] == "ok" and body["database"] == "mongodb" and body["version"]


def test_token_login_and_revocation(api, users, client):
    token = api.token(users["editor"])
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post(BASE, json={"type": "news", "title": "Hallo"}, headers=headers).status_code == 201
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get(BASE, headers=headers).status_code == 401


def test_token_login_refuses_unknown_and_wrong_alike(client, users):
    unknown = client.post("/api/v1/auth/token", json={"email": "nobody@test.example", "password": "x" * 12})
    wrong = client.post("/api/v1/auth/token", json={"email": users["editor"].email, "password": "x" * 12})
    assert unknown.status_code == wrong.status_code == 401
    assert _error(unknown)["message"] == _error(wrong)["message"]


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": {"$gt": ""}, "password": {"$ne": None}},
        {"email": "editor0@test.example", "password": {"$ne": None}},
        {"email": ["a"], "password": "b"},
    ],
)
def test_operator_credentials_never_log_in(client, users, credentials):
    response = client.post("/api/v1/auth/token", json=credentials)
    assert response.status_code in (401, 422)
    assert "token" not in (response.get_json() or {})


def test_a_garbage_token_is_401(client):
    response = client.get(BASE, headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401 and _error(response)["code"] == "invalid_token"


def test_create_read_update_delete(api, users):
    editor = users["editor"]
    created = api.call(
        "POST",
        BASE,
        editor,
        json={
            "type": "work_plan",
            "title": "Arbeitsplan 2027",
            "language": "de",
            "year": 2027,
            "topics": ["Wasserstoff"],
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
        },
    )
    assert created.status_code == 201
    item = created.get_json()
    for key in (
        "id",
        "type",
        "title",
        "language",
        "state",
        "revision",
        "owner",
        "created",
        "modified",
        "translation_group",
        "translations",
        "allowed_transitions",
    ):
        assert key in item
    assert (item["state"], item["revision"], item["owner"]) == ("draft", 1, str(editor.pk))
    assert item["created"].endswith("Z") and item["translations"] == {"de": item["id"]}
    url = f"{BASE}/{item['id']}"
    assert api.call("GET", url, editor).get_json()["topics"] == ["Wasserstoff"]
    patched = api.call("PATCH", url, editor, json={"revision": 1, "title": "Arbeitsplan 2027 (Entwurf)"})
    assert patched.status_code == 200 and patched.get_json()["revision"] == 2
    assert api.call("DELETE", url, editor).status_code == 204
    assert api.call("GET", url, editor).status_code == 404


def test_a_member_cannot_see_a_draft(api, users, create_item):
    draft = create_item("work_plan", owner=users["editor"], title="Geheimer Entwurf")
    assert api.call("GET", f"{BASE}/{draft.pk}", users["member"]).status_code == 404
    assert api.call("GET", f"{BASE}/{draft.pk}").status_code == 404
    listing = api.call("GET", BASE, users["member"], query_string={"q": "Geheim"}).get_json()
    assert listing["total"] == 0 and listing["items"] == []
    assert api.call("GET", BASE, users["reviewer"], query_string={"q": "Geheim"}).get_json()["total"] == 1


def test_roles_that_may_view_but_not_edit_get_403(api, users, create_item):
    draft = create_item("work_plan", owner=users["editor"])
    response = api.call("PATCH", f"{BASE}/{draft.pk}", users["reviewer"], json={"revision": 1, "title": "x"})
    assert response.status_code == 403
    assert api.call("DELETE", f"{BASE}/{draft.pk}", users["approver"]).status_code == 403
    assert Content.objects.get(pk=draft.pk).title == "A work_plan"


def test_only_editors_create(api, users):
    for role in ("reviewer", "approver", "member"):
        response = api.call("POST", BASE, users[role], json={"type": "news", "title": "x"})
        assert response.status_code == 403, role
    assert api.call("POST", BASE, json={"type": "news", "title": "x"}).status_code == 401


def test_a_stale_revision_is_409_and_writes_nothing(api, users, create_item):
    item = create_item("news", owner=users["editor"], title="Erste")
    url = f"{BASE}/{item.pk}"
    assert api.call("PATCH", url, users["editor"], json={"revision": 1, "title": "Zweite"}).status_code == 200
    stale = api.call("PATCH", url, users["editor"], json={"revision": 1, "title": "Dritte"})
    assert stale.status_code == 409 and _error(stale)["code"] == "stale_revision"
    stored = Content.objects.get(pk=item.pk)
    assert (stored.title, stored.revision) == ("Zweite", 2)


@pytest.mark.parametrize(
    "field, value",
    [
        ("state", "published"),
        ("owner", "000000000000000000000000"),
        ("history", []),
        ("created", "2020-01-01T00:00:00Z"),
        ("translation_group", "x"),
        ("approved_by", "someone"),
        ("meeting_id", "000000000000000000000000"),
        ("local_roles", []),
        ("number", "2026/99"),
    ],
)
def test_read_only_fields_are_422_and_change_nothing(api, users, create_item, field, value):
    item = create_item("circular", owner=users["editor"], title="Rundschreiben")
    response = api.call(
        "PATCH", f"{BASE}/{item.pk}", users["editor"], json={"revision": 1, "title": "geändert", field: value}
    )
    assert response.status_code == 422
    assert field in _error(response)["details"]
    stored = Content.objects.get(pk=item.pk)
    assert (stored.title, stored.state, stored.revision) == ("Rundschreiben", "draft", 1)


def test_state_cannot_be_chosen_at_creation(api, users):
    response = api.call("POST", BASE, users["editor"], json={"type": "news", "title": "x", "state": "published"})
    assert response.status_code == 422 and Content.objects.count() == 0


def test_patch_needs_the_revision(api, users, create_item):
    item = create_item("news", owner=users["editor"])
    for body in ({"title": "x"}, {"title": "x", "revision": "1"}, {"title": "x", "revision": True}):
        response = api.call("PATCH", f"{BASE}/{item.pk}", users["editor"], json=body)
        assert response.status_code == 422 and _error(response)["code"] == "revision_required"


@pytest.mark.parametrize(
    "body, code",
    [
        ({"type": "news"}, 422),  # missing title
        ({"type": "news", "title": ""}, 422),
        ({"type": "news", "title": "x" * 10_000}, 422),
        ({"type": "news", "title": 5}, 422),
        ({"type": "news", "title": {"$gt": ""}}, 422),
        ({"type": "news", "title": "x", "$where": "sleep(1000)"}, 422),
        ({"type": "news", "title": "x", "colour": "blue"}, 422),
        ({"type": "news", "title": "x", "language": "fr"}, 422),
        ({"type": "work_plan", "title": "x", "year": "2027"}, 422),
        ({"type": "work_plan", "title": "x", "year": True}, 422),
        ({"type": "work_plan", "title": "x", "year": 2027, "topics": "Wasserstoff"}, 422),
        ({"type": "work_plan", "title": "x", "year": 2027, "period_start": "01.01.2027"}, 422),
        ({"type": "meeting", "title": "x", "year": 2026, "half": 2, "host_city": "abc"}, 422),
        ({"type": "spaceship", "title": "x"}, 422),
        ({"title": "x"}, 422),
    ],
)
def test_bad_bodies_get_a_clear_error_and_change_nothing(api, users, body, code):
    response = api.call("POST", BASE, users["editor"], json=body)
    assert response.status_code == code
    error = _error(response)
    assert error["code"] and error["message"]
    assert Content.objects.count() == 0


def test_malformed_json_is_400(api, users):
    response = api.call("POST", BASE, users["editor"], data="{not json", content_type="application/json")
    assert response.status_code == 400 and _error(response)["code"] == "malformed_json"
    response = api.call("POST", BASE, users["editor"], data="[1, 2]", content_type="application/json")
    assert response.status_code == 400


def test_non_json_is_415(api, users):
    response = api.call("POST", BASE, users["editor"], data="title=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


@pytest.mark.parametrize(
    "query",
    [
        "title[$ne]=x",
        "state[$ne]=x",
        "title[$gt]=",
        "$where=1",
        "type=spaceship",
        "language=fr",
        "per_page=1000",
        "per_page=0",
        "page=-1",
        "page=abc",
        "year=20x7",
        "state=a&state=b",
        "q=" + "x" * 300,
        "sort=password_hash",
    ],
)
def test_bad_query_strings_are_400(api, users, create_item, query):
    create_item("news", owner=users["editor"])
    response = api.call("GET", f"{BASE}?{query}", users["editor"])
    assert response.status_code == 400, query
    assert _error(response)["code"] == "invalid_parameter"


@pytest.mark.parametrize("search", ["(a+)+$", "." * 150, "\\", "[", "*", "Entw.rf"])
def test_search_text_is_matched_literally(api, users, create_item, search):
    create_item("news", owner=users["editor"], title="Entwurf")
    response = api.call("GET", BASE, users["editor"], query_string={"q": search})
    assert response.status_code == 200 and response.get_json()["total"] == 0


def test_search_finds_chinese_and_german_titles(api, users, create_item):
    create_item("news", owner=users["editor"], title="佛山工业城市联盟会议")
    create_item("news", owner=users["editor"], title="Städteallianz Treffen")
    editor = users["editor"]
    assert api.call("GET", BASE, editor, query_string={"q": "工业"}).get_json()["total"] == 1
    assert api.call("GET", BASE, editor, query_string={"q": "städte"}).get_json()["total"] == 1


def test_filters_and_pagination(api, users, create_item):
    for year in (2026, 2027, 2027):
        create_item("work_plan", owner=users["editor"], year=year, language="zh" if year == 2026 else "de")
    create_item("news", owner=users["editor"])
    editor = users["editor"]
    assert api.call("GET", BASE, editor, query_string={"type": "work_plan", "year": "2027"}).get_json()["total"] == 2
    assert api.call("GET", BASE, editor, query_string={"language": "zh"}).get_json()["total"] == 1
    assert api.call("GET", BASE, editor, query_string={"state": "draft"}).get_json()["total"] == 4
    page = api.call("GET", BASE, editor, query_string={"per_page": "3", "page": "2"}).get_json()
    assert (page["total"], page["page"], page["per_page"], len(page["items"])) == (4, 2, 3, 1)


@pytest.mark.parametrize("item_id", ["abc", "0" * 25, "zzzzzzzzzzzzzzzzzzzzzzzz", "000000000000000000000000"])
def test_malformed_and_unknown_ids_are_404(api, users, item_id):
    response = api.call("GET", f"{BASE}/{item_id}", users["editor"])
    assert response.status_code == 404 and _error(response)["code"] == "not_found"


@pytest.mark.parametrize("method", ["PUT", "TRACE"])
def test_unsupported_methods_are_405_in_json(api, users, create_item, method):
    item = create_item("news", owner=users["editor"])
    response = api.call(method, f"{BASE}/{item.pk}", users["editor"])
    assert response.status_code == 405 and _error(response)["code"] == "method_not_allowed"


def test_unknown_api_routes_are_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.is_json


def test_templates_in_titles_stay_literal(api, users):
    created = api.call("POST", BASE, users["editor"], json={"type": "news", "title": "{{7*7}} <b>fett</b>"})
    assert created.get_json()["title"] == "{{7*7}} <b>fett</b>"


def test_types_describe_fields_and_workflows(client):
    types = {entry["type"]: entry for entry in client.get("/api/v1/types").get_json()["items"]}
    assert {"work_plan", "mou", "declaration", "concept", "circular", "news", "meeting"} <= set(types)
    assert types["work_plan"]["fields"]["year"]["type"] == "integer"
    assert "state" not in types["work_plan"]["fields"] and "revision" not in types["work_plan"]["fields"]
    assert types["meeting"]["fields"]["half"]["enum"] == [1, 2]


def test_openapi_describes_the_routes_that_exist(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    for path, method in [
        ("/api/v1/content", "get"),
        ("/api/v1/content", "post"),
        ("/api/v1/content/{item_id}", "patch"),
        ("/api/v1/auth/token", "post"),
        ("/api/v1/cities", "get"),
        ("/api/v1/health", "get"),
    ]:
        assert method in paths[path], (path, method)
    assert "content_work_plan" in document["components"]["schemas"]


def test_cities_with_names_in_three_languages(api, users, client):
    cities = client.get("/api/v1/cities", query_string={"country": "CN"}).get_json()["items"]
    foshan = next(city for city in cities if city["names"]["de"] == "Foshan")
    assert foshan["names"]["zh"] == "佛山" and foshan["initiator"] is True and foshan["status"] == "member"
    assert len(cities) == 11 and "contacts" not in foshan
    requested = client.get("/api/v1/cities", query_string={"status": "requested"}).get_json()["items"]
    assert {city["names"]["de"] for city in requested} == {
        "Dortmund",
        "Ingolstadt",
        "Kassel",
        "Wolfsburg",
        "Bonn",
        "Magdeburg",
        "Duisburg",
        "Mannheim",
    }
    as_member = api.call("GET", "/api/v1/cities", users["member"]).get_json()["items"]
    assert "contacts" in as_member[0]
    assert client.get("/api/v1/cities", query_string={"country": "FR"}).status_code == 400


def test_allowed_actions_are_what_the_operations_allow(api, users, create_item):
    """The API's allowed_actions ask each operation's predicate; doing an action not listed is refused."""
    draft = create_item("work_plan", owner=users["editor"])
    published = force_state(create_item("work_plan", owner=users["editor"]), "published")

    def allowed(user, item):
        return set(api.call("GET", f"/api/v1/content/{item.pk}", user).get_json()["allowed_actions"])

    assert allowed(users["editor"], draft) == {"edit", "delete", "share", "attach", "translate", "lock"}
    assert allowed(users["reviewer"], draft) == set()
    assert allowed(users["editor"], published) == {"check_out", "schedule", "translate"}
    assert allowed(users["member"], published) == set()
    api.call("POST", f"/api/v1/content/{draft.pk}/lock", users["editor"])
    assert "steal_lock" in allowed(users["admin"], draft) and "lock" not in allowed(users["admin"], draft)
    assert "steal_lock" not in allowed(users["editor"], draft)
    for action, call in (
        ("edit", ("PATCH", f"/api/v1/content/{published.pk}", {"json": {"revision": 1, "title": "x"}})),
        ("delete", ("DELETE", f"/api/v1/content/{published.pk}", {})),
        ("check_out", ("POST", f"/api/v1/content/{draft.pk}/working-copy", {})),
    ):
        method, path, kwargs = call
        assert api.call(method, path, users["editor"], **kwargs).status_code in (403, 422), action
