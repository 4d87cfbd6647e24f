"""PDFs open in the browser (inline, named) with a separate download; everything else is always a download."""

import re

import pytest

from cms.downloads import version_links, view_url
from content_types import PublishedVersion
from tests.test_attachments import DOCX, PDF, PNG, _upload
from tests.test_published_versions import _publish


def _disposition(response) -> str:
    return response.headers["Content-Disposition"].split(";")[0]


def _safe(response) -> None:
    # Inline or not, the browser must not guess the type, and the page's CSP still applies.
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "object-src 'none'" in response.headers["Content-Security-Policy"]


def test_only_pdfs_get_a_view_address():
    class Stored:
        content_type = "application/pdf"

    assert view_url(Stored, "/files/x/y") == "/files/x/y/view"
    Stored.content_type = "image/png"
    assert view_url(Stored, "/files/x/y") is None


def test_a_drafts_pdf_opens_inline_and_other_files_download(api, users, create_item, client):
    item = create_item("work_plan", owner=users["editor"])
    pdf = _upload(api, users["editor"], item, PDF, "Anlage 2027.pdf").get_json()
    docx = _upload(api, users["editor"], item, DOCX, "Liste.docx").get_json()

    shown = api.call("GET", pdf["url"] + "/view", users["editor"])
    assert shown.status_code == 200 and shown.data == PDF
    assert _disposition(shown) == "inline" and shown.headers["Content-Disposition"].endswith(
        'filename="Anlage 2027.pdf"'
    )
    saved = api.call("GET", pdf["url"], users["editor"])
    assert _disposition(saved) == "attachment" and saved.data == PDF
    office = api.call("GET", docx["url"] + "/view", users["editor"])
    assert office.status_code == 200 and _disposition(office) == "attachment"
    for response in (shown, saved, office):
        _safe(response)
    # The view address asks the same question as the download: a draft's file does not exist for others.
    assert client.get(pdf["url"] + "/view").status_code == 404
    assert api.call("GET", pdf["url"] + "/view", users["member"]).status_code == 404


def test_a_published_versions_pdfs_open_inline_with_a_download_link(api, users, create_item, client, browser):
    item = create_item("work_plan", owner=users["editor"], title="Arbeitsplan 2027")
    _upload(api, users["editor"], item, PDF, "Anlage.pdf")
    _upload(api, users["editor"], item, PNG, "Logo.png")
    _publish(users, item)
    version = PublishedVersion.objects.get(item=item.pk)
    links = {file.name: (url, view) for file, url, view in version_links(version)}
    assert links["Logo.png"][1] is None
    pdf_names = [name for name in links if name.endswith(".pdf")]
    assert len(pdf_names) == 2  # the text's PDF and the attached one

    for name in pdf_names:
        url, view = links[name]
        shown = api.call("GET", view, users["member"])
        assert shown.status_code == 200 and _disposition(shown) == "inline"
        assert shown.headers["Content-Type"] == "application/pdf" and "filename" in shown.headers["Content-Disposition"]
        assert _disposition(api.call("GET", url, users["member"])) == "attachment"
        _safe(shown)
    image = api.call("GET", links["Logo.png"][0] + "/view", users["member"])
    assert image.status_code == 200 and _disposition(image) == "attachment"

    browser.login(users["member"].email)
    page = client.get(f"/de/documents/{item.pk}").get_data(as_text=True)
    for name in pdf_names:
        url, view = links[name]
        assert f'href="{view}"' in page and f'href="{url}" download' in page
    assert f'href="{links["Logo.png"][0]}" download' in page and "Logo.png</a>" in page
    assert len(re.findall(r">Herunterladen<", page)) == 2  # one download button per PDF


@pytest.mark.parametrize("suffix", ["/view/", "/viewx", "/view/view"])
def test_other_addresses_are_404(api, users, create_item, suffix):
    item = create_item("work_plan", owner=users["editor"])
    pdf = _upload(api, users["editor"], item, PDF, "a.pdf").get_json()
    assert api.call("GET", pdf["url"] + suffix, users["editor"]).status_code == 404
