"""No GET writes: every GET route, as every kind of caller, on realistic data, sends no write to the database."""

import io
import itertools

from cms.demo import create_demo_documents, create_demo_users
from content_types import Attachment, Content, MemberCity, PublishedVersion, User, WorkPlan
from tests.conftest import Browser
from tests.test_attachments import PDF

DEMO_PASSWORD = "Allianz-Demo-2026!"


def _values():
    """Return the values each route argument is tried with: real ids of every kind, and some that are wrong."""
    items = {}
    for item in Content.objects.order_by("modified"):
        items.setdefault((item.type_name, item.state), item)
    attachment = Attachment.objects.first()
    version = PublishedVersion.objects.first()
    return {
        "lang": ["zh"],
        "code": ["zh"],
        "item_id": [str(item.pk) for item in items.values()] + ["0" * 24, "abc"],
        "attachment_id": [str(attachment.pk)],
        "fingerprint": [attachment.sha256[:16], version.files[0].sha256[:16]],
        "version_id": [str(version.pk)],
        "number": ["1", "99"],
        "index": ["0"],
        "a": ["1"],
        "b": ["2"],
        "city_id": [str(MemberCity.objects.first().pk)],
        "export_type": ["csv"],
        # The exports of the company database (cms.exports).
        "kind": ["csv", "xlsx"],
        # The membership form's confirmation link and the newsletter's confirm and unsubscribe links (bad ones).
        "token": ["not-a-signed-token"],
        "filename": [],  # static files are served by Flask from disk
    }, list(items.values())


def _urls(app, values, items) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        unknown = set(rule.arguments) - set(values)
        assert not unknown, f"{rule.rule}: give this test values for {unknown}"
        names = sorted(rule.arguments)
        for combination in itertools.product(*(values[name] for name in names)):
            urls.append(rule.build(dict(zip(names, combination, strict=True)), append_unknown=False)[1])
    # Flask-Admin's views take their item from the query string; the API its filters.
    for item in items:
        for view in ("edit", "workflow", "compare", "details"):
            urls.append(f"/admin/content_{item.type_name}/{view}/?id={item.pk}&a=1&b=2")
    urls += [
        "/admin/content_all/?search=Arbeitsplan&flt0_0=published",
        "/api/v1/content?q=Arbeitsplan&type=work_plan&year=2027",
        "/api/v1/content?type=circular&state=published&language=zh",
        "/en/documents?type=circular",
        "/admin/users/edit/?id=" + str(User.objects.first().pk),
        "/admin/cities/edit/?id=" + str(MemberCity.objects.first().pk),
    ]
    return urls


def test_no_get_request_writes_anything(app, api, write_recorder):
    with app.app_context():
        create_demo_users()
        create_demo_documents()
    editor = User.objects.get(email="editor@alliance.example")
    api_token = api.client.post(
        "/api/v1/auth/token", json={"email": editor.email, "password": DEMO_PASSWORD}
    ).get_json()["token"]
    draft = WorkPlan.objects(state="draft").first()
    uploaded = api.client.post(
        f"/api/v1/content/{draft.pk}/attachments",
        headers={"Authorization": f"Bearer {api_token}"},
        data={"file": (io.BytesIO(PDF), "Anlage.pdf")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 201
    callers = [("anonymous", app.test_client(), {})]
    for email in ("member.foshan", "admin"):
        client = app.test_client()
        assert Browser(client).login(f"{email}@alliance.example", DEMO_PASSWORD).status_code == 302
        callers.append((email, client, {}))
    callers.append(("api token", app.test_client(), {"Authorization": f"Bearer {api_token}"}))
    values, items = _values()
    urls = _urls(app, values, items)
    assert len(urls) > 200, len(urls)  # the crawl is not vacuous

    # Only what the crawl sends counts (the set-up's writes stay recorded, so the fixture empties their collections).
    before = len(write_recorder.writes)
    answered = set()
    for name, client, headers in callers:
        # The API reads only bearer tokens, the rest of the site only sessions: each caller where it counts
        # (the anonymous one everywhere).
        for url in (url for url in urls if name == "anonymous" or url.startswith("/api/") == bool(headers)):
            response = client.get(url, headers=headers)
            assert response.status_code < 500, (name, url, response.status_code)
            assert write_recorder.writes[before:] == [], (name, url)
            answered.add(response.status_code)
    assert {200, 302, 404} <= answered
