"""A newsletter issue: the news of its period (or the chosen items), assembled in the admin and the API, its page
and PDF showing the news it carries; publishing refuses news the public can't read."""

from datetime import datetime

import pytest

from cms.versions import bucket, versions_of
from content_types import Newsletter, PublishedVersion
from content_types.refusals import NotPossible
from tests.newsletter_support import draft_issue, news, publish
from tests.pdf_text import pdf_lines
from workflows.compilation import choosable_news


@pytest.fixture
def period_news(users, create_item):
    """Released public news in the period (two, one translated into Chinese), before it, unpublished and internal."""
    editor = users["editor"]
    meeting = news(create_item, editor, "Jahrestreffen in Foshan", datetime(2026, 11, 13), summary="Arbeitsplan 2027")
    fair = news(create_item, editor, "Messe in Hannover", datetime(2026, 7, 1, 8))
    chinese = news(
        create_item,
        editor,
        "佛山年会",
        datetime(2026, 11, 14),
        language="zh",
        translation_group=meeting.translation_group,
        translation_of=meeting.pk,
    )
    return {
        "meeting": meeting,
        "fair": fair,
        "meeting_zh": chinese,
        "old": news(create_item, editor, "Alte Meldung", datetime(2026, 6, 30, 23)),
        "draft": news(create_item, editor, "Entwurf"),
        "internal": news(create_item, editor, "Nur für Mitglieder", datetime(2026, 8, 1), public=False),
    }


def test_publishing_records_the_released_public_news_of_the_period_once_per_item_in_the_issue_s_language(
    app, users, period_news
):
    with app.app_context():
        german = publish(users, draft_issue(users, "Ausgabe 2/2026"))
        chinese = publish(users, draft_issue(users, "2026年第2期", language="zh"))

    assert german.carried == [period_news["meeting"].pk, period_news["fair"].pk]
    assert chinese.carried == [period_news["meeting_zh"].pk, period_news["fair"].pk]


def test_the_chosen_news_items_are_carried_instead(app, users, period_news):
    with app.app_context():
        issue = publish(users, draft_issue(users, "Sonderausgabe", news_items=[period_news["old"]]))
    assert issue.carried == [period_news["old"].pk]


@pytest.mark.parametrize("hidden", ["draft", "internal"])
def test_publishing_an_issue_that_carries_news_the_public_can_t_read_is_refused(app, users, period_news, hidden):
    issue = draft_issue(users, "Ausgabe", news_items=[period_news["fair"], period_news[hidden]])
    with app.app_context():
        with pytest.raises(NotPossible) as refused:
            publish(users, issue)
    assert refused.value.status == 422 and period_news[hidden].title in refused.value.message
    assert Newsletter.objects.get(pk=issue.pk).state == "in_review"
    assert PublishedVersion.objects(item=issue.pk).count() == 0


def test_the_issue_s_page_and_pdf_show_the_news_it_carries(app, client, users, period_news):
    with app.app_context():
        issue = publish(users, draft_issue(users, "Ausgabe 2/2026", body="<p>Liebe Leserinnen und Leser,</p>"))

    page = client.get(f"/en/documents/{issue.pk}").get_data(as_text=True)
    assert "In this issue" in page and "Jahrestreffen in Foshan" in page and "Messe in Hannover" in page
    assert "Alte Meldung" not in page and "Nur für Mitglieder" not in page and "Liebe Leserinnen" in page
    (version,) = versions_of(issue)
    pdf = PublishedVersion.objects.get(pk=version.pk).files[0].file_id
    with app.app_context():
        lines = pdf_lines(bucket().get(pdf).read())
    assert "In dieser Ausgabe" in lines and "Jahrestreffen in Foshan" in lines and "Messe in Hannover" in lines
    assert "Arbeitsplan 2027" in lines and "Alte Meldung" not in lines
    # The period, in the document's language.
    assert any("1. Juli 2026" in line for line in lines) and any("31. Dezember 2026" in line for line in lines)


def test_an_editor_assembles_an_issue_in_the_admin_from_the_released_news(app, browser, client, users, period_news):
    browser.login(users["editor"].email)
    form = client.get("/admin/content_newsletter/new/").get_data(as_text=True)
    # The chooser offers released public news only.
    for offered in ("meeting", "fair", "old"):
        assert f'value="{period_news[offered].pk}"' in form
    for hidden in ("draft", "internal"):
        assert f'value="{period_news[hidden].pk}"' not in form

    response = client.post(
        "/admin/content_newsletter/new/",
        data={
            "csrf_token": browser.form_token("/admin/content_newsletter/new/"),
            "title": "Ausgabe 2/2026",
            "language": "de",
            "period_start": "2026-07-01",
            "period_end": "2026-12-31",
            "news_items": [str(period_news["fair"].pk), str(period_news["draft"].pk)],
            "body": "<p>Einleitung</p>",
        },
    )

    assert response.status_code == 302
    issue = Newsletter.objects.get(title="Ausgabe 2/2026")
    # Only an offered item can be chosen.
    assert [item.pk for item in issue.news_items] == [period_news["fair"].pk]
    assert (issue.state, issue.public, issue.owner.pk) == ("draft", True, users["editor"].pk)
    page = client.get(f"/admin/content_newsletter/workflow/?id={issue.pk}").get_data(as_text=True)
    assert "Messe in Hannover" in page


def test_the_api_takes_news_items_by_id_and_refuses_other_ids(api, users, period_news):
    fields = {"type": "newsletter", "title": "Ausgabe", "period_start": "2026-07-01", "period_end": "2026-12-31"}
    made = api.call(
        "POST", "/api/v1/content", users["editor"], json={**fields, "news_items": [str(period_news["fair"].pk)]}
    )
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["news_items"] == [str(period_news["fair"].pk)]
    for wrong in (["0123456789abcdef01234567"], ["x"], [str(users["editor"].pk)]):
        response = api.call("POST", "/api/v1/content", users["editor"], json={**fields, "news_items": wrong})
        assert response.status_code == 422 and "news_items" in response.get_json()["error"]["details"]
    ends_first = {**fields, "period_end": "2026-06-30"}
    assert api.call("POST", "/api/v1/content", users["editor"], json=ends_first).status_code == 422


def test_the_admin_chooser_queries_afresh(app, users, create_item):
    choices = choosable_news()
    assert list(choices) == []
    fresh = news(create_item, users["editor"], "Neu", datetime(2026, 9, 1))
    assert [item.pk for item in choices] == [fresh.pk]
