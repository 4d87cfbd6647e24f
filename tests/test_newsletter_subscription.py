"""Subscribing on the public site: CSRF, a clear error for a bad address, and the same answer for every address."""

import pytest
from itsdangerous import URLSafeTimedSerializer

from cms.mail import tokens
from content_types import OutboxMessage, Subscriber
from tests.conftest import csrf_token_from
from tests.newsletter_support import subscribe

SECRET = "a-secret-of-at-least-sixteen-chars"


# --- the signed links, without an app -----------------------------------------------------------------


def test_a_token_reads_back_only_for_its_own_purpose_and_key():
    token = tokens.make_token(SECRET, tokens.CONFIRM, {"s": "abc", "n": "1"})
    assert tokens.read_token(SECRET, tokens.CONFIRM, token) == {"s": "abc", "n": "1"}
    for secret, purpose, text in (
        (SECRET, tokens.UNSUBSCRIBE, token),  # made for another purpose
        ("another-secret-of-sixteen-chars", tokens.CONFIRM, token),
        (SECRET, tokens.CONFIRM, token[:-2] + ("AA" if token[-2:] != "AA" else "BB")),  # altered
        (SECRET, tokens.CONFIRM, token.replace(".", "", 1)),  # cut
        (SECRET, tokens.CONFIRM, ""),
        (SECRET, tokens.CONFIRM, "x" * (tokens.MAX_LENGTH + 1)),
    ):
        with pytest.raises(tokens.InvalidLink) as refused:
            tokens.read_token(secret, purpose, text)
        assert refused.value.status == 400


def test_a_signed_payload_that_is_not_ours_is_refused():
    # Signed with our key and salt, but not a payload this module makes.
    odd = URLSafeTimedSerializer(SECRET, salt=f"alliance-cms:{tokens.UNSUBSCRIBE}").dumps(["s", 1])
    with pytest.raises(tokens.InvalidLink):
        tokens.read_token(SECRET, tokens.UNSUBSCRIBE, odd)


def test_an_old_token_is_expired_when_a_maximum_age_is_asked(monkeypatch):
    token = tokens.make_token(SECRET, tokens.CONFIRM, {"s": "abc", "n": "1"})
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: 10**10)
    with pytest.raises(tokens.ExpiredLink):
        tokens.read_token(SECRET, tokens.CONFIRM, token, max_age=3600)
    assert tokens.read_token(SECRET, tokens.CONFIRM, token) == {"s": "abc", "n": "1"}  # no limit: still good


def test_an_unknown_purpose_is_a_programming_error():
    with pytest.raises(ValueError):
        tokens.make_token(SECRET, "reset-password", {"s": "abc"})


# --- the page -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["not-an-address", "anna@", "anna@example.org\r\nBcc: x@evil.example", "a" * 250 + "@example.org", ""],
)
def test_a_bad_address_gets_a_form_error_and_nothing_is_stored(client, address):
    response = subscribe(client, address, "de")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'class="flash flash-error"' in page and "E-Mail-Adresse" in page
    assert Subscriber.objects.count() == 0 and OutboxMessage.objects.count() == 0


def test_a_post_without_the_csrf_token_is_refused(client):
    response = client.post("/en/newsletter", data={"email": "anna@example.org"})
    assert response.status_code == 400
    assert Subscriber.objects.count() == 0


def _answer(client, email) -> tuple[int, str]:
    response = subscribe(client, email, "en")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    flash = page.split('class="flash flash-success">', 1)[1].split("</p>", 1)[0]
    return response.status_code, flash


def test_the_answer_is_the_same_whether_the_address_is_new_pending_confirmed_or_unsubscribed(client):
    answers = {"new": _answer(client, "new@example.org")}
    answers["pending"] = _answer(client, "new@example.org")
    Subscriber.objects(email="new@example.org").update_one(set__status="confirmed")
    answers["confirmed"] = _answer(client, "NEW@example.org")
    Subscriber.objects(email="new@example.org").update_one(set__status="unsubscribed")
    answers["unsubscribed"] = _answer(client, "new@example.org")

    assert len(set(answers.values())) == 1, answers
    assert answers["new"][0] == 303
    # One address, one subscriber; a confirmation for the first request and again after unsubscribing, none between.
    assert Subscriber.objects.count() == 1
    assert OutboxMessage.objects(kind="newsletter_confirmation").count() == 2


def test_the_subscriber_reads_the_language_of_the_page_they_subscribed_on(client):
    subscribe(client, "li@example.cn", "zh")
    (message,) = OutboxMessage.objects(recipient="li@example.cn")
    assert Subscriber.objects.get(email="li@example.cn").language == "zh" and message.language == "zh"
    assert "/zh/newsletter/confirm/" in message.text


def test_the_news_page_links_to_the_newsletter_and_the_newsletter_page_has_the_form(client):
    assert "/de/newsletter" in client.get("/de/news").get_data(as_text=True)
    page = client.get("/zh/newsletter").get_data(as_text=True)
    assert csrf_token_from(page) and 'type="email"' in page and "订阅" in page
    assert client.get("/newsletter").status_code == 302


def test_one_address_gets_at_most_three_confirmations_a_week_however_often_it_is_entered(client, monkeypatch):
    from datetime import timedelta

    from cms.operations import subscriptions
    from content_types.base import utcnow

    for _attempt in range(5):
        # Each time past the quarter hour in which a pending address is not asked again.
        Subscriber.objects(email="victim@example.org").update_one(set__subscribed_at=utcnow() - timedelta(hours=1))
        assert _answer(client, "victim@example.org")[0] == 303  # the same answer every time
    assert OutboxMessage.objects(kind="newsletter_confirmation", recipient="victim@example.org").count() == (
        subscriptions.CONFIRMATIONS_PER_WEEK
    )


def test_one_client_address_may_subscribe_only_so_often_in_a_day(app, client):
    limit = app.config["CMS_NEWSLETTER_PER_ADDRESS"]
    for number in range(limit):
        assert subscribe(client, f"reader{number}@example.org", "en").status_code == 303
    refused = subscribe(client, "one.more@example.org", "en")
    assert refused.status_code == 429 and "Too many subscriptions" in refused.get_data(as_text=True)
    assert not Subscriber.objects(email="one.more@example.org").first()
