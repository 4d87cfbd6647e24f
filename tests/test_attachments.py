"""Uploads checked by their bytes, stored with SHA-256 in GridFS, downloaded only through can()."""

import hashlib
import io
import zipfile

import pytest

from content_types.attachment import Attachment
from tests.workflow_helpers import force_state

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _office(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _office({"[Content_Types].xml": "<Types/>", "word/document.xml": "<document/>"})
ODT = _office(
    {
        "mimetype": "application/vnd.oasis.opendocument.text",
        "content.xml": "<office:document-content xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0'/>",
    }
)


def _upload(api, user, item, data: bytes, name: str):
    return api.call(
        "POST",
        f"/api/v1/content/{item.pk}/attachments",
        user,
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    "data, name, content_type, stored_name",
    [
        (PDF, "Arbeitsplan.pdf", "application/pdf", "Arbeitsplan.pdf"),
        (PNG, "Logo.png", "image/png", "Logo.png"),
        (
            DOCX,
            "Protokoll.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Protokoll.docx",
        ),
        (ODT, "Agenda.odt", "application/vnd.oasis.opendocument.text", "Agenda.odt"),
        (PDF, "Tarnung.docx", "application/pdf", "Tarnung.docx.pdf"),
    ],
)
def test_accepted_uploads_are_typed_by_their_bytes(api, users, create_item, data, name, content_type, stored_name):
    item = create_item("work_plan", owner=users["editor"])
    response = _upload(api, users["editor"], item, data, name)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["content_type"], body["name"], body["size"]) == (content_type, stored_name, len(data))
    assert body["sha256"] == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    "data, name, status, code",
    [
        (b"<html><script>alert(1)</script></html>", "Bericht.pdf", 415, "unsupported_type"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "Bild.png", 415, "unsupported_type"),
        (b"MZ\x90\x00" + b"\x00" * 60, "Programm.docx", 415, "unsupported_type"),
        (b"root:x:0:0:root:/root:/bin/bash\n", "../../etc/passwd", 415, "unsupported_type"),
        (b"", "leer.pdf", 422, "empty_file"),
        (PDF, "", 422, "missing_name"),
        (
            _office({"[Content_Types].xml": "<Types/>", "word/document.xml": "0" * (30 * 1024 * 1024)}),
            "Bombe.docx",
            415,
            "archive_bomb",
        ),
        (
            _office(
                {
                    "[Content_Types].xml": '<!DOCTYPE t [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><Types>&b;</Types>',
                    "word/document.xml": "<document/>",
                }
            ),
            "Entitaeten.docx",
            415,
            "unsafe_xml",
        ),
        (_office({"readme.txt": "kein Office"}), "Archiv.docx", 415, "unsupported_type"),
    ],
)
def test_refused_uploads_get_a_clear_error_and_store_nothing(api, users, create_item, data, name, status, code):
    item = create_item("work_plan", owner=users["editor"])
    response = _upload(api, users["editor"], item, data, name)
    assert response.status_code == status and response.get_json()["error"]["code"] == code
    assert Attachment.objects.count() == 0


def test_names_are_cleaned(api, users, create_item):
    item = create_item("work_plan", owner=users["editor"])
    body = _upload(api, users["editor"], item, PDF, "..\\..\\app\u202egnp.pdf").get_json()
    assert body["name"] == "appgnp.pdf"
    long_name = _upload(api, users["editor"], item, PDF, "a" * 300 + ".pdf").get_json()["name"]
    assert len(long_name) <= 200 and long_name.endswith(".pdf")


def test_over_the_limit_is_413_without_storing(app, api, users, create_item, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_MAX_UPLOAD_BYTES", 1024)
    item = create_item("work_plan", owner=users["editor"])
    response = _upload(api, users["editor"], item, PDF + b"0" * 2048, "gross.pdf")
    assert response.status_code == 413 and Attachment.objects.count() == 0


def test_a_body_over_the_request_limit_is_refused_before_reading(app, api, users, create_item):
    item = create_item("work_plan", owner=users["editor"])
    response = api.call(
        "POST",
        f"/api/v1/content/{item.pk}/attachments",
        users["editor"],
        data=b"x" * 10,
        content_type="multipart/form-data; boundary=x",
        environ_overrides={"CONTENT_LENGTH": str(app.config["MAX_CONTENT_LENGTH"] + 1)},
    )
    assert response.status_code == 413


def test_only_those_who_may_modify_upload(api, users, create_item):
    item = create_item("work_plan", owner=users["editor"])
    assert _upload(api, users["reviewer"], item, PDF, "a.pdf").status_code == 403
    assert _upload(api, users["member"], item, PDF, "a.pdf").status_code == 404
    assert _upload(api, None, item, PDF, "a.pdf").status_code == 401


def test_download_with_checksum_etag_range_and_access_checks(api, users, create_item, client):
    item = create_item("work_plan", owner=users["editor"])
    body = _upload(api, users["editor"], item, PDF, "Arbeitsplan 2027 – Entwurf.pdf").get_json()
    url = body["url"]
    assert client.get(url).status_code == 404  # anonymous: a draft's file does not exist
    assert api.call("GET", url, users["member"]).status_code == 404
    response = api.call("GET", url, users["reviewer"])
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["ETag"].strip('"') == body["sha256"]
    assert "filename*=UTF-8''Arbeitsplan%202027%20%E2%80%93%20Entwurf.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    partial = api.call("GET", url, users["reviewer"], headers={"Range": "bytes=0-3"})
    assert partial.status_code == 206 and partial.data == PDF[:4]
    unchanged = api.call("GET", url, users["reviewer"], headers={"If-None-Match": f'"{body["sha256"]}"'})
    assert unchanged.status_code == 304
    published = force_state(item, "published")
    assert api.call("GET", url, users["member"]).status_code == 200
    assert client.get(url).status_code == 404  # member-only document
    assert published.pk


def test_a_damaged_file_is_never_served(api, users, create_item):
    item = create_item("work_plan", owner=users["editor"])
    body = _upload(api, users["editor"], item, PDF, "a.pdf").get_json()
    Attachment.objects(pk=body["id"]).update_one(set__sha256="0" * 64)
    assert api.call("GET", f"/files/{body['id']}/{'0' * 16}", users["editor"]).status_code == 500
    assert api.call("GET", body["url"], users["editor"]).status_code == 404  # the old address no longer matches


def test_upload_and_download_through_the_admin(app, users, create_item):
    from tests.conftest import Browser

    item = create_item("work_plan", owner=users["editor"])
    client = app.test_client()
    browser = Browser(client)
    browser.login(users["editor"].email)
    token = browser.form_token("/en/")
    response = client.post(
        "/admin/content_work_plan/upload/",
        content_type="multipart/form-data",
        data={"csrf_token": token, "id": str(item.pk), "file": (io.BytesIO(PDF), "Anlage.pdf")},
    )
    assert response.status_code == 303
    page = client.get(f"/admin/content_work_plan/workflow/?id={item.pk}").get_data(as_text=True)
    attachment = Attachment.objects.get(item=item.pk)
    assert "Anlage.pdf" in page and f"/files/{attachment.pk}/" in page
    assert client.get(f"/files/{attachment.pk}/{attachment.sha256[:16]}").data == PDF
    client.post(
        "/admin/content_work_plan/upload/",
        content_type="multipart/form-data",
        data={"csrf_token": token, "id": str(item.pk), "file": (io.BytesIO(b"<html>"), "x.pdf")},
    )
    assert Attachment.objects(item=item.pk).count() == 1
    refused = client.post(
        "/admin/content_work_plan/upload/",
        content_type="multipart/form-data",
        data={"id": str(item.pk), "file": (io.BytesIO(PDF), "ohne-token.pdf")},
    )
    assert refused.status_code == 400


def test_an_upload_over_the_request_limit_through_the_admin_is_a_413_page(app, browser, users, client, create_item):
    item = create_item("work_plan", owner=users["editor"])
    browser.login(users["editor"].email)
    token = browser.form_token("/en/")
    response = client.post(
        "/admin/content_work_plan/upload/",
        data={"csrf_token": token, "id": str(item.pk), "file": (io.BytesIO(PDF), "a.pdf")},
        content_type="multipart/form-data",
        environ_overrides={"CONTENT_LENGTH": str(app.config["MAX_CONTENT_LENGTH"] + 1)},
    )
    assert response.status_code == 413 and "larger than allowed" in response.get_data(as_text=True)
    assert Attachment.objects.count() == 0
