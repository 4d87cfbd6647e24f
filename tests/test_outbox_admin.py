"""The outbox in the admin: for admins only, filtered, each mail shown safely, failed ones resent; mail previews."""

import re
from datetime import timedelta

import pytest

from cms.mail import kinds, outbox, sender
from cms.mail.outbox import Recipient
from content_types import AuditEntry, OutboxMessage
from content_types.base import LANGUAGES, utcnow
from tests.conftest import csrf_token_from, logged_in
from tests.mail_support import STEP

PAYLOAD = '<script>document.title="pwned"</script><img src=x onerror=alert(1)>'


@pytest.fixture
def write(app):
    """Write a step_taken message to `email` (with `comment`), in the app; return it."""

    def make(email="owner@test.example", occasion="one", language="de", comment="", **fields):
        with app.app_context():
            message = outbox.put("step_taken", occasion, Recipient(email, language), {**STEP, "comment": comment})
        if fields:
            OutboxMessage.objects(pk=message.pk).update_one(**{f"set__{name}": value for name, value in fields.items()})
        return OutboxMessage.objects.get(pk=message.pk)

    return make


def _urls(message_id) -> list[str]:
    return [
        "/admin/outbox/",
        f"/admin/outbox/message/?id={message_id}",
        f"/admin/outbox/message/html?id={message_id}",
        "/admin/outbox/previews/",
        "/admin/outbox/preview/?kind=circular&language=zh",
        "/admin/outbox/preview/html?kind=circular&language=zh",
    ]


@pytest.mark.parametrize("role", ["editor", "reviewer", "approver", "member"])
def test_only_admins_read_the_outbox(app, users, write, role):
    message = write()
    client = logged_in(app, users[role])
    for url in _urls(message.pk):
        assert client.get(url).status_code == 403, url
    admin = logged_in(app, users["admin"])
    for url in _urls(message.pk):
        assert admin.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_the_login(client, write):
    message = write()
    for url in _urls(message.pk):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_staff_other_than_admins_cannot_resend_even_with_a_valid_form(app, users, write):
    message = write(status="failed", last_error="550 no such user")
    client = logged_in(app, users["editor"])
    token = csrf_token_from(client.get("/admin/").get_data(as_text=True))
    response = client.post("/admin/outbox/resend/", data={"id": str(message.pk), "csrf_token": token})
    assert response.status_code == 403
    assert OutboxMessage.objects.get(pk=message.pk).status == "failed"
    member = logged_in(app, users["member"])
    token = csrf_token_from(member.get("/en/members").get_data(as_text=True))
    assert member.post("/admin/outbox/resend/", data={"id": str(message.pk), "csrf_token": token}).status_code == 403
    assert OutboxMessage.objects.get(pk=message.pk).status == "failed"


def _listed(page: str) -> list[str]:
    # The recipients in the order the list shows them.
    return re.findall(r"[\w.]+@list\.example", page)


def test_the_list_is_newest_first_filtered_by_status_kind_and_recipient_and_paged(app, users, write):
    now = utcnow()
    write("old@list.example", "a", created=now - timedelta(hours=3), status="sent")
    write("failed@list.example", "b", created=now - timedelta(hours=2), status="failed")
    write("unsure@list.example", "c", created=now - timedelta(hours=1), status="unconfirmed")
    write("new@list.example", "d", created=now)
    client = logged_in(app, users["admin"])

    everything = client.get("/admin/outbox/").get_data(as_text=True)
    assert _listed(everything) == ["new@list.example", "unsure@list.example", "failed@list.example", "old@list.example"]
    assert _listed(client.get("/admin/outbox/?flt0_0=failed").get_data(as_text=True)) == ["failed@list.example"]
    assert _listed(client.get("/admin/outbox/?flt0_0=unconfirmed").get_data(as_text=True)) == ["unsure@list.example"]
    assert _listed(client.get("/admin/outbox/?flt0_0=pending").get_data(as_text=True)) == ["new@list.example"]
    assert _listed(client.get("/admin/outbox/?flt0_0=sent").get_data(as_text=True)) == ["old@list.example"]
    assert len(_listed(client.get("/admin/outbox/?flt0_1=step_taken").get_data(as_text=True))) == 4
    assert _listed(client.get("/admin/outbox/?flt0_1=circular").get_data(as_text=True)) == []
    by_recipient = client.get("/admin/outbox/?flt0_2=%20New@List.example").get_data(as_text=True)
    assert _listed(by_recipient) == ["new@list.example"]
    assert _listed(client.get("/admin/outbox/?search=unsure@list").get_data(as_text=True)) == ["unsure@list.example"]
    assert _listed(client.get("/admin/outbox/?search=(a%2B)%2B$").get_data(as_text=True)) == []  # taken literally
    # Filter values are the listed ones only; hostile ones are refused, not passed to the database.
    assert client.get("/admin/outbox/?flt0_0=%00").status_code == 400

    for index in range(26):
        write(f"many{index:02d}@list.example", f"many{index}", created=now + timedelta(minutes=index + 1))
    first = _listed(client.get("/admin/outbox/").get_data(as_text=True))
    second = _listed(client.get("/admin/outbox/?page=1").get_data(as_text=True))
    assert first == [f"many{index:02d}@list.example" for index in range(25, 0, -1)]
    assert second == [
        "many00@list.example",
        "new@list.example",
        "unsure@list.example",
        "failed@list.example",
        "old@list.example",
    ]


def test_a_message_page_shows_everything_and_its_html_only_sandboxed(app, users, write):
    message = write(comment=PAYLOAD, status="failed", attempts=3, last_error="SMTPDataError: 550 no")
    OutboxMessage.objects(pk=message.pk).update_one(
        push__attachments={
            "bucket": "version_files",
            "file_id": message.pk,
            "name": "plan-v1.pdf",
            "content_type": "application/pdf",
        }
    )
    client = logged_in(app, users["admin"])
    page = client.get(f"/admin/outbox/message/?id={message.pk}").get_data(as_text=True)
    for shown in ("owner@test.example", message.subject, "plan-v1.pdf", "SMTPDataError: 550 no", "Deutsch"):
        assert shown in page, shown
    # The user's text is shown escaped in the page, and the HTML only inside a sandboxed frame of its own.
    assert "<script>document.title" not in page and "&lt;script&gt;document.title" in page
    assert re.search(
        r'<iframe class="mail-frame" sandbox="" src="/admin/outbox/message/html\?id=' + str(message.pk), page
    )

    html = client.get(f"/admin/outbox/message/html?id={message.pk}")
    assert html.status_code == 200 and html.mimetype == "text/html"
    assert "Zurückgeben" in html.get_data(as_text=True)
    _assert_sandboxed(html)


def _assert_sandboxed(response) -> None:
    """The response's CSP lets nothing run or load: sandboxed without allow-scripts, no script source at all."""
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in response.headers["Content-Security-Policy"].split(";")
        if directive.strip()
    }
    assert policy["sandbox"] == []  # no allow-scripts, allow-same-origin, allow-forms, allow-popups
    assert policy["default-src"] == ["'none'"] and "script-src" not in policy
    assert policy["frame-ancestors"] == ["'self'"] and response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_other_pages_still_refuse_to_be_framed(app, users):
    response = logged_in(app, users["admin"]).get("/admin/outbox/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_unknown_or_malformed_messages_and_previews_are_404(app, users):
    client = logged_in(app, users["admin"])
    for url in (
        "/admin/outbox/message/?id=abc",
        "/admin/outbox/message/?id=0123456789abcdef01234567",
        "/admin/outbox/message/html?id=0123456789abcdef0123456",
        "/admin/outbox/preview/?kind=nonsense&language=de",
        "/admin/outbox/preview/?kind=circular&language=fr",
        "/admin/outbox/preview/html?kind=__class__&language=de",
    ):
        assert client.get(url).status_code == 404, url


def test_an_admin_resends_a_failed_mail_and_it_is_delivered_once(app, users, write, smtp):
    message = write("anna@aachen.example")
    smtp.inbox.refuse = "550 Mailbox unavailable"
    with app.app_context():
        assert len(sender.deliver_due().failed) == 1
    assert OutboxMessage.objects.get(pk=message.pk).status == "failed"
    smtp.inbox.refuse = None

    client = logged_in(app, users["admin"])
    page = client.get(f"/admin/outbox/message/?id={message.pk}").get_data(as_text=True)
    assert "Mailbox unavailable" in page
    assert "Send again" in page
    response = client.post("/admin/outbox/resend/", data={"id": str(message.pk), "csrf_token": csrf_token_from(page)})
    assert response.status_code == 303 and f"id={message.pk}" in response.headers["Location"]
    assert OutboxMessage.objects.get(pk=message.pk).status == "pending"
    assert AuditEntry.objects(event="mail_resent", actor=users["admin"].pk).count() == 1

    with app.app_context():
        assert len(sender.deliver_due().sent) == 1
    (received,) = smtp.inbox.to("anna@aachen.example")
    assert received["Subject"] == message.subject
    # Sent now: there is nothing to resend, and asking again changes nothing.
    page = client.get(f"/admin/outbox/message/?id={message.pk}").get_data(as_text=True)
    assert "Send again" not in page
    again = client.post("/admin/outbox/resend/", data={"id": str(message.pk), "csrf_token": csrf_token_from(page)})
    assert again.status_code == 422 and "failed or is unconfirmed" in again.get_data(as_text=True)
    assert OutboxMessage.objects.get(pk=message.pk).status == "sent"
    with app.app_context():
        assert sender.deliver_due(now=utcnow() + timedelta(days=2)).sent == []
    assert len(smtp.inbox.messages) == 1


def test_resending_needs_the_form_token(app, users, write):
    message = write(status="failed")
    client = logged_in(app, users["admin"])
    assert client.post("/admin/outbox/resend/", data={"id": str(message.pk)}).status_code == 400
    assert client.get(f"/admin/outbox/resend/?id={message.pk}").status_code == 405
    assert OutboxMessage.objects.get(pk=message.pk).status == "failed"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(kinds.KINDS))
def test_every_kind_of_mail_previews_in_every_language(app, users, name, language):
    client = logged_in(app, users["admin"])
    with app.test_request_context():
        expected = kinds.preview(name, language)
    page = client.get(f"/admin/outbox/preview/?kind={name}&language={language}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert expected.subject and _escaped(expected.subject) in text
    assert _escaped(expected.text.strip().splitlines()[0]) in text
    html = client.get(f"/admin/outbox/preview/html?kind={name}&language={language}")
    assert html.status_code == 200 and f'<html lang="{language}">' in html.get_data(as_text=True)
    _assert_sandboxed(html)


def test_previews_are_in_the_language_asked_for(app, users):
    client = logged_in(app, users["admin"])
    pages = {
        language: client.get(f"/admin/outbox/preview/html?kind=work_waiting&language={language}").get_data(as_text=True)
        for language in LANGUAGES
    }
    assert "Arbeitsplan 2027" in pages["de"] and "2027年工作计划" in pages["zh"]
    assert "Work plan 2027" in pages["en"] and "Work plan 2027" not in pages["de"]


def test_the_previews_list_links_every_kind_in_every_language(app, users):
    page = logged_in(app, users["admin"]).get("/admin/outbox/previews/").get_data(as_text=True)
    for name in kinds.KINDS:
        for language in LANGUAGES:
            assert f"/admin/outbox/preview/?kind={name}&amp;language={language}" in page


def test_the_dashboard_shows_admins_the_undelivered_mail_with_links_to_the_filtered_outbox(app, users, write):
    write("a@list.example", "a", status="failed")
    write("b@list.example", "b", status="failed")
    write("c@list.example", "c", status="unconfirmed")
    write("d@list.example", "d", status="sent")
    page = logged_in(app, users["admin"]).get("/admin/").get_data(as_text=True)
    assert 'id="undelivered-mail"' in page and "Failed: 2" in page and "Unconfirmed (perhaps sent): 1" in page
    assert 'href="/admin/outbox/?flt0_0=failed"' in page and 'href="/admin/outbox/?flt0_0=unconfirmed"' in page
    assert 'id="undelivered-mail"' not in logged_in(app, users["editor"]).get("/admin/").get_data(as_text=True)


def test_the_outbox_is_in_the_admins_menu_only(app, users):
    assert 'href="/admin/outbox/"' in logged_in(app, users["admin"]).get("/admin/").get_data(as_text=True)
    assert 'href="/admin/outbox/"' not in logged_in(app, users["editor"]).get("/admin/").get_data(as_text=True)


def _escaped(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;").replace("'", "&#39;")
    )


def test_the_text_part_speaks_the_recipients_language_too(app):
    # The .txt templates are in the catalogs as well (translations/babel.cfg), not only the HTML ones.
    with app.test_request_context():
        german = kinds.preview("step_taken", "de").text
        chinese = kinds.preview("step_taken", "zh").text
    assert "Kommentar:" in german and "Im CMS öffnen:" in german
    assert "意见：" in chinese and "在内容管理系统中打开：" in chinese
