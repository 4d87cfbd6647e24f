"""The newsletter's mail: the confirmation a new subscriber asked for, and each published issue to the subscribers.

A published issue goes to every confirmed subscriber, once per issue (its
translation group): a subscriber reading a language the issue is being
translated into waits for that translation's publication; the others get the
issue in its own language, with the mail's frame in theirs. Each mail carries
a signed one-click unsubscribe link, in its text and in the `List-Unsubscribe`
and `List-Unsubscribe-Post` headers (RFC 8058).
"""

import html
import logging
import re

import nh3
from flask import current_app, has_app_context
from flask_babel import force_locale

from cms import publication
from cms.mail import outbox
from cms.mail.links import absolute
from cms.mail.notifications import page_link
from cms.mail.outbox import Recipient
from cms.mail.tokens import confirmation_token, unsubscribe_token
from content_types import LANGUAGE_NAMES, Content, Newsletter, PublishedVersion, Subscriber
from workflows.compilation import carried_news

log = logging.getLogger(__name__)
CONFIRMATION = "newsletter_confirmation"
ISSUE = "newsletter"


def unsubscribe_link(subscriber: Subscriber) -> str:
    """Return the link that unsubscribes `subscriber` (a page with one button; a POST to it unsubscribes)."""
    return absolute("public.newsletter_unsubscribe", lang=subscriber.language, token=unsubscribe_token(subscriber))


def unsubscribe_headers(subscriber: Subscriber) -> dict:
    """Return the RFC 8058 headers that let a mail program unsubscribe `subscriber` with one click."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_link(subscriber)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def write_confirmation(subscriber: Subscriber) -> bool:
    """Write the mail asking `subscriber` to confirm their subscription (once per subscription); return if new."""
    written = outbox.put(
        CONFIRMATION,
        f"{subscriber.pk}:{subscriber.nonce}",
        Recipient(subscriber.email, subscriber.language),
        {
            "confirm_link": absolute(
                "public.newsletter_confirm", lang=subscriber.language, token=confirmation_token(subscriber)
            ),
            "hours": current_app.config["CMS_NEWSLETTER_CONFIRM_HOURS"],
        },
        event="newsletter_subscribed",
    )
    return written is not None


def on_published(item: Content, version: PublishedVersion, **_) -> None:
    """A newsletter's first publication mails it to every confirmed subscriber (see the module's rule)."""
    # A later version (a corrected issue) is not sent again.
    if not isinstance(item, Newsletter) or version.number != 1:
        return
    if not has_app_context():  # the engine driven outside the app: no site address, no templates
        log.warning("newsletter %s published outside the app: not mailed", item.pk)
        return
    translated = set(Content.objects(translation_group=item.translation_group).scalar("language"))
    news = carried_news(item)
    for subscriber in Subscriber.objects(status="confirmed"):
        if subscriber.language != item.language and subscriber.language in translated:
            continue  # its own language's issue goes out when that translation is published
        outbox.put(
            ISSUE,
            item.translation_group,
            Recipient(subscriber.email, subscriber.language),
            issue_context(item, news, subscriber),
            item=item,
            event="newsletter_published",
            headers=unsubscribe_headers(subscriber),
        )


def issue_context(item: Newsletter, news, subscriber: Subscriber) -> dict:
    """Return what an issue's mail shows `subscriber`: plain values (see cms.mail.kinds)."""
    language = subscriber.language
    with force_locale(language):
        other_language = str(LANGUAGE_NAMES[item.language]) if item.language != language else ""
    return {
        "title": item.title,
        "period_start": item.period_start,
        "period_end": item.period_end,
        "intro": paragraphs(item.body),
        "news": [
            {
                "title": entry.title,
                "summary": entry.summary or "",
                "date": entry.published_at.date() if entry.published_at else None,
                "link": page_link(entry, language),
            }
            for entry in news
        ],
        "issue_language": other_language,
        "issue_link": page_link(item, language),
        "unsubscribe_link": unsubscribe_link(subscriber),
    }


_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|tr)>|<br\s*/?>", re.IGNORECASE)


def paragraphs(body: str) -> list[str]:
    """Return a sanitised body as its paragraphs of plain text (blocks become paragraphs, tags go)."""
    text = html.unescape(nh3.clean(_BLOCK_END.sub("\n", body or ""), tags=set()))
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def init_app(app) -> None:
    """Listen to the publication step (once per process)."""
    publication.published.connect(on_published, weak=False)
