"""The news list dates each item by the day it was published, in the page's language."""

from datetime import datetime

import pytest

from tests.workflow_helpers import force_state


@pytest.mark.parametrize(
    "language, day",
    [("de", "05.03.2026"), ("zh", "2026年3月5日"), ("en", "Mar 5, 2026")],
)
def test_news_are_listed_with_their_publication_date(client, users, create_item, language, day):
    force_state(
        create_item("news", owner=users["editor"], title="Gründungskonferenz", public=True),
        "published",
        published_at=datetime(2026, 3, 5, 9, 30),
    )
    page = client.get(f"/{language}/news").get_data(as_text=True)
    assert "Gründungskonferenz</a>" in page and f"<small>({day})</small>" in page


def test_documents_keep_their_year(client, users, create_item):
    force_state(
        create_item("work_plan", owner=users["editor"], title="Arbeitsplan", public=True, year=2027),
        "published",
        published_at=datetime(2026, 3, 5, 9, 30),
    )
    page = client.get("/de/documents").get_data(as_text=True)
    assert "<small>(2027)</small>" in page and "05.03.2026" not in page
