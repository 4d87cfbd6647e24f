"""Revisions: a snapshot per save, readable diffs, restore as a new revision, stale saves still refused."""

from content_types import Content, Revision

BASE = "/api/v1/content"


def _create(api, user, **fields):
    body = {"type": "work_plan", "title": "Arbeitsplan 2027", "year": 2027, "body": "<p>Erster Absatz</p>", **fields}
    return api.call("POST", BASE, user, json=body).get_json()


def test_each_save_keeps_a_revision_with_a_summary(api, users):
    editor = users["editor"]
    item = _create(api, editor)
    api.call("PATCH", f"{BASE}/{item['id']}", editor, json={"revision": 1, "title": "Arbeitsplan 2027 (Entwurf)"})
    api.call(
        "PATCH",
        f"{BASE}/{item['id']}",
        editor,
        json={"revision": 2, "body": "<p>Erster Absatz</p><p>Zweiter Absatz</p>", "topics": ["Wasserstoff"]},
    )
    listed = api.call("GET", f"{BASE}/{item['id']}/revisions", editor).get_json()
    assert [r["revision"] for r in listed] == [1, 2, 3]
    assert listed[0]["summary"] == "First revision" and listed[1]["summary"] == "Changed: Title"
    assert listed[2]["summary"] == "Changed: Text, Topics" and listed[2]["actor"] == editor.email
    assert listed[2]["changed"] == ["body", "topics"]  # the facts; the words follow the reader's language
    in_chinese = api.call("GET", f"/api/v1/content/{item['id']}/revisions", editor, headers={"Accept-Language": "zh"})
    assert [entry["summary"] for entry in in_chinese.get_json()][:2] == ["初始版本", "已修改：标题"]
    first = api.call("GET", f"{BASE}/{item['id']}/revisions/1", editor).get_json()
    assert first["fields"]["title"] == "Arbeitsplan 2027" and first["fields"]["year"] == 2027


def test_diff_is_field_by_field_with_readable_text(api, users):
    editor = users["editor"]
    item = _create(api, editor)
    api.call(
        "PATCH",
        f"{BASE}/{item['id']}",
        editor,
        json={"revision": 1, "title": "Neu", "body": "<p>Erster Absatz</p><p>Zweiter Absatz</p>"},
    )
    diff = api.call("GET", f"{BASE}/{item['id']}/revisions/1/diff/2", editor).get_json()
    assert set(diff["fields"]) == {"title", "body"}
    assert diff["fields"]["title"]["from"] == "Arbeitsplan 2027" and diff["fields"]["title"]["to"] == "Neu"
    assert "+Zweiter Absatz" in diff["fields"]["body"]["diff"]
    assert not any("<p>" in line for line in diff["fields"]["body"]["diff"])


def test_restore_makes_a_new_revision_equal_to_the_old(api, users):
    editor = users["editor"]
    item = _create(api, editor, topics=["Industrie 4.0"])
    api.call("PATCH", f"{BASE}/{item['id']}", editor, json={"revision": 1, "title": "Verändert", "topics": []})
    restored = api.call("POST", f"{BASE}/{item['id']}/revisions/1/restore", editor)
    assert restored.status_code == 201
    body = restored.get_json()
    assert (body["revision"], body["title"], body["topics"]) == (3, "Arbeitsplan 2027", ["Industrie 4.0"])
    assert api.call("GET", f"{BASE}/{item['id']}/revisions/1/diff/3", editor).get_json()["fields"] == {}
    assert Revision.objects(item=Content.objects.get(pk=item["id"]).pk).count() == 3


def test_revisions_are_404_for_those_who_cannot_see_the_item(api, users):
    item = _create(api, users["editor"])
    for path in ("revisions", "revisions/1", "revisions/1/diff/1"):
        assert api.call("GET", f"{BASE}/{item['id']}/{path}", users["member"]).status_code == 404
        assert api.call("GET", f"{BASE}/{item['id']}/{path}").status_code == 404


def test_restore_needs_modify_and_an_existing_revision(api, users):
    item = _create(api, users["editor"])
    assert api.call("POST", f"{BASE}/{item['id']}/revisions/1/restore", users["reviewer"]).status_code == 403
    assert api.call("POST", f"{BASE}/{item['id']}/revisions/9/restore", users["editor"]).status_code == 404
    assert api.call("GET", f"{BASE}/{item['id']}/revisions/abc", users["editor"]).status_code == 404


def test_a_missing_snapshot_is_rebuilt_from_the_item(api, users, create_item):
    """An item saved without its snapshot (a crash between the two writes) still lists its revision."""
    item = create_item("news", owner=users["editor"], title="Ohne Schnappschuss")
    listed = api.call("GET", f"{BASE}/{item.pk}/revisions", users["editor"]).get_json()
    assert [r["revision"] for r in listed] == [1]
    fields = api.call("GET", f"{BASE}/{item.pk}/revisions/1", users["editor"]).get_json()["fields"]
    assert fields["title"] == "Ohne Schnappschuss"


def test_revisions_cannot_be_changed_through_the_api(api, users):
    item = _create(api, users["editor"])
    for method in ("PATCH", "PUT", "DELETE"):
        assert api.call(method, f"{BASE}/{item['id']}/revisions/1", users["admin"]).status_code == 405


def test_admin_lists_compares_and_restores(app, users, api):
    from tests.conftest import Browser

    editor = users["editor"]
    item = _create(api, editor, title="Erste Fassung")
    api.call("PATCH", f"{BASE}/{item['id']}", editor, json={"revision": 1, "title": "<script>Zweite</script>"})
    client = app.test_client()
    Browser(client).login(editor.email)
    page = client.get(f"/admin/content_work_plan/workflow/?id={item['id']}").get_data(as_text=True)
    assert "Changed: Title" in page and 'name="revision" value="1"' in page
    compared = client.get(f"/admin/content_work_plan/compare/?id={item['id']}&a=1&b=2").get_data(as_text=True)
    assert "Erste Fassung" in compared and "&lt;script&gt;Zweite&lt;/script&gt;" in compared
    assert "<script>Zweite" not in compared
    token = Browser(client).form_token("/en/")
    response = client.post(
        "/admin/content_work_plan/restore/", data={"csrf_token": token, "id": item["id"], "revision": "1"}
    )
    assert response.status_code == 303
    assert Content.objects.get(pk=item["id"]).title == "Erste Fassung"
    assert client.post("/admin/content_work_plan/restore/", data={"id": item["id"], "revision": "1"}).status_code == 400
