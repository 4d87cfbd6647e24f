"""The newsletter by mail, through a real SMTP server: double opt-in, the issue in each subscriber's language,
one-click unsubscribing (RFC 8058), and signed links that can't be forged, altered or used for something else."""

from datetime import datetime, timedelta

from itsdangerous import URLSafeTimedSerializer

from cms.mail import newsletter as newsletter_mail
from content_types import OutboxMessage, PublishedVersion, Subscriber
from tests.conftest import csrf_token_from
from tests.newsletter_support import (
    confirm,
    delivered,
    draft_issue,
    link_in,
    news,
    publish,
    publish_issue,
    subscribe,
    text_of,
)
from workflows import engine


def _status(email):
    return Subscriber.objects.get(email=email).status


def _confirmed(client, smtp, email, language):
    subscribe(client, email, language)
    (mail,) = delivered(client.application, smtp, email)
    assert confirm(client, link_in(mail, "confirm")).status_code == 200
    assert _status(email) == "confirmed"
    return mail


def test_subscribe_confirm_publish_the_confirmed_subscriber_gets_the_issue_in_their_language(
    app, client, users, create_item, smtp
):
    in_period = news(create_item, users["editor"], "Jahrestreffen in Foshan", datetime(2026, 11, 13), summary="Kurz")
    news(create_item, users["editor"], "Alte Meldung", datetime(2026, 3, 1))  # before the period
    news(create_item, users["editor"], "Entwurf ohne Veröffentlichung")  # a draft

    assert subscribe(client, "li@example.cn", "zh").status_code == 303
    assert subscribe(client, "pending@example.de", "de").status_code == 303
    (confirmation,) = delivered(app, smtp, "li@example.cn")
    assert confirmation["Subject"] == "请确认订阅联盟通讯"
    assert "List-Unsubscribe" not in confirmation
    link = link_in(confirmation, "confirm")
    assert link.startswith("/zh/newsletter/confirm/")
    # Opening the link (as a mail scanner would) confirms nothing; the page's button does.
    page = client.get(link)
    assert page.status_code == 200 and "确认订阅" in page.get_data(as_text=True)
    assert _status("li@example.cn") == "pending"
    assert confirm(client, link).status_code == 200
    assert _status("li@example.cn") == "confirmed"
    assert _status("pending@example.de") == "pending"
    smtp.inbox.messages.clear()

    publish_issue(app, users, title="Newsletter 2/2026")

    (issue,) = delivered(app, smtp, "li@example.cn")
    assert smtp.inbox.to("pending@example.de") == []  # never confirmed: nothing
    assert issue["Subject"] == "通讯：Newsletter 2/2026"
    text = text_of(issue)
    assert "Jahrestreffen in Foshan" in text and "Kurz" in text and f"/zh/documents/{in_period.pk}" in text
    assert "Alte Meldung" not in text and "Entwurf" not in text
    assert "Liebe Leserinnen." in text and "本期仅有德文版。" in text
    # One-click unsubscribing (RFC 8058): the same signed link in the headers and in the text.
    unsubscribe = link_in(issue, "unsubscribe")
    assert issue["List-Unsubscribe"] == f"<http://127.0.0.1:5000{unsubscribe}>"
    assert issue["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_one_click_post_unsubscribes_without_a_session_or_csrf_token(app, client, users, smtp):
    _confirmed(client, smtp, "anna@example.de", "de")
    publish_issue(app, users, title="Erste Ausgabe")
    (issue,) = [mail for mail in delivered(app, smtp, "anna@example.de") if "Erste Ausgabe" in mail["Subject"]]
    path = issue["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:5000")

    # What a mail program's server sends: no cookie, no token, the RFC 8058 body.
    mail_program = app.test_client()
    response = mail_program.post(
        path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert _status("anna@example.de") == "unsubscribed"
    # Again: harmless.
    assert mail_program.post(path, data="List-Unsubscribe=One-Click").status_code == 200
    smtp.inbox.messages.clear()
    publish_issue(app, users, title="Zweite Ausgabe")
    assert delivered(app, smtp, "anna@example.de") == []


def test_the_unsubscribe_page_changes_nothing_until_its_one_button_is_pressed(app, client, users, smtp):
    _confirmed(client, smtp, "ben@example.de", "en")
    publish_issue(app, users)
    issue = delivered(app, smtp, "ben@example.de")[-1]
    path = link_in(issue, "unsubscribe")
    assert path.startswith("/en/newsletter/unsubscribe/")

    page = app.test_client().get(path)

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count("<button") == 1  # one button (an anonymous visitor's header has none)
    assert f'action="{path}"' in html
    assert _status("ben@example.de") == "confirmed"
    assert app.test_client().post(path).status_code == 200
    assert _status("ben@example.de") == "unsubscribed"


def _unsubscribe_path(client, smtp, users, email):
    _confirmed(client, smtp, email, "de")
    publish_issue(client.application, users)
    return link_in(delivered(client.application, smtp, email)[-1], "unsubscribe")


def _altered(token: str) -> str:
    # One character inside the signature changed (the last one carries padding bits: changing it may not).
    position = len(token) - 5
    return token[:position] + ("A" if token[position] != "A" else "B") + token[position + 1 :]


def test_forged_altered_and_other_purpose_tokens_are_refused_and_change_nothing(app, client, users, smtp):
    unsubscribe = _unsubscribe_path(client, smtp, users, "carla@example.de")
    confirmation = link_in(smtp.inbox.to("carla@example.de")[0], "confirm")
    subscriber = Subscriber.objects.get(email="carla@example.de")
    forged = URLSafeTimedSerializer("not-the-site-secret-0123456789", salt="alliance-cms:newsletter-unsubscribe")
    unsubscribe_token = unsubscribe.rsplit("/", 1)[1]
    confirm_token = confirmation.rsplit("/", 1)[1]
    refused = [
        f"/de/newsletter/unsubscribe/{forged.dumps({'s': str(subscriber.pk)})}",  # signed with another key
        f"/de/newsletter/unsubscribe/{_altered(unsubscribe_token)}",
        f"/de/newsletter/unsubscribe/{confirm_token}",  # a confirmation token is no unsubscribe token
        "/de/newsletter/unsubscribe/" + "x" * 400,
        "/de/newsletter/unsubscribe/nonsense",
    ]
    for path in refused:
        for method in ("GET", "POST"):
            response = app.test_client().open(path, method=method)
            assert response.status_code == 400, (method, path)
            assert "链接" in response.get_data(as_text=True) or "Link" in response.get_data(as_text=True)
    assert _status("carla@example.de") == "confirmed"

    # The other way round: an unsubscribe token confirms nothing.
    Subscriber.objects(email="carla@example.de").update_one(set__status="pending")
    for path in (f"/de/newsletter/confirm/{unsubscribe_token}", f"/de/newsletter/confirm/{_altered(confirm_token)}"):
        assert client.get(path).status_code == 400
        assert client.post(path, data={}).status_code == 400
    assert _status("carla@example.de") == "pending"


def test_an_expired_confirmation_link_is_refused(app, client, smtp, monkeypatch):
    subscribe(client, "late@example.de", "de")
    path = link_in(delivered(app, smtp, "late@example.de")[0], "confirm")
    hours = app.config["CMS_NEWSLETTER_CONFIRM_HOURS"]
    later = datetime.now() + timedelta(hours=hours + 1)
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later.timestamp())

    response = client.get(path)

    assert response.status_code == 400 and "abgelaufen" in response.get_data(as_text=True)
    assert _status("late@example.de") == "pending"


def test_re_subscribing_after_unsubscribing_needs_a_new_confirmation(app, client, users, smtp):
    unsubscribe = _unsubscribe_path(client, smtp, users, "dora@example.de")
    first_confirmation = link_in(smtp.inbox.to("dora@example.de")[0], "confirm")
    assert app.test_client().post(unsubscribe).status_code == 200

    # The old confirmation link can't bring the address back.
    page = client.get(first_confirmation)
    assert page.status_code == 400
    assert _status("dora@example.de") == "unsubscribed"

    smtp.inbox.messages.clear()
    assert subscribe(client, "dora@example.de", "de").status_code == 303
    assert _status("dora@example.de") == "pending"
    (again,) = delivered(app, smtp, "dora@example.de")
    publish_issue(app, users, title="Während der Bestätigung")
    assert [mail["Subject"] for mail in delivered(app, smtp, "dora@example.de")] == [again["Subject"]]

    assert confirm(client, link_in(again, "confirm")).status_code == 200
    assert _status("dora@example.de") == "confirmed"


def test_confirming_twice_is_harmless(app, client, smtp):
    subscribe(client, "emil@example.de", "de")
    path = link_in(delivered(app, smtp, "emil@example.de")[0], "confirm")
    assert confirm(client, path).status_code == 200
    first = Subscriber.objects.get(email="emil@example.de").confirmed_at

    again = client.get(path)
    assert again.status_code == 200 and "Anmeldung bestätigt" in again.get_data(as_text=True)
    # The button pressed a second time (the same session's token, from any of its forms).
    token = csrf_token_from(client.get("/de/newsletter").get_data(as_text=True))
    assert client.post(path, data={"csrf_token": token}).status_code == 200
    assert Subscriber.objects.get(email="emil@example.de").confirmed_at == first
    assert _status("emil@example.de") == "confirmed"


def test_publishing_writes_one_message_per_subscriber_and_repeating_it_adds_none(app, client, users, smtp):
    for email in ("f1@example.de", "f2@example.de"):
        _confirmed(client, smtp, email, "de")
    smtp.inbox.messages.clear()
    issue = publish_issue(app, users)
    assert OutboxMessage.objects(kind="newsletter").count() == 2

    # The publication step repaired after a crash sends its signal again.
    with app.app_context():
        newsletter_mail.on_published(issue, version=PublishedVersion.objects.get(item=issue.pk))

    assert OutboxMessage.objects(kind="newsletter").count() == 2
    delivered(app, smtp, "f1@example.de")
    subscribers = [recipient for recipient in smtp.inbox.recipients() if recipient.endswith("@example.de")]
    assert sorted(subscribers) == ["f1@example.de", "f2@example.de"]


def test_a_subscriber_whose_language_is_being_translated_gets_that_translation(app, client, users, smtp):
    _confirmed(client, smtp, "wang@example.cn", "zh")
    _confirmed(client, smtp, "otto@example.de", "de")
    _confirmed(client, smtp, "eve@example.org", "en")
    smtp.inbox.messages.clear()
    german = draft_issue(users, "Ausgabe 2/2026")
    chinese = draft_issue(
        users, "2026年第2期", language="zh", translation_group=german.translation_group, translation_of=german.pk
    )
    with app.app_context():
        publish(users, german)
        publish(users, chinese)

    delivered(app, smtp, "otto@example.de")
    # Staff were told of the steps too (test_mail_notifications); here: what the subscribers got.
    received = [(recipient, mail) for recipient, mail in smtp.inbox.messages if "test.example" not in recipient]
    subjects = {recipient: mail["Subject"] for recipient, mail in received}
    assert subjects == {
        "otto@example.de": "Newsletter: Ausgabe 2/2026",
        "eve@example.org": "Newsletter: Ausgabe 2/2026",  # no English issue: the German one
        "wang@example.cn": "通讯：2026年第2期",
    }
    assert len(received) == 3


def test_circulars_carry_no_unsubscribe_link(app, users, smtp):
    from content_types import Circular, MemberCity
    from content_types.city import Contact

    aachen = MemberCity.objects.get(name_de="Aachen")
    aachen.contacts = [Contact(name="Anna Schmidt", email="anna@aachen.example")]
    aachen.save()
    circular = Circular(title="Rundschreiben", subject="Einladung", language="de", recipients=[aachen])
    circular.owner = users["editor"]
    engine.initialize(circular)
    circular.assign_number()
    circular.save_revision()
    with app.app_context():
        engine.fire(users["editor"], circular, "submit")
        engine.fire(users["reviewer"], Circular.objects.get(pk=circular.pk), "publish")

    (mail,) = delivered(app, smtp, "anna@aachen.example")

    assert "List-Unsubscribe" not in mail and "List-Unsubscribe-Post" not in mail
    assert "/newsletter/unsubscribe/" not in text_of(mail)
