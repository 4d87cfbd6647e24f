"""A member's download of a published file: remembered version and item, checked bytes from disk, rights at once."""

import hashlib
import uuid
from pathlib import Path

from cms import file_store
from content_types import Content, PublishedVersion
from tests.workflow_helpers import force_state
from workflows import engine


def _published(users, create_item, **fields):
    # A title of its own: the PDF's bytes, and so its copy on disk, differ from every other test's.
    item = create_item("work_plan", owner=users["editor"], title=f"Arbeitsplan {uuid.uuid4().hex}", **fields)
    item = force_state(item, "approved", approved_revision=item.revision)
    engine.fire(users["approver"], item, "publish")
    version = PublishedVersion.objects.get(item=item.pk)
    return item, version, f"/versions/{version.pk}/v1/0/{version.files[0].sha256[:16]}"


def test_the_bytes_are_checked_once_and_then_sent_from_a_copy_on_disk(api, users, create_item, app):
    _item, version, url = _published(users, create_item)
    stored = version.files[0]
    first = api.call("GET", url, users["member"])
    assert first.status_code == 200 and hashlib.sha256(first.data).hexdigest() == stored.sha256
    copy = Path(app.config["CMS_DATA_DIR"]) / file_store.FOLDER / stored.sha256
    assert copy.read_bytes() == first.data
    assert first.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    assert "X-Accel-Expires" not in first.headers  # a member-only file never goes into a shared cache
    assert api.call("GET", url, users["member"], headers={"If-None-Match": f'"{stored.sha256}"'}).status_code == 304


def test_bytes_that_differ_from_the_published_checksum_are_never_sent_or_copied(api, users, create_item, app):
    import mongoengine as me

    _item, version, url = _published(users, create_item)
    chunks = me.connection.get_db()["version_files.chunks"]
    chunks.update_many({"files_id": version.files[0].file_id}, {"$set": {"data": b"not the published bytes"}})
    assert api.call("GET", url, users["member"]).status_code == 500
    assert not (Path(app.config["CMS_DATA_DIR"]) / file_store.FOLDER / version.files[0].sha256).exists()


def test_rights_follow_the_item_at_once_and_other_cities_never_get_it(api, users, create_item):
    item, _version, url = _published(users, create_item)
    assert api.call("GET", url, users["member"]).status_code == 200
    assert api.call("GET", url).status_code == 404  # anonymous: a member-only document
    # Withdrawn from the members (here straight in the database, as another worker's step would be).
    Content._get_collection().update_one({"_id": item.pk}, {"$set": {"state": "draft"}})
    assert api.call("GET", url, users["member"]).status_code == 404


def test_a_public_file_may_be_kept_by_a_reverse_proxy_for_a_while(api, users, create_item):
    news = create_item("news", owner=users["editor"], title="Öffentlich", public=True)
    engine.fire(users["reviewer"], force_state(news, "in_review"), "publish")
    version = PublishedVersion.objects.get(item=news.pk)
    response = api.call("GET", f"/versions/{version.pk}/v1/0/{version.files[0].sha256[:16]}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Accel-Expires"] == "600"


def test_a_bad_or_unknown_version_address_is_404(api, users):
    for url in ("/versions/zzz/v1/0/abc", "/versions/6b0000000000000000000000/v1/0/abc"):
        assert api.call("GET", url, users["member"]).status_code == 404
