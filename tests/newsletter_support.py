"""Helpers for the newsletter tests: subscribing through the page, links from received mail, an issue published."""

import re
from datetime import date, datetime

from cms.mail import sender
from content_types import Newsletter
from tests.conftest import csrf_token_from
from tests.workflow_helpers import force_state
from workflows import engine

SITE = "http://127.0.0.1:5000"  # the test configuration's CMS_SITE_URL
PERIOD = (date(2026, 7, 1), date(2026, 12, 31))


def subscribe(client, email: str, language: str = "de"):
    """Post the subscription form of /<language>/newsletter with its CSRF token; return the response."""
    token = csrf_token_from(client.get(f"/{language}/newsletter").get_data(as_text=True))
    return client.post(f"/{language}/newsletter", data={"email": email, "csrf_token": token})


def delivered(app, smtp, address: str) -> list:
    """Send what is due and return the mail `address` has received so far."""
    # An app context of its own, only around the work outside requests: one held around the test's requests
    # would be theirs too, and keep the first request's language for all.
    with app.app_context():
        sender.deliver_due()
    return smtp.inbox.to(address)


def text_of(mail) -> str:
    """Return the plain-text part of a received mail."""
    return mail.get_body(("plain",)).get_content()


def link_in(mail, purpose: str) -> str:
    """Return the path (below the site address) of the `purpose` link ("confirm", "unsubscribe") in a mail's text."""
    match = re.search(rf"{re.escape(SITE)}(/\w\w/newsletter/{purpose}/\S+)", text_of(mail))
    assert match, f"no {purpose} link in the mail"
    return match.group(1)


def confirm(client, path: str):
    """Open a confirmation link's page and press its button; return the response to the press."""
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    return client.post(path, data={"csrf_token": csrf_token_from(page.get_data(as_text=True))})


def news(create_item, editor, title: str, published: datetime | None = None, public: bool = True, **fields):
    """Return a news item, published on `published` (None: left a draft)."""
    item = create_item("news", owner=editor, title=title, public=public, **fields)
    return force_state(item, "published", published_at=published) if published else item


def publish_issue(app, users, title="Newsletter 2/2026", news_items=(), body="<p>Liebe Leserinnen.</p>"):
    """Write a German issue of PERIOD and publish it through the engine (editor submits, reviewer publishes)."""
    with app.app_context():
        return publish(users, draft_issue(users, title, news_items=news_items, body=body))


def draft_issue(users, title: str, language: str = "de", news_items=(), body: str = "", **fields) -> Newsletter:
    """Return a stored draft issue of PERIOD by the editor."""
    issue = Newsletter(
        title=title,
        language=language,
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        news_items=list(news_items),
        body=body,
        **fields,
    )
    issue.owner = users["editor"]
    engine.initialize(issue)
    issue.save_revision()
    return issue


def publish(users, issue):
    """Submit (editor) and publish (reviewer) an issue; return it as stored (run inside an app context)."""
    engine.fire(users["editor"], Newsletter.objects.get(pk=issue.pk), "submit")
    return engine.fire(users["reviewer"], Newsletter.objects.get(pk=issue.pk), "publish")
