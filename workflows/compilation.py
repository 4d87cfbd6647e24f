"""What a newsletter issue carries: the news items the editor chose, else the released public news of its period."""

from datetime import datetime, time, timedelta

from content_types import News
from content_types.base import reference_id
from workflows.definitions import flagged_states


def _released_public() -> dict:
    # Carried news goes to subscribers, who read without an account: only what anyone may read.
    return {"state__in": flagged_states(News.type_name, "released"), "public": True}


def news_of_the_period(issue) -> list[News]:
    """Return the released public news published in the issue's period, newest first, each once in its language.

    A news item translated into the issue's language is carried in that
    language; otherwise the original is.
    """
    if not issue.period_start or not issue.period_end:
        return []
    start = datetime.combine(issue.period_start, time.min)
    end = datetime.combine(issue.period_end + timedelta(days=1), time.min)
    found = News.objects(published_at__gte=start, published_at__lt=end, **_released_public()).order_by("-published_at")
    groups: dict[str, list[News]] = {}
    for news in found:
        groups.setdefault(news.translation_group, []).append(news)
    chosen = []
    for members in groups.values():
        own = next((news for news in members if news.language == issue.language), None)
        original = next((news for news in members if news.translation_of is None), members[0])
        chosen.append(own or original)
    return chosen


def chosen_news(issue) -> list[News]:
    """Return the news items the editor chose for the issue (those that still exist), newest first."""
    ids = [reference_id(news) for news in issue._data.get("news_items") or ()]
    return list(News.objects(pk__in=ids).order_by("-published_at")) if ids else []


def planned_news(issue) -> list[News]:
    """Return what the issue would carry if published now: the chosen news, else the news of its period."""
    return chosen_news(issue) or news_of_the_period(issue)


def carried_news(issue) -> list[News]:
    """Return the news the issue carries: as recorded by its publication, else as planned now."""
    if issue.carried:
        by_id = {news.pk: news for news in News.objects(pk__in=list(issue.carried))}
        return [by_id[news_id] for news_id in issue.carried if news_id in by_id]
    return planned_news(issue)


def choosable_news(limit: int = 300):
    """Return the news an editor may put into an issue: the latest released public news (queried afresh each time)."""
    return News.objects(**_released_public()).order_by("-published_at").limit(limit).no_cache()


def unreleased(news_items) -> list[News]:
    """Return those of `news_items` that are not released to the public (a draft, an internal item)."""
    released = set(flagged_states(News.type_name, "released"))
    return [news for news in news_items if news.state not in released or not news.public]
