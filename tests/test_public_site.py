"""The public site and the member area never show what the viewer may not see."""

import pytest

from tests.workflow_helpers import force_state


@pytest.fixture
def site(users, create_item, city):
    """A draft, a member-only published work plan, public news, an announced meeting."""
    return {
        "draft": create_item("work_plan", owner=users["editor"], title="Entwurf Arbeitsplan 2028"),
        "in_review": force_state(
            create_item("news", owner=users["editor"], title="Nachricht in Prüfung", public=True), "in_review"
        ),
        "members_only": force_state(
            create_item("work_plan", owner=users["editor"], title="Arbeitsplan 2027"), "published"
        ),
        "public_news": force_state(
            create_item("news", owner=users["editor"], title="Gründungskonferenz in Hannover", public=True), "published"
        ),
        "meeting": force_state(
            create_item(
                "meeting",
                owner=users["editor"],
                title="Halbjahrestreffen Aachen",
                year=2026,
                half=2,
                host_city=city("Aachen"),
                agenda_items=["Arbeitsplan 2027"],
                public=True,
            ),
            "announced",
        ),
    }


PAGES = ["/en/", "/en/news", "/en/documents", "/en/documents?type=work_plan", "/en/meetings/next"]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_see_only_public_published_items(client, site, page):
    html = client.get(page).get_data(as_text=True)
    assert "Entwurf Arbeitsplan 2028" not in html and "Nachricht in Prüfung" not in html
    assert "Arbeitsplan 2027</a>" not in html  # member-only


def test_public_news_and_the_next_meeting_are_on_the_home_page(client, site):
    html = client.get("/en/").get_data(as_text=True)
    assert "Gründungskonferenz in Hannover" in html and "Halbjahrestreffen Aachen" in html and "Aachen" in html


def test_members_find_the_published_work_plan(browser, users, client, site):
    browser.login(users["member"].email)
    html = client.get("/en/documents?type=work_plan").get_data(as_text=True)
    assert "Arbeitsplan 2027" in html and "Entwurf Arbeitsplan 2028" not in html
    assert client.get(f"/en/documents/{site['members_only'].pk}").status_code == 200
    assert "Arbeitsplan 2027" in client.get("/en/members").get_data(as_text=True)


@pytest.mark.parametrize("who", [None, "member"])
def test_draft_and_review_urls_are_404(browser, users, client, site, who):
    if who:
        browser.login(users[who].email)
    for key in ("draft", "in_review"):
        assert client.get(f"/en/documents/{site[key].pk}").status_code == 404
    assert client.get("/en/documents/not-an-id").status_code == 404


def test_member_only_documents_are_404_for_the_public(client, site):
    assert client.get(f"/en/documents/{site['members_only'].pk}").status_code == 404
    assert client.get(f"/en/documents/{site['public_news'].pk}").status_code == 200


def test_the_member_area_needs_a_login(client):
    response = client.get("/en/members")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_circulars_in_the_member_area_are_those_sent_to_the_city(browser, users, client, create_item, city):
    to_foshan = force_state(
        create_item("circular", owner=users["editor"], title="An Foshan"), "published", sent_to=[city("Foshan").pk]
    )
    to_aachen = force_state(
        create_item("circular", owner=users["editor"], title="An Aachen"), "published", sent_to=[city("Aachen").pk]
    )
    browser.login(users["member"].email)  # Foshan
    html = client.get("/en/members").get_data(as_text=True)
    assert "An Foshan" in html and "An Aachen" not in html
    assert to_foshan.pk and to_aachen.pk


def test_the_api_names_the_next_meeting(api, site, client):
    body = client.get("/api/v1/meetings/next").get_json()
    assert body["meeting"]["title"] == "Halbjahrestreffen Aachen"
    assert body["meeting"]["host"]["names"]["zh"] == "亚琛" and body["meeting"]["half"] == 2
