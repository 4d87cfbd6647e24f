"""A transition's inputs are declared: one registry entry and its form partial make a new one work everywhere."""

import pytest
from jinja2 import ChoiceLoader, DictLoader

from content_types import Content
from content_types.refusals import NotPossible
from tests.conftest import Browser
from tests.workflow_helpers import force_state
from workflows import REGISTRY
from workflows.needs import NEEDS, Need

BASE = "/api/v1/content"


def _read_reference(value, required):
    """The reference of a signed letter: text of up to 40 characters."""
    if not isinstance(value, str) or not value.strip() or len(value) > 40:
        raise NotPossible("Give the letter's reference.", {"letter_reference": "required"})
    return value.strip()


@pytest.fixture
def letter_reference(app, monkeypatch):
    """A new need, as the membership workflows will add them: the registry entry, the partial, one definition."""
    need = Need("letter_reference", "Letter reference", _read_reference, {"type": "string", "maxLength": 40})
    monkeypatch.setitem(NEEDS, need.name, need)
    publish = next(t for t in REGISTRY["secretariat_review"]["transitions"] if t["trigger"] == "publish")
    monkeypatch.setitem(publish, "needs", ["letter_reference"])
    partial = '<input name="{{ input.need.name }}" data-need="letter_reference">'
    monkeypatch.setattr(app.jinja_env, "loader", ChoiceLoader([DictLoader({need.form: partial}), app.jinja_env.loader]))
    return need


def test_a_new_need_reaches_the_engine_the_api_openapi_and_the_admin(app, api, users, create_item, letter_reference):
    item = force_state(create_item("news", owner=users["editor"]), "in_review")
    workflow = api.call("GET", f"{BASE}/{item.pk}/workflow", users["reviewer"]).get_json()
    publish = next(t for t in workflow["transitions"] if t["id"] == "publish")
    assert publish["needs"] == ["letter_reference"] and "letter_reference" in publish["accepts"]

    missing = api.call("POST", f"{BASE}/{item.pk}/workflow/publish", users["reviewer"])
    assert missing.status_code == 422 and missing.get_json()["error"]["details"] == {"letter_reference": "required"}
    unknown = api.call("POST", f"{BASE}/{item.pk}/workflow/publish", users["reviewer"], json={"meeting_id": "x"})
    assert unknown.status_code == 422 and "meeting_id" in unknown.get_json()["error"]["details"]
    assert Content.objects.get(pk=item.pk).state == "in_review"

    body = api.call("GET", "/api/v1/openapi.json").get_json()["paths"][
        "/api/v1/content/{item_id}/workflow/{transition}"
    ]
    assert "letter_reference" in body["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]

    client = app.test_client()
    Browser(client).login(users["reviewer"].email)
    page = client.get(f"/admin/content_news/workflow/?id={item.pk}").get_data(as_text=True)
    assert 'data-need="letter_reference"' in page

    done = api.call("POST", f"{BASE}/{item.pk}/workflow/publish", users["reviewer"], json={"letter_reference": "RS 7"})
    assert done.status_code == 200 and done.get_json()["state"] == "published"
