"""Bad input found by fuzzing and by hand: a clear 4xx, never a 500, and nothing written."""

import io
import zipfile

import pytest

from content_types import Attachment, Meeting
from tests.conftest import Browser
from tests.test_attachments import _upload

BASE = "/api/v1/content"


@pytest.mark.parametrize(
    "url",
    [
        f"{BASE}?year=0000",
        f"{BASE}?year=9999",
        f"{BASE}?year=-001",
        f"{BASE}?q=%00",
        f"{BASE}?q=a%00b",
        f"{BASE}?page=999999999",
        f"{BASE}?page=99999999&per_page=100",
        "/api/v1/users?page=999999999",
        "/api/v1/worklist?page=999999999",
    ],
)
def test_numbers_and_strings_from_the_query_are_checked_before_the_driver(api, users, url):
    response = api.call("GET", url, users["admin"])
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["error"]["code"] == "invalid_parameter"


def test_a_huge_revision_number_is_refused(api, users, create_item):
    item = create_item("news", owner=users["editor"])
    for revision in (9223372036854775808, 2**31, -1, 0, True, "1"):
        response = api.call("PATCH", f"{BASE}/{item.pk}", users["editor"], json={"revision": revision, "title": "x"})
        assert response.status_code == 422, revision
    assert api.call("GET", f"{BASE}/{item.pk}", users["editor"]).get_json()["revision"] == 1


def test_a_deeply_nested_json_body_is_a_400(client):
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "malformed_json"


@pytest.mark.parametrize(
    "query", ["page=-1", "page=99999999999999999999", "page=abc", "search=%00", "search=" + "x" * 5000, "sort=99"]
)
def test_admin_lists_refuse_bad_paging_and_search(browser, users, client, query):
    browser.login(users["editor"].email)
    for view in ("content_work_plan", "content_all", "cities"):
        response = client.get(f"/admin/{view}/?{query}")
        assert response.status_code in (200, 400), (view, query, response.status_code)


def _zip(entries, **tweaks) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    data = bytearray(buffer.getvalue())
    for old, new in tweaks.get("replace", ()):
        data = data.replace(old, new)
    return bytes(data)


DOCX_PARTS = {"[Content_Types].xml": "<Types/>", "word/document.xml": "<document>" + "x" * 200 + "</document>"}
ENTITY = '<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><document>&e;</document>'
LAUGHS = (
    '<!DOCTYPE l [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    "<document>&c;</document>"
)


def _damaged(kind: str) -> bytes:
    good = _zip(DOCX_PARTS)
    if kind == "bad crc":
        return good.replace(b"x" * 20, b"y" * 20, 1) if b"x" * 20 in good else _corrupt_crc(good)
    if kind == "encrypted flag":
        return _patch_headers(good, flag_bits=0x1)
    if kind == "compression method 9":
        return _patch_headers(good, method=9)
    if kind == "understated size":
        return _patch_headers(good, uncompressed_size=10)
    raise ValueError(kind)


def _corrupt_crc(data: bytes) -> bytes:
    patched = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 14), (b"PK\x01\x02", 16)):
        start = 0
        while (index := patched.find(signature, start)) != -1:
            patched[index + offset] ^= 0xFF
            start = index + 4
    return bytes(patched)


def _patch_headers(data: bytes, flag_bits=None, method=None, uncompressed_size=None) -> bytes:
    patched = bytearray(data)
    for signature, flags_at, method_at, size_at in ((b"PK\x03\x04", 6, 8, 22), (b"PK\x01\x02", 8, 10, 24)):
        start = 0
        while (index := patched.find(signature, start)) != -1:
            if flag_bits is not None:
                patched[index + flags_at] |= flag_bits
            if method is not None:
                patched[index + method_at : index + method_at + 2] = method.to_bytes(2, "little")
            if uncompressed_size is not None:
                patched[index + size_at : index + size_at + 4] = uncompressed_size.to_bytes(4, "little")
            start = index + 4
    return bytes(patched)


@pytest.mark.parametrize("kind", ["bad crc", "encrypted flag", "compression method 9", "understated size"])
def test_damaged_office_files_are_415(api, users, create_item, kind):
    item = create_item("news", owner=users["editor"])
    response = _upload(api, users["editor"], item, _damaged(kind), "Bericht.docx")
    assert response.status_code == 415, (kind, response.status_code)
    assert Attachment.objects.count() == 0


@pytest.mark.parametrize("payload", [ENTITY, LAUGHS], ids=["external entity", "billion laughs"])
@pytest.mark.parametrize("part", ["word/document.xml", "word/_rels/document.xml.rels", "docProps/core.xml"])
def test_entities_in_any_xml_part_are_refused(api, users, create_item, payload, part):
    item = create_item("news", owner=users["editor"])
    response = _upload(api, users["editor"], item, _zip({**DOCX_PARTS, part: payload}), "Bericht.docx")
    assert response.status_code == 415 and response.get_json()["error"]["code"] == "unsafe_xml"
    assert Attachment.objects.count() == 0


def test_an_odt_with_entities_in_its_styles_is_refused(api, users, create_item):
    item = create_item("news", owner=users["editor"])
    odt = _zip(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": "<document-content/>",
            "styles.xml": LAUGHS,
        }
    )
    assert _upload(api, users["editor"], item, odt, "Bericht.odt").status_code == 415


def test_an_anonymous_upload_is_refused_before_its_body_is_read(client, users, create_item):
    item = create_item("news", owner=users["editor"])

    class Unreadable(io.RawIOBase):
        """A request body that fails the test if anything reads it."""

        def readable(self):
            return True

        def seekable(self):
            return True

        def seek(self, offset, whence=0):
            return 0

        def readinto(self, buffer):
            raise AssertionError("the body was read")

    for path in (f"{BASE}/{item.pk}/attachments", "/admin/content_news/upload/"):
        response = client.post(
            path,
            input_stream=Unreadable(),
            content_type="multipart/form-data; boundary=x",
            environ_overrides={"CONTENT_LENGTH": "1000"},  # under the limit: only the missing login can stop it
        )
        assert response.status_code in (302, 401), (path, response.status_code)


def test_an_announced_length_over_the_limit_is_413_at_once(app, client, users, create_item):
    item = create_item("news", owner=users["editor"])
    browser = Browser(client)
    browser.login(users["editor"].email)
    response = client.post(
        f"{BASE}/{item.pk}/attachments",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        environ_overrides={"CONTENT_LENGTH": str(200 * 1024 * 1024)},
    )
    assert response.status_code in (401, 413)


def test_two_meetings_for_one_half_year_posted_at_once_make_one(app, api, users, city):
    import threading

    token = api.token(users["editor"])
    answers = []

    def post(number):
        client = app.test_client()
        body = {
            "type": "meeting",
            "title": f"Treffen {number}",
            "year": 2031,
            "half": 1,
            "host_city": str(city("Hefei").pk),
        }
        answers.append(client.post(BASE, json=body, headers={"Authorization": f"Bearer {token}"}).status_code)

    threads = [threading.Thread(target=post, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [201] + [422] * 7
    assert Meeting.objects(year=2031, half=1).count() == 1


@pytest.mark.parametrize(
    "year, half", [(18446744073709551616, 1), (10**30, 1), (-9223372036854775809, 1), (2040, 2**63)]
)
def test_numbers_beyond_eight_bytes_in_a_body_are_422(api, users, city, year, half):
    body = {"type": "meeting", "title": "t", "year": year, "half": half, "host_city": str(city("Hefei").pk)}
    assert api.call("POST", BASE, users["editor"], json=body).status_code == 422
    assert Meeting.objects.count() == 0


def test_a_title_with_control_characters_is_refused(api, users, create_item):
    item = create_item("news", owner=users["editor"])
    response = api.call("PATCH", f"{BASE}/{item.pk}", users["editor"], json={"revision": 1, "title": "a\u0000b"})
    assert response.status_code == 422 and "title" in response.get_json()["error"]["details"]


@pytest.mark.parametrize("query", ["flt0_0=%00", "flt0_1=x", "flt1_0=x", "flt2_0=1"])
def test_admin_filters_of_cities_and_the_audit_log_answer_without_a_500(browser, users, client, query):
    browser.login(users["admin"].email)
    for view in ("cities", "audit"):
        assert client.get(f"/admin/{view}/?{query}").status_code in (200, 400), (view, query)


@pytest.mark.parametrize(
    ("text", "breaks"),
    [
        ("Foshan 佛山 Köln – „Anführung“", False),
        ("", False),
        ("Li Wei\r\nBcc: evil@example.org", True),
        ("Tab\there", True),
        ("Stadt\u2028Bcc: x@y.org", True),  # Unicode's line separator
        ("Stadt\u2029Absatz", True),
        ("Next\u0085line", True),  # NEL, a C1 control
        ("Del\x7f", True),
    ],
)
def test_a_one_line_field_refuses_every_kind_of_line_break(text, breaks):
    from content_types.base import has_control_characters

    assert has_control_characters(text) is breaks
