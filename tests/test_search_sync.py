"""The index follows every kind of change to an item: translations, working copies' check-in, sharing, attachments
added and removed, direct writes (migrations), writes naming no item, and the site-archive import."""

from cms.operations import attachments
from cms.search.engine import engine_at
from cms.search.sync import changes_of
from content_types import Attachment, Content
from tests.archive_support import run_cms, small_site
from tests.test_attachments import _upload
from tests.test_search import BASE, pdf_with, titles


def _news(api, user, title, body=""):
    made = api.call("POST", BASE, user, json={"type": "news", "title": title, "body": body})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def _publish(api, users, item_id):
    assert api.call("POST", f"{BASE}/{item_id}/workflow/submit", users["editor"]).status_code == 200
    published = api.call("POST", f"{BASE}/{item_id}/workflow/publish", users["reviewer"])
    assert published.status_code == 200, published.get_json()


def test_a_translation_is_found_in_its_own_words(api, users):
    source = _news(api, users["editor"], "Handelsmesse")
    made = api.call("POST", f"{BASE}/{source['id']}/translations", users["editor"], json={"language": "zh"})
    assert made.status_code == 201, made.get_json()
    translation = made.get_json()
    assert (
        api.call(
            "PATCH",
            f"{BASE}/{translation['id']}",
            users["editor"],
            json={"revision": translation["revision"], "title": "贸易博览会"},
        ).status_code
        == 200
    )
    assert titles(api, users["editor"], "博览会") == {"贸易博览会"}
    assert titles(api, users["editor"], "Handelsmesse") == {"Handelsmesse"}


def test_a_working_copys_check_in_updates_the_original_and_the_copy_leaves_the_index(api, users):
    original = _news(api, users["editor"], "Erste Fassung")
    _publish(api, users, original["id"])
    copy = api.call("POST", f"{BASE}/{original['id']}/working-copy", users["editor"]).get_json()
    changed = api.call(
        "PATCH", f"{BASE}/{copy['id']}", users["editor"], json={"revision": 1, "title": "Zweite Fassung"}
    )
    assert changed.status_code == 200
    # Before the check-in the members find the published text only.
    assert titles(api, users["member"], "Fassung") == {"Erste Fassung"}
    _publish(api, users, copy["id"])
    hits = api.call("GET", "/api/v1/search", users["editor"], query_string={"q": "Fassung"}).get_json()["items"]
    assert [(hit["id"], hit["title"]) for hit in hits] == [(original["id"], "Zweite Fassung")]


def test_sharing_a_draft_lets_the_grantee_find_it_and_unsharing_hides_it_again(api, users, create_user):
    draft = _news(api, users["editor"], "Geteilter Entwurf")
    guest = create_user("member", city_name="Zhuzhou")
    assert titles(api, guest, "Entwurf") == set()
    shared = api.call(
        "PUT", f"{BASE}/{draft['id']}/sharing", users["admin"], json={"user_id": str(guest.pk), "roles": ["reviewer"]}
    )
    assert shared.status_code == 200, shared.get_json()
    assert titles(api, guest, "Entwurf") == {"Geteilter Entwurf"}
    api.call("PUT", f"{BASE}/{draft['id']}/sharing", users["admin"], json={"user_id": str(guest.pk), "roles": []})
    assert titles(api, guest, "Entwurf") == set()


def test_an_attachment_removed_takes_its_words_out_of_the_index(app, api, users):
    item = Content.objects.get(pk=_news(api, users["editor"], "Mit Anlage")["id"])
    assert _upload(api, users["editor"], item, pdf_with("Elektrolyseure im Hafen"), "anlage.pdf").status_code == 201
    assert titles(api, users["editor"], "Elektrolyseure") == {"Mit Anlage"}
    with app.test_request_context():
        attachments.remove_attachment(
            users["editor"], Content.objects.get(pk=item.pk), str(Attachment.objects.get(item=item.pk).pk)
        )
    assert titles(api, users["editor"], "Elektrolyseure") == set()


def test_a_write_naming_no_item_rebuilds_the_index(api, users):
    _news(api, users["editor"], "Altes Wort")
    Content._get_collection().update_many({"title": "Altes Wort"}, {"$set": {"title": "Neues Wort"}})
    assert titles(api, users["editor"], "Wort") == {"Neues Wort"}


def test_the_items_a_write_touches_are_told_from_its_command():
    assert changes_of("update", {"update": "content", "updates": [{"q": {"_id": 1}, "u": {"$set": {"x": 1}}}]}) == (
        [1],
        [],
        [],
        False,
    )
    # The edit lock changes nothing the index holds.
    lock = {"update": "content", "updates": [{"q": {"_id": 1}, "u": {"$set": {"lock_user": 2, "lock_since": 3}}}]}
    assert changes_of("update", lock) == ([], [], [], False)
    assert changes_of("delete", {"delete": "attachments", "deletes": [{"q": {"_id": 7}}]}) == ([], [7], [], False)
    moved = {"update": "attachments", "updates": [{"q": {"item": 4}, "u": {"$set": {"item": 5}}}]}
    assert changes_of("update", moved) == ([], [], [4, 5], False)
    assert changes_of("delete", {"delete": "content", "deletes": [{"q": {}}]})[3] is True
    assert changes_of("insert", {"insert": "users", "documents": [{"_id": 1}]}) is None


def test_an_imported_site_is_indexed_by_the_import(app, create_item, users, tmp_path):
    with app.app_context(), app.test_request_context():
        small_site(create_item, users["editor"])
    archive = tmp_path / "site.zip"
    assert (
        run_cms(
            "export", str(archive), uri=app.config["CMS_MONGODB_URI"], data_dir=app.config["CMS_DATA_DIR"]
        ).exit_code
        == 0
    )
    fresh = tmp_path / "fresh"
    imported = run_cms("import", str(archive), data_dir=fresh)
    assert imported.exit_code == 0, imported.output
    try:
        assert engine_at(fresh / "search-index").count() == 1
    finally:
        from cms.database import close_embedded

        close_embedded(str(fresh))
