"""Translations as linked items: translate into, one per language, independent workflows, the group together."""

import threading

from workflow_helpers import force_state

from content_types import Content
from content_types.refusals import Conflict
from content_types.search import fold_for_search
from workflows import engine

BASE = "/api/v1/content"


def _translate(api, user, item_id, language):
    return api.call("POST", f"{BASE}/{item_id}/translations", user, json={"language": language})


def _approved(item):
    return force_state(item, "approved", approved_revision=item.revision)


def test_translate_into_makes_a_linked_prefilled_draft(api, users, create_item):
    editor = users["editor"]
    source = create_item(
        "work_plan", owner=editor, title="Arbeitsplan 2027", body="<p>Industrie 4.0</p>", topics=["KI"]
    )
    response = _translate(api, editor, source.pk, "zh")
    assert response.status_code == 201, response.get_json()
    made = response.get_json()
    assert made["language"] == "zh" and made["state"] == "draft" and made["id"] != str(source.pk)
    assert made["translation_group"] == source.translation_group
    assert made["title"] == "Arbeitsplan 2027" and made["body"] == "<p>Industrie 4.0</p>" and made["topics"] == ["KI"]
    assert made["translations"] == {"de": str(source.pk), "zh": made["id"]}
    group = api.call("GET", f"{BASE}/{source.pk}/translations", editor).get_json()
    assert set(group) == {"de", "zh"}
    assert group["zh"] == {"id": made["id"], "state": "draft", "title": "Arbeitsplan 2027", "outdated": False}


def test_one_translation_per_language(api, users, create_item):
    editor = users["editor"]
    source = create_item("news", owner=editor, title="Neuigkeit")
    assert _translate(api, editor, source.pk, "en").status_code == 201
    again = _translate(api, editor, source.pk, "en")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "translation_exists"
    same_language = _translate(api, editor, source.pk, "de")
    assert same_language.status_code == 409
    assert Content.objects(translation_group=source.translation_group).count() == 2


def test_concurrent_translations_into_one_language_make_one(app, api, users, create_item):
    editor = users["editor"]
    source = create_item("news", owner=editor, title="Neuigkeit")
    headers = api.as_user(editor)["headers"]
    statuses = []

    def attempt():
        with app.test_client() as client:
            response = client.post(f"{BASE}/{source.pk}/translations", json={"language": "zh"}, headers=headers)
            statuses.append(response.status_code)

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 409, 409, 409]
    assert Content.objects(translation_group=source.translation_group, language="zh").count() == 1


def test_bad_translation_requests_change_nothing(api, users, create_item):
    editor = users["editor"]
    source = create_item("news", owner=editor)
    for body in ({"language": "fr"}, {"language": ["zh"]}, {}, {"language": "zh", "state": "published"}):
        response = api.call("POST", f"{BASE}/{source.pk}/translations", editor, json=body)
        assert response.status_code in (400, 422), body
        assert response.get_json()["error"]["message"]
    assert _translate(api, users["member"], source.pk, "zh").status_code == 404  # a draft: invisible to members
    assert _translate(api, users["reviewer"], source.pk, "zh").status_code == 403  # may see, may not add
    assert _translate(api, None, source.pk, "zh").status_code == 401
    assert Content.objects(translation_group=source.translation_group).count() == 1


def test_changing_the_language_onto_a_sibling_is_refused(api, users, create_item):
    editor = users["editor"]
    source = create_item("news", owner=editor)
    made = _translate(api, editor, source.pk, "zh").get_json()
    response = api.call("PATCH", f"{BASE}/{made['id']}", editor, json={"revision": made["revision"], "language": "de"})
    assert response.status_code == 422
    assert "language" in response.get_json()["error"]["details"]
    assert Content.objects.get(pk=made["id"]).language == "zh"


def test_translations_are_published_independently(api, users, create_item):
    editor, reviewer, member = users["editor"], users["reviewer"], users["member"]
    source = create_item("news", owner=editor, title="Neuigkeit")
    made = _translate(api, editor, source.pk, "zh").get_json()
    for step, user in (("submit", editor), ("publish", reviewer)):
        assert api.call("POST", f"{BASE}/{made['id']}/workflow/{step}", user).status_code == 200
    assert Content.objects.get(pk=made["id"]).state == "published"
    assert Content.objects.get(pk=source.pk).state == "draft"
    # The member sees the published Chinese one, not the German draft, in the group.
    seen = api.call("GET", f"{BASE}/{made['id']}/translations", member).get_json()
    assert set(seen) == {"zh"}


def test_a_translation_is_outdated_once_its_source_publishes_a_newer_version(api, users, create_item):
    editor, reviewer = users["editor"], users["reviewer"]
    source = create_item("news", owner=editor, title="Neuigkeit")
    made = _translate(api, editor, source.pk, "en").get_json()
    api.call("PATCH", f"{BASE}/{source.pk}", editor, json={"revision": source.revision, "title": "Neuigkeit!"})
    for step, user in (("submit", editor), ("publish", reviewer)):
        assert api.call("POST", f"{BASE}/{source.pk}/workflow/{step}", user).status_code == 200
    group = api.call("GET", f"{BASE}/{source.pk}/translations", editor).get_json()
    assert group["en"]["outdated"] is True and group["de"]["outdated"] is False
    # An edit alone does not take over the source's new text (a typo fixed, say): still outdated.
    edited = api.call("PATCH", f"{BASE}/{made['id']}", editor, json={"revision": made["revision"], "title": "News"})
    assert edited.status_code == 200
    group = api.call("GET", f"{BASE}/{source.pk}/translations", editor).get_json()
    assert group["en"]["outdated"] is True
    # Its translator says it now renders the source's current revision: up to date.
    newest = Content.objects.get(pk=source.pk).revision
    caught_up = api.call(
        "PATCH",
        f"{BASE}/{made['id']}",
        editor,
        json={"revision": edited.get_json()["revision"], "title": "News!", "translation_source_revision": newest},
    )
    assert caught_up.status_code == 200 and caught_up.get_json()["translation_source_revision"] == newest
    group = api.call("GET", f"{BASE}/{source.pk}/translations", editor).get_json()
    assert group["en"]["outdated"] is False


def test_a_translation_stored_without_its_source_revision_is_caught_up_by_an_edit(api, users, create_item):
    """Translations stored before the source revision was recorded keep the earlier rule: an edit catches up."""
    editor, reviewer = users["editor"], users["reviewer"]
    source = create_item("news", owner=editor, title="Neuigkeit")
    made = _translate(api, editor, source.pk, "en").get_json()
    Content._get_collection().update_one(
        {"_id": Content.objects.get(pk=made["id"]).pk}, {"$unset": {"translation_source_revision": ""}}
    )
    api.call("PATCH", f"{BASE}/{source.pk}", editor, json={"revision": source.revision, "title": "Neuigkeit!"})
    for step, user in (("submit", editor), ("publish", reviewer)):
        assert api.call("POST", f"{BASE}/{source.pk}/workflow/{step}", user).status_code == 200
    assert api.call("GET", f"{BASE}/{source.pk}/translations", editor).get_json()["en"]["outdated"] is True
    api.call("PATCH", f"{BASE}/{made['id']}", editor, json={"revision": made["revision"], "title": "News"})
    assert api.call("GET", f"{BASE}/{source.pk}/translations", editor).get_json()["en"]["outdated"] is False


def test_publishing_the_text_a_translation_was_made_from_does_not_outdate_it(api, users, create_item):
    editor, reviewer = users["editor"], users["reviewer"]
    source = create_item("news", owner=editor, title="Neuigkeit")
    _translate(api, editor, source.pk, "en")
    for step, user in (("submit", editor), ("publish", reviewer)):
        assert api.call("POST", f"{BASE}/{source.pk}/workflow/{step}", user).status_code == 200
    assert api.call("GET", f"{BASE}/{source.pk}/translations", editor).get_json()["en"]["outdated"] is False


def test_the_group_is_published_all_or_none(api, users, create_item):
    editor, approver = users["editor"], users["approver"]
    german = create_item("work_plan", owner=editor, title="Arbeitsplan 2027")
    chinese_id = _translate(api, editor, german.pk, "zh").get_json()["id"]
    chinese = Content.objects.get(pk=chinese_id)
    _approved(german)
    group_url = f"/api/v1/translation-groups/{german.translation_group}/workflow/publish"

    # The Chinese one is still a draft: nothing is published, and the answer says which.
    refused = api.call("POST", group_url, approver)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["details"]["language"] == "zh"
    assert Content.objects.get(pk=german.pk).state == "approved"

    _approved(chinese)
    assert api.call("POST", group_url, editor).status_code == 403  # editors don't publish
    done = api.call("POST", group_url, approver)
    assert done.status_code == 200, done.get_json()
    assert {item["language"]: item["state"] for item in done.get_json()["items"]} == {
        "de": "published",
        "zh": "published",
    }
    assert api.call("GET", f"{BASE}/{german.pk}/versions", approver).get_json()[0]["version"] == 1
    assert api.call("GET", f"{BASE}/{chinese_id}/versions", approver).get_json()[0]["version"] == 1


def test_a_group_transition_that_loses_a_race_puts_back_what_it_moved(api, users, create_item, monkeypatch):
    editor, approver = users["editor"], users["approver"]
    german = _approved(create_item("work_plan", owner=editor, title="Arbeitsplan 2027"))
    chinese_id = _translate(api, editor, german.pk, "zh").get_json()["id"]
    _approved(Content.objects.get(pk=chinese_id))
    real = engine._compare_and_set
    calls = []

    def second_one_loses(item, changes, entry, session=None):
        calls.append(item.language)
        if len(calls) == 2:
            raise Conflict("lost")
        return real(item, changes, entry, session=session)

    monkeypatch.setattr(engine, "_compare_and_set", second_one_loses)
    response = api.call("POST", f"/api/v1/translation-groups/{german.translation_group}/workflow/publish", approver)
    assert response.status_code == 409
    for item in Content.objects(translation_group=german.translation_group):
        assert item.state == "approved" and item.published_at is None and item.history == []


def test_unknown_groups_and_invisible_members(api, users, create_item):
    editor, member = users["editor"], users["member"]
    assert api.call("POST", "/api/v1/translation-groups/nope/workflow/publish", editor).status_code == 404
    assert api.call("POST", "/api/v1/translation-groups/" + "x" * 200 + "/workflow/publish", editor).status_code == 404
    source = create_item("news", owner=editor)
    _translate(api, editor, source.pk, "zh")
    # A member sees none of the drafts: the group does not exist for them.
    url = f"/api/v1/translation-groups/{source.translation_group}/workflow/submit"
    assert api.call("POST", url, member).status_code == 404
    made = api.call("POST", url, editor, json={"made_up": 1})
    assert made.status_code in (400, 422)
    assert {item.state for item in Content.objects(translation_group=source.translation_group)} == {"draft"}


def test_a_circular_and_its_translation_share_one_number(api, users, create_item):
    editor = users["editor"]
    created = api.call("POST", BASE, editor, json={"type": "circular", "title": "Rundschreiben"}).get_json()
    made = _translate(api, editor, created["id"], "zh").get_json()
    assert made["number"] == created["number"]
    other = api.call("POST", BASE, editor, json={"type": "circular", "title": "Noch eins"}).get_json()
    assert other["number"] != created["number"]


def test_search_finds_chinese_titles_and_german_umlauts_either_way(api, users, create_item):
    editor = users["editor"]
    create_item("news", owner=editor, title="佛山市工业合作计划")
    create_item("news", owner=editor, title="Grüße aus Köln")
    create_item("news", owner=editor, title="Straßenbahn für Aachen")

    def titles(query):
        response = api.call("GET", f"{BASE}?q={query}", editor)
        assert response.status_code == 200
        return {item["title"] for item in response.get_json()["items"]}

    assert titles("工业合作") == {"佛山市工业合作计划"}
    assert titles("Koeln") == titles("köln") == titles("KÖLN") == {"Grüße aus Köln"}
    assert titles("Gruesse") == {"Grüße aus Köln"}
    assert titles("strasse") == {"Straßenbahn für Aachen"}
    assert titles(".*") == set()  # literal, never a pattern


def test_folding_rules():
    assert fold_for_search("  Grüße   AUS Köln ") == "gruesse aus koeln"
    assert fold_for_search("Café") == "cafe"
    assert fold_for_search("ＡＢＣ１２３ 佛山") == "abc123 佛山"


def test_the_admin_translates_shows_the_group_and_releases_it_together(browser, client, users, create_item):
    editor, approver = users["editor"], users["approver"]
    german = create_item("work_plan", owner=editor, title="Arbeitsplan 2027")
    browser.login(editor.email)
    page = client.get(f"/admin/content_work_plan/workflow/?id={german.pk}").get_data(as_text=True)
    assert 'action="/admin/content_work_plan/translate/"' in page and '<option value="zh">' in page
    token = browser.form_token("/en/")
    response = client.post(
        "/admin/content_work_plan/translate/", data={"csrf_token": token, "id": str(german.pk), "language": "zh"}
    )
    chinese = Content.objects.get(translation_group=german.translation_group, language="zh")
    assert response.status_code == 303 and f"/edit/?id={chinese.pk}" in response.headers["Location"]
    again = client.post(
        "/admin/content_work_plan/translate/", data={"csrf_token": token, "id": str(german.pk), "language": "zh"}
    )
    # The API's answer to the same refusal (409), with the item's page saying why.
    assert again.status_code == 409 and "already has a translation" in again.get_data(as_text=True)
    assert Content.objects(translation_group=german.translation_group).count() == 2
    no_token = client.post("/admin/content_work_plan/translate/", data={"id": str(german.pk), "language": "en"})
    assert no_token.status_code == 400 and Content.objects(translation_group=german.translation_group).count() == 2
    browser.logout()

    _approved(german)
    _approved(chinese)
    browser.login(approver.email)
    page = client.get(f"/admin/content_work_plan/workflow/?id={chinese.pk}").get_data(as_text=True)
    assert "Arbeitsplan 2027" in page and 'action="/admin/content_work_plan/fire-group/"' in page
    assert 'action="/admin/content_work_plan/translate/"' not in page  # approvers don't add content
    token = browser.form_token("/en/")
    client.post(
        "/admin/content_work_plan/fire-group/",
        data={"csrf_token": token, "id": str(chinese.pk), "transition": "publish"},
    )
    assert {item.state for item in Content.objects(translation_group=german.translation_group)} == {"published"}


def test_the_admin_flags_an_outdated_translation(browser, client, api, users, create_item):
    editor, reviewer = users["editor"], users["reviewer"]
    source = create_item("news", owner=editor, title="Neuigkeit")
    made = _translate(api, editor, source.pk, "en").get_json()
    api.call("PATCH", f"{BASE}/{source.pk}", editor, json={"revision": source.revision, "title": "Neuigkeit!"})
    for step, user in (("submit", editor), ("publish", reviewer)):
        api.call("POST", f"{BASE}/{source.pk}/workflow/{step}", user)
    browser.login(editor.email)
    page = client.get(f"/admin/content_news/workflow/?id={made['id']}").get_data(as_text=True)
    assert 'class="badge badge-warning"' in page


def test_the_admin_search_folds_umlauts(browser, client, users, create_item):
    create_item("news", owner=users["editor"], title="Grüße aus Köln")
    create_item("news", owner=users["editor"], title="Anderes")
    browser.login(users["editor"].email)
    page = client.get("/admin/content_news/?search=koeln").get_data(as_text=True)
    assert "Grüße aus Köln" in page and "Anderes" not in page


def test_a_translation_is_created_with_one_audit_entry(api, users, create_item):
    from content_types import AuditEntry

    source = create_item("news", owner=users["editor"])
    created = _translate(api, users["editor"], source.pk, "en").get_json()
    entries = AuditEntry.objects(action="create", item_id=created["id"])
    assert [(entry.event, entry.facts) for entry in entries] == [
        ("translation_made", {"source": source.title, "language": "en"})
    ]


def test_the_translation_of_an_approved_text_is_certified_and_published_under_the_same_approval(
    app, api, users, create_item, city
):
    """DESIGN.md: a meeting approves a text, not a language; no second meeting for its translation."""
    from pypdf import PdfReader

    from cms import versions
    from content_types import PublishedVersion

    aachen = force_state(
        create_item("meeting", title="Halbjahrestreffen Aachen", year=2026, half=2, host_city=city("Aachen")), "held"
    )
    german = force_state(
        create_item("work_plan", owner=users["editor"], title="Arbeitsplan 2027"),
        "published",
        approved_meeting=aachen.pk,
        approved_revision=1,
    )
    made = _translate(api, users["editor"], german.pk, "zh").get_json()
    api.call("PATCH", f"{BASE}/{made['id']}", users["editor"], json={"revision": 1, "title": "2027年工作计划"})
    api.call("POST", f"{BASE}/{made['id']}/workflow/submit", users["editor"])
    offered = api.call("GET", f"{BASE}/{made['id']}/workflow", users["reviewer"]).get_json()["transitions"]
    assert [t["id"] for t in offered] == ["reject", "accept", "certify"]
    certified = api.call("POST", f"{BASE}/{made['id']}/workflow/certify", users["reviewer"])
    assert certified.status_code == 200 and certified.get_json()["state"] == "approved"
    published = api.call("POST", f"{BASE}/{made['id']}/workflow/publish", users["approver"])
    assert published.status_code == 200 and published.get_json()["state"] == "published"
    stored = Content.objects.get(pk=made["id"])
    assert stored.approved_meeting.pk == aachen.pk and stored.approved_revision == stored.revision
    assert stored.history[-2].meeting.pk == aachen.pk  # the certification rests on the Aachen approval
    version = PublishedVersion.objects.get(item=stored.pk)
    text = "".join(page.extract_text() for page in PdfReader(versions.bucket().get(version.files[0].file_id)).pages)
    assert "亚琛" in text  # the PDF names the Aachen meeting, in the document's language


def test_only_translations_of_the_approved_text_are_certified(api, users, create_item):
    original = force_state(create_item("work_plan", owner=users["editor"]), "in_review")
    offered = api.call("GET", f"{BASE}/{original.pk}/workflow", users["reviewer"]).get_json()["transitions"]
    assert "certify" not in [t["id"] for t in offered]
    refused = api.call("POST", f"{BASE}/{original.pk}/workflow/certify", users["reviewer"])
    assert refused.status_code == 422 and Content.objects.get(pk=original.pk).state == "in_review"
    # Translated from a later, unapproved revision of an approved source: back to a meeting.
    source = force_state(create_item("work_plan", owner=users["editor"], title="Plan"), "published")
    Content._get_collection().update_one(
        {"_id": source.pk}, {"$set": {"approved_meeting": source.pk, "approved_revision": 1, "revision": 2}}
    )
    translation = create_item(
        "work_plan",
        owner=users["editor"],
        language="en",
        translation_group=source.translation_group,
        translation_of=source.pk,
        translation_source_revision=2,
    )
    translation = force_state(translation, "in_review")
    refused = api.call("POST", f"{BASE}/{translation.pk}/workflow/certify", users["reviewer"])
    assert refused.status_code == 422 and "revision 2" in refused.get_json()["error"]["message"]
