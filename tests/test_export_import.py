"""`cms export` → a fresh data directory → `cms import`: the same documents and files byte for byte, a working site.

And every refusal: a database that holds data, an archive that was changed, cut short, is no archive or of
another format, and an export onto an existing file. Each refusal leaves the target database without a document.
"""

import hashlib
import io
import re
import zipfile

import mongoengine as me
import pytest
from pymongo import MongoClient

from cms.database import close_embedded
from cms.demo import DEMO_PASSWORD, create_demo_documents, create_demo_users
from cms.site_archive.archive_format import MANIFEST, from_json, to_json
from cms.site_archive.import_ import occupied_collections, verify_archive
from content_types import Content, PublishedVersion, WorkPlan
from tests.archive_support import ATTACHMENT, documents_as_bson, run_cms, small_site, worker_database
from tests.conftest import Browser
from tests.test_attachments import PDF
from tests.test_embedded_database import _embedded_app


def _sha256_of_version_files(db) -> dict:
    import gridfs

    bucket = gridfs.GridFS(db, "version_files")
    return {
        (version["_id"], index): hashlib.sha256(bucket.get(stored["file_id"]).read()).hexdigest()
        for version in db.published_versions.find()
        for index, stored in enumerate(version["files"])
    }


def test_export_then_import_into_a_fresh_data_directory_reproduces_the_site(app, tmp_path):
    source_uri = app.config["CMS_MONGODB_URI"]
    with app.app_context():
        create_demo_users()
        create_demo_documents()
    client = app.test_client()
    login = {"email": "editor@alliance.example", "password": DEMO_PASSWORD}
    token = client.post("/api/v1/auth/token", json=login).get_json()["token"]
    editor = {"Authorization": f"Bearer {token}"}
    draft = WorkPlan.objects(state="draft").first()
    uploaded = client.post(
        f"/api/v1/content/{draft.pk}/attachments",
        headers=editor,
        data={"file": (io.BytesIO(PDF), "Anlage.pdf")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 201
    Browser(app.test_client()).login("member.aachen@alliance.example", DEMO_PASSWORD)  # a session, left behind
    archive = tmp_path / "site.zip"

    exported = run_cms("export", str(archive), uri=source_uri, data_dir=app.config["CMS_DATA_DIR"])

    assert exported.exit_code == 0, exported.output
    manifest = verify_archive(archive)
    assert "login_sessions" in manifest["left_out"] and "api_tokens" in manifest["collections"]
    assert manifest["collections"]["content"]["documents"] == Content.objects.count() == 20
    assert manifest["buckets"]["version_files"]["files"] == len(PublishedVersion.objects.distinct("files.file_id"))
    fresh = tmp_path / "fresh"
    try:
        imported = run_cms("import", str(archive), data_dir=fresh)
        assert imported.exit_code == 0, imported.output
        assert "content: 20" in imported.output
        checked = run_cms("check", data_dir=fresh)
        assert checked.exit_code == 0 and "No problems found." in checked.output, checked.output

        restored = _embedded_app(fresh)  # mongoengine now talks to the fresh data directory's database
        target = me.connection.get_db()
        with MongoClient(source_uri) as source_client:
            source = source_client.get_default_database()
            assert documents_as_bson(target) == documents_as_bson(source)
            assert _sha256_of_version_files(target) == _sha256_of_version_files(source)
            assert source.login_sessions.count_documents({}) > 0
        assert target.login_sessions.count_documents({}) == 0

        visitor = restored.test_client()
        concept = Content.objects.get(title__startswith="Arbeitskonzept")
        page = visitor.get(f"/de/documents/{concept.pk}")
        assert page.status_code == 200 and concept.title in page.get_data(as_text=True)
        link = re.search(r'href="(/versions/[^"]+)" download', page.get_data(as_text=True)).group(1)
        download = visitor.get(link)
        version = PublishedVersion.objects.get(item=concept.pk, number=1)
        assert download.status_code == 200
        assert hashlib.sha256(download.data).hexdigest() == version.files[0].sha256
        # API tokens went along (their hashes): a script using one keeps working; passwords too.
        assert visitor.get("/api/v1/content?state=draft", headers=editor).status_code == 200
        assert Browser(restored.test_client()).login("member.aachen@alliance.example", DEMO_PASSWORD).status_code == 302
    finally:
        me.disconnect()
        close_embedded(str(fresh))


@pytest.fixture
def archive(app, users, create_item, tmp_path):
    """An archive of a small site (an item with revisions, an attachment and a published version)."""
    small_site(create_item, users["editor"])
    path = tmp_path / "small.zip"
    result = run_cms("export", str(path), uri=app.config["CMS_MONGODB_URI"], data_dir=app.config["CMS_DATA_DIR"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def empty_target(app, mongo_server_uri):
    """(URI, database) of an empty database on the test server."""
    name = worker_database("alliance_archive_target")
    with MongoClient(mongo_server_uri) as client:
        client.drop_database(name)
        yield f"{mongo_server_uri}/{name}", client[name]
        client.drop_database(name)


def test_a_small_archive_goes_into_an_empty_database_on_a_server(archive, empty_target, tmp_path, app):
    uri, target = empty_target
    result = run_cms("import", str(archive), uri=uri, data_dir=tmp_path)
    assert result.exit_code == 0, result.output
    with MongoClient(app.config["CMS_MONGODB_URI"]) as source_client:
        assert documents_as_bson(target) == documents_as_bson(source_client.get_default_database())
    assert run_cms("check", uri=uri, data_dir=tmp_path).exit_code == 0


def test_import_refuses_a_database_that_holds_data_and_writes_nothing(archive, app, tmp_path):
    uri = app.config["CMS_MONGODB_URI"]
    with MongoClient(uri) as client:
        before = documents_as_bson(client.get_default_database())
        result = run_cms("import", str(archive), uri=uri, data_dir=tmp_path)
        assert result.exit_code != 0
        assert "not empty" in result.output and "cities" in result.output and "content" in result.output
        assert documents_as_bson(client.get_default_database()) == before


def _changed_byte(data: bytes) -> bytes:
    # The attachment is stored uncompressed: its bytes are in the zip as they are.
    at = data.index(ATTACHMENT) + len(ATTACHMENT) // 2
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def _rewritten(data: bytes, change) -> bytes:
    # A new zip whose members pass the zip's own checks (fresh CRCs), with `change` applied to (name, bytes).
    written = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(written, "w") as copy:
        for info in original.infolist():
            changed = change(info.filename, original.read(info.filename))
            if changed is not None:
                copy.writestr(info.filename, changed)
    return written.getvalue()


def _title_changed(name, content):
    return (
        content.replace(b"Nachricht zum Archiv", b"Nachricht zum Ardiiv") if name.endswith("content.jsonl") else content
    )


def _chunks_apart(data: bytes) -> bytes:
    # A forger who also rewrites the manifest lists a file's first chunk once more at the end of the chunk list:
    # the import would read that file's member a second time.
    listing = "gridfs/version_files/chunks.jsonl"
    with zipfile.ZipFile(io.BytesIO(data)) as original:
        lines = original.read(listing).splitlines(keepends=True)
        manifest = from_json(original.read(MANIFEST).decode())
    forged = b"".join(lines + lines[:1])
    manifest["members"][listing] = {"sha256": hashlib.sha256(forged).hexdigest(), "size": len(forged)}
    replaced = {listing: forged, MANIFEST: to_json(manifest).encode()}
    return _rewritten(data, lambda name, content: replaced.get(name, content))


def _newer_format(name, content):
    if name != MANIFEST:
        return content
    manifest = from_json(content.decode())
    manifest["format_version"] = 99
    return to_json(manifest).encode()


@pytest.mark.parametrize(
    "spoil, message",
    [
        (_changed_byte, "is damaged"),
        (lambda data: _rewritten(data, _title_changed), "does not match its checksum"),
        (lambda data: data[: len(data) // 2], "damaged or cut short"),
        (_chunks_apart, "apart from its other chunks"),
        (lambda data: b"name,title\n1,not an archive\n", "not a site archive"),
        (lambda data: _rewritten(data, _newer_format), "format version 99"),
        (lambda data: _rewritten(data, lambda name, content: None if "revisions" in name else content), "lacks"),
        (lambda data: _rewritten(data, lambda name, content: None if name == MANIFEST else content), "no manifest"),
    ],
    ids=[
        "one-byte-changed",
        "member-rewritten",
        "cut-short",
        "chunks-apart",
        "not-a-zip",
        "newer-format",
        "member-missing",
        "no-manifest",
    ],
)
def test_import_refuses_a_bad_archive_and_writes_nothing(archive, empty_target, tmp_path, spoil, message):
    uri, target = empty_target
    spoiled = tmp_path / "spoiled.zip"
    spoiled.write_bytes(spoil(archive.read_bytes()))
    result = run_cms("import", str(spoiled), uri=uri, data_dir=tmp_path)
    assert result.exit_code != 0
    assert message in result.output, result.output
    assert occupied_collections(target) == []


def test_export_refuses_an_existing_file_unless_forced(app, tmp_path):
    existing = tmp_path / "kept.zip"
    existing.write_bytes(b"an earlier backup")
    options = {"uri": app.config["CMS_MONGODB_URI"], "data_dir": app.config["CMS_DATA_DIR"]}
    refused = run_cms("export", str(existing), **options)
    assert refused.exit_code != 0 and "exists already" in refused.output
    assert existing.read_bytes() == b"an earlier backup"
    assert [path.name for path in tmp_path.iterdir()] == ["kept.zip"]  # no partial file left beside it
    forced = run_cms("export", str(existing), "--force", **options)
    assert forced.exit_code == 0, forced.output
    assert verify_archive(existing)["collections"]["cities"]["documents"] == 22
    assert existing.stat().st_mode & 0o077 == 0  # personal data and password hashes: its owner's only
