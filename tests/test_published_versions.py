"""Publishing freezes a version: a PDF of the text and copies of the attachments, with checksums, never changed."""

import hashlib
import io
import re

from pypdf import PdfReader

from cms import publication
from content_types import Content, PublishedVersion
from tests.test_attachments import PDF, _upload
from tests.workflow_helpers import force_state
from workflows import engine


def _publish(users, item):
    item = force_state(item, "approved", approved_revision=item.revision)
    return engine.fire(users["approver"], item, "publish")


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_publishing_freezes_v1_with_a_pdf_and_the_attachments(api, users, create_item, client):
    item = create_item(
        "work_plan",
        owner=users["editor"],
        title="中德工业城市联盟 2027年工作计划",
        language="zh",
        topics=["工业4.0"],
        body="<p>佛山、江门、肇庆的合作项目。</p>",
    )
    _upload(api, users["editor"], item, PDF, "附件.pdf")
    _publish(users, item)
    versions = api.call("GET", f"/api/v1/content/{item.pk}/versions", users["member"]).get_json()
    assert [v["version"] for v in versions] == [1] and versions[0]["revision"] == item.revision
    files = versions[0]["files"]
    assert [f["content_type"] for f in files] == ["application/pdf", "application/pdf"]
    rendered = api.call("GET", files[0]["url"], users["member"])
    assert rendered.status_code == 200 and hashlib.sha256(rendered.data).hexdigest() == files[0]["sha256"]
    text = _pdf_text(rendered.data)
    for expected in (
        "中德工业城市联盟 2027年工作计划",
        "佛山、江门、肇庆的合作项目。",
        "工业4.0",
        "Version 1",
        "Language: Chinese",
    ):
        assert expected in text, expected
    copy = api.call("GET", files[1]["url"], users["member"])
    assert copy.data == PDF and files[1]["name"] == "附件.pdf"
    assert "immutable" in rendered.headers["Cache-Control"] and rendered.headers["Cache-Control"].startswith("private")
    assert client.get(files[0]["url"]).status_code == 404  # member-only document


def test_the_pdf_embeds_a_cjk_font_when_one_is_installed(api, users, create_item):
    from cms import pdf

    item = create_item("news", owner=users["editor"], title="联盟新闻", public=True)
    item = engine.fire(users["reviewer"], force_state(item, "in_review"), "publish")
    version = PublishedVersion.objects.get(item=item.pk)
    data = api.call("GET", f"/versions/{version.pk}/v1/0/{version.files[0].sha256[:16]}").data
    fonts = {
        font.get("/BaseFont")
        for page in PdfReader(io.BytesIO(data)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    if any(path for path in pdf.FONT_CANDIDATES if __import__("os").path.exists(path)):
        assert any("WenQuanYi" in str(name) or "AllianceCJK" in str(name) or "+" in str(name) for name in fonts)
    else:
        assert any("STSong" in str(name) for name in fonts)


def test_approval_meeting_and_publication_date_are_in_the_pdf(api, users, create_item, city):
    meeting = force_state(
        create_item("meeting", title="Halbjahrestreffen 2/2026 Aachen", year=2026, half=2, host_city=city("Aachen")),
        "held",
    )
    item = create_item("work_plan", owner=users["editor"], title="Arbeitsplan 2027")
    item = force_state(item, "approved", approved_revision=item.revision, approved_meeting=meeting.pk)
    published = engine.fire(users["approver"], item, "publish")
    version = PublishedVersion.objects.get(item=item.pk)
    data = api.call("GET", f"/versions/{version.pk}/v1/0/{version.files[0].sha256[:16]}", users["member"]).data
    text = _pdf_text(data)
    assert "the half-yearly meeting 2/2026 in Aachen" in text and published.published_at.strftime("%Y-%m-%d") in text


def test_the_next_publication_is_v2_and_v1_stays_as_it_was(api, users, create_item):
    item = create_item("mou", owner=users["editor"], title="MoU", body="<p>Fassung eins</p>")
    _publish(users, item)
    first = PublishedVersion.objects.get(item=item.pk, number=1)
    first_bytes = api.call("GET", f"/versions/{first.pk}/v1/0/{first.files[0].sha256[:16]}", users["member"]).data
    Content._get_collection().update_one({"_id": item.pk}, {"$set": {"body": "<p>Fassung zwei</p>", "revision": 2}})
    _publish(users, Content.objects.get(pk=item.pk))
    versions = api.call("GET", f"/api/v1/content/{item.pk}/versions", users["member"]).get_json()
    assert [(v["version"], v["revision"]) for v in versions] == [(1, 1), (2, 2)]
    again = api.call("GET", versions[0]["files"][0]["url"], users["member"])
    assert again.data == first_bytes and "Fassung eins" in _pdf_text(again.data)
    assert "Fassung zwei" in _pdf_text(api.call("GET", versions[1]["files"][0]["url"], users["member"]).data)


def test_version_files_are_404_with_a_wrong_address_and_never_writable(api, users, create_item):
    item = create_item("news", owner=users["editor"], public=True)
    engine.fire(users["reviewer"], force_state(item, "in_review"), "publish")
    version = PublishedVersion.objects.get(item=item.pk)
    good = f"/versions/{version.pk}/v1/0/{version.files[0].sha256[:16]}"
    response = api.call("GET", good)
    assert response.status_code == 200 and response.headers["Cache-Control"].startswith("public")
    for bad in (
        f"/versions/{version.pk}/v2/0/{version.files[0].sha256[:16]}",
        f"/versions/{version.pk}/v1/5/x",
        f"/versions/{version.pk}/v1/0/{'0' * 16}",
        "/versions/abc/v1/0/x",
    ):
        assert api.call("GET", bad).status_code == 404
    for method in ("PUT", "POST", "DELETE", "PATCH"):
        assert api.call(method, good, users["admin"]).status_code == 405
    assert api.call("GET", good, headers={"If-None-Match": f'"{version.files[0].sha256}"'}).status_code == 304


def test_an_interrupted_freeze_is_completed_by_the_repair_not_by_a_read(app, api, users, create_item):
    # What the engine leaves if the process dies right after writing the state.
    item = force_state(create_item("news", owner=users["editor"], public=True), "published", publication_pending=True)
    assert api.call("GET", f"/api/v1/content/{item.pk}/versions").get_json() == []
    assert PublishedVersion.objects(item=item.pk).count() == 0  # reading wrote nothing
    with app.app_context():
        assert publication.repair() == [str(item.pk)]
        assert publication.repair() == []  # done once
    versions = api.call("GET", f"/api/v1/content/{item.pk}/versions").get_json()
    assert [v["version"] for v in versions] == [1]
    assert Content.objects.get(pk=item.pk).publication_pending is None


def test_the_document_page_lists_every_version_with_its_files(browser, users, create_item, client):
    item = create_item("mou", owner=users["editor"], title="MoU der Allianz")
    _publish(users, item)
    Content._get_collection().update_one({"_id": item.pk}, {"$set": {"revision": 2}})
    _publish(users, Content.objects.get(pk=item.pk))
    browser.login(users["member"].email)
    page = client.get(f"/en/documents/{item.pk}").get_data(as_text=True)
    assert "Version 1" in page and "Version 2" in page
    # Each version's PDF: a link that opens it in the browser and one that downloads it.
    assert len(re.findall(r'href="/versions/[^"]+/view"', page)) == 2
    assert len(re.findall(r'href="/versions/[^"]+" download', page)) == 2
