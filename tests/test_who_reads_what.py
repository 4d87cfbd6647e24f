"""Who reads what, tried from outside: a circular's recipients, an item's past, member rights bound to membership."""

import pytest

from content_types import Content, MemberCity, PublishedVersion, User
from tests.conftest import Browser
from tests.test_attachments import PDF, _upload
from tests.workflow_helpers import force_state
from workflows import engine

BASE = "/api/v1/content"


def _sent(api, users, create_item, city):
    """A circular to Foshan only, in German and Chinese, each with an attachment, published (v1 frozen)."""
    german = create_item(
        "circular", owner=users["editor"], title="Rundschreiben an Foshan", recipients=[city("Foshan")]
    )
    chinese = create_item(
        "circular",
        owner=users["editor"],
        title="致佛山的通函",
        language="zh",
        translation_group=german.translation_group,
        recipients=[city("Foshan")],
    )
    sent = []
    for item in (german, chinese):
        assert _upload(api, users["editor"], item, PDF, "Anlage.pdf").status_code == 201
        sent.append(engine.fire(users["reviewer"], force_state(item, "in_review"), "publish"))
    return sent


def _urls_of(item, api, admin) -> list[str]:
    version = PublishedVersion.objects.get(item=item.pk)
    urls = [
        f"{BASE}/{item.pk}",
        f"{BASE}/{item.pk}/versions",
        f"{BASE}/{item.pk}/attachments",
        f"{BASE}/{item.pk}/translations",
        f"{BASE}/{item.pk}/workflow",
    ]
    urls += [f["url"] for f in api.call("GET", f"{BASE}/{item.pk}/versions", admin).get_json()[0]["files"]]
    urls += [a["url"] for a in api.call("GET", f"{BASE}/{item.pk}/attachments", admin).get_json()["items"]]
    assert len(version.files) == 2  # the PDF and the attachment's copy
    return urls


def test_a_foshan_only_circular_is_out_of_aachen_s_reach(app, api, users, create_item, city):
    german, chinese = _sent(api, users, create_item, city)
    foshan, aachen = users["member"], users["member_b"]
    for item in (german, chinese):
        for url in _urls_of(item, api, users["admin"]):
            assert api.call("GET", url, aachen).status_code == 404, url
            assert api.call("GET", url, foshan).status_code == 200, url
    listed = api.call("GET", f"{BASE}?type=circular", aachen).get_json()
    assert listed["total"] == 0 and listed["items"] == []
    assert api.call("GET", f"{BASE}?type=circular&q=Foshan", aachen).get_json()["total"] == 0
    assert api.call("GET", f"{BASE}?type=circular", foshan).get_json()["total"] == 2
    for representative, reaches in ((aachen, False), (foshan, True)):
        browser = app.test_client()
        Browser(browser).login(representative.email)
        for page in ("/de/documents?type=circular", "/de/documents", "/de/members", "/zh/members"):
            html = browser.get(page).get_data(as_text=True)
            assert ("Rundschreiben an Foshan" in html or "致佛山的通函" in html) is reaches, page
        for item in (german, chinese):
            for page in (f"/de/documents/{item.pk}", f"/zh/documents/{item.pk}"):
                assert browser.get(page).status_code == (200 if reaches else 404), page
            # The files, through the browser's session too.
            for url in _urls_of(item, api, users["admin"]):
                if not url.startswith("/api/"):
                    assert browser.get(url).status_code == (200 if reaches else 404), url


def test_anonymous_visitors_see_a_public_item_s_versions_never_its_past(api, users, create_item):
    news = create_item("news", owner=users["editor"], title="Entwurf", public=True, body="<p>INTERNAL: erst prüfen</p>")
    news.title, news.body = "Nachricht", "<p>Veröffentlicht</p>"
    news.save_revision()
    news = force_state(news, "in_review")
    engine.fire(users["reviewer"], news, "reject", {"comment": "INTERNAL: zu lang"})
    news = force_state(Content.objects.get(pk=news.pk), "in_review")
    published = engine.fire(users["reviewer"], news, "publish")
    for caller in (None, users["member"]):
        for url in (f"{BASE}/{published.pk}/revisions", f"{BASE}/{published.pk}/revisions/1"):
            assert api.call("GET", url, caller).status_code == 404, url
        assert api.call("GET", f"{BASE}/{published.pk}/revisions/1/diff/2", caller).status_code == 404
        workflow = api.call("GET", f"{BASE}/{published.pk}/workflow", caller)
        assert workflow.status_code == 200 and workflow.get_json()["history"] == []
        body = str(api.call("GET", f"{BASE}/{published.pk}", caller).get_json()) + workflow.get_data(as_text=True)
        assert "INTERNAL" not in body and "@" not in body  # no comments, no staff e-mail addresses
        assert [v["version"] for v in api.call("GET", f"{BASE}/{published.pk}/versions", caller).get_json()] == [1]
    # The staff and the item's author still see its past.
    for caller in (users["reviewer"], users["editor"]):
        assert api.call("GET", f"{BASE}/{published.pk}/revisions/2", caller).status_code == 200
        assert api.call("GET", f"{BASE}/{published.pk}/workflow", caller).get_json()["history"]


@pytest.mark.parametrize("status", ["requested", "withdrawn", "excluded"])
def test_a_representative_of_a_city_that_is_not_a_member_sees_what_the_public_sees(
    api, users, create_item, city, create_user, status
):
    MemberCity.objects(name_de="Bonn").update_one(set__status=status)
    representative = create_user("member", city_name="Bonn")
    members_only = force_state(create_item("work_plan", owner=users["editor"], title="Nur für Mitglieder"), "published")
    public = force_state(create_item("news", owner=users["editor"], title="Für alle", public=True), "published")
    for caller in (None, representative):
        listed = {item["title"] for item in api.call("GET", BASE, caller).get_json()["items"]}
        assert listed == {"Für alle"}
        assert api.call("GET", f"{BASE}/{members_only.pk}", caller).status_code == 404
        assert api.call("GET", f"{BASE}/{public.pk}", caller).status_code == 200
        cities = api.call("GET", "/api/v1/cities", caller).get_json()["items"]
        assert all("contacts" not in entry for entry in cities)
    # A member city's representative does see both, and the contacts.
    assert api.call("GET", f"{BASE}/{members_only.pk}", users["member"]).status_code == 200
    assert "contacts" in api.call("GET", "/api/v1/cities", users["member"]).get_json()["items"][0]


def test_member_rights_end_with_the_city_s_membership(api, users, create_item):
    item = force_state(create_item("work_plan", owner=users["editor"]), "published")
    assert api.call("GET", f"{BASE}/{item.pk}", users["member"]).status_code == 200
    foshan = MemberCity.objects.get(name_de="Foshan")
    assert MemberCity.change_status(foshan.pk, "member", "excluded")  # as the exclusion's step does
    assert api.call("GET", f"{BASE}/{item.pk}", users["member"]).status_code == 404  # the next request, same token
    assert User.objects.get(pk=users["member"].pk).represents_a_member_city is False
