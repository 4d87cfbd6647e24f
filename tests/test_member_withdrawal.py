"""The member area's withdrawal page: a member city's representative files their own city's written request."""

import io
import re

import pytest

from content_types import Attachment, AuditEntry, MemberCity, Withdrawal
from tests.conftest import Api, Browser, csrf_token_from

PAGE = "/de/members/withdrawal"
STATEMENT = "Die Stadt Foshan erklärt hiermit ihren Austritt aus der Allianz."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _client(app, user):
    client = app.test_client()
    Browser(client).login(user.email)
    return client


def _post(client, token=None, statement=STATEMENT, letter=None, **extra):
    data = {"statement": statement, **extra}
    if token is None:
        token = csrf_token_from(client.get("/de/members").get_data(as_text=True))
    if token:
        data["csrf_token"] = token
    if letter is not None:
        data["letter"] = (io.BytesIO(letter[0]), letter[1])
    return client.post(PAGE, data=data, content_type="multipart/form-data")


def _nothing_stored():
    return Withdrawal.objects.count() == 0 and Attachment.objects.count() == 0


def test_foshans_representative_files_foshans_withdrawal_with_the_signed_letter(app, users, city):
    client = _client(app, users["member"])
    filed = _post(client, letter=(PDF, "Austrittsschreiben.pdf"))
    assert filed.status_code == 303 and filed.headers["Location"].endswith(PAGE)
    item = Withdrawal.objects.get()
    assert item.city.pk == city("Foshan").pk and item.owner.pk == users["member"].pk
    assert item.state == "requested" and item.language == "de" and "Foshan" in item.title
    assert "ihren Austritt aus der Allianz" in item.body and item.requested_on is not None
    letter = Attachment.objects.get(item=item.pk)
    assert (letter.name, letter.content_type) == ("Austrittsschreiben.pdf", "application/pdf")
    # Audited as the API's filing is, and the letter as any attachment is.
    entries = AuditEntry.objects(item_id=item.pk, actor_email=users["member"].email)
    assert {entry.event for entry in entries} == {"item_created", "attachment_added"}
    # The city stays a member until the secretariat completes the withdrawal.
    assert city("Foshan").status == "member"
    page = client.get(PAGE).get_data(as_text=True)
    assert item.title in page and "Beantragt" in page


def test_the_letter_is_optional_and_the_page_speaks_the_readers_language(app, users):
    client = _client(app, users["member"])
    token = csrf_token_from(client.get("/zh/members/withdrawal").get_data(as_text=True))
    filed = client.post("/zh/members/withdrawal", data={"csrf_token": token, "statement": "佛山市特此声明退出联盟。"})
    assert filed.status_code == 303
    item = Withdrawal.objects.get()
    assert item.language == "zh" and "佛山" in item.title
    assert Attachment.objects.count() == 0


def test_the_city_is_never_a_form_input(app, users, city):
    aachen = city("Aachen")
    assert _post(_client(app, users["member"]), city=str(aachen.pk)).status_code == 303
    assert [item.city.pk for item in Withdrawal.objects] == [city("Foshan").pk]
    assert Withdrawal.objects(city=aachen.pk).count() == 0


@pytest.mark.parametrize("status", ["excluded", "requested"])
def test_a_representative_of_a_city_that_is_not_a_member_is_refused(app, users, create_user, city, status):
    if status == "excluded":
        assert MemberCity.change_status(city("Aachen").pk, "member", "excluded", reason="test")
        user = users["member_b"]
    else:
        user = create_user("member", city_name="Bonn")  # Bonn is only asked to join
    client = _client(app, user)
    assert client.get(PAGE).status_code == 403
    assert _post(client).status_code == 403
    assert "/members/withdrawal" not in client.get("/de/members").get_data(as_text=True)
    assert _nothing_stored()


def test_staff_have_no_city_to_withdraw(app, users):
    client = _client(app, users["editor"])
    assert client.get(PAGE).status_code == 403
    assert "/members/withdrawal" not in client.get("/de/members").get_data(as_text=True)


def test_the_member_area_links_to_the_page_for_a_member_citys_representative(app, users):
    assert "/members/withdrawal" in _client(app, users["member"]).get("/de/members").get_data(as_text=True)


@pytest.mark.parametrize(
    ("statement", "letter", "status", "field"),
    [
        ("", None, 422, "Erklärung Ihrer Stadt"),
        ("   ", None, 422, "Erklärung Ihrer Stadt"),
        ("x" * 20_001, None, 422, "Erklärung Ihrer Stadt"),
        (STATEMENT, (b"GIF89a" + b"\x00" * 32, "brief.pdf"), 415, "Unterschriebenes Schreiben"),
        (STATEMENT, (b"", "leer.pdf"), 422, "Unterschriebenes Schreiben"),
    ],
)
def test_bad_input_is_refused_in_the_form_and_nothing_is_stored(app, users, statement, letter, status, field):
    refused = _post(_client(app, users["member"]), statement=statement, letter=letter)
    assert refused.status_code == status
    page = refused.get_data(as_text=True)
    errors = re.findall(r'<p class="flash flash-error">([^<]*)</p>', page)
    assert errors and all(error.startswith(field) for error in errors), errors
    if statement.strip() and len(statement) < 100:
        assert statement in page  # what was typed is still in the form
    assert _nothing_stored()


def test_without_the_csrf_token_nothing_is_filed(app, users):
    assert _post(_client(app, users["member"]), token="").status_code == 400
    assert _nothing_stored()


def test_a_second_request_while_one_is_open_is_refused_on_every_path(app, users, city):
    client = _client(app, users["member"])
    assert _post(client).status_code == 303
    again = _post(client, statement="Noch einmal: wir treten aus.")
    assert again.status_code == 409
    page = again.get_data(as_text=True)
    assert "bereits" in page and "Noch einmal: wir treten aus." in page
    # The API and the secretariat go through the same operation and the same rule.
    body = {"type": "withdrawal", "title": "Austritt", "city": str(city("Foshan").pk), "body": STATEMENT}
    for user in (users["member"], users["editor"]):
        refused = Api(app.test_client()).call("POST", "/api/v1/content", user, json=body)
        assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "already_open"
    assert Withdrawal.objects.count() == 1


def test_another_city_may_file_while_one_is_open(app, users, city):
    assert _post(_client(app, users["member"])).status_code == 303
    body = {"type": "withdrawal", "title": "Austritt", "city": str(city("Aachen").pk), "body": STATEMENT}
    assert Api(app.test_client()).call("POST", "/api/v1/content", users["member_b"], json=body).status_code == 201
    assert Withdrawal.objects.count() == 2


def test_two_requests_filed_at_the_same_moment_never_both_stay_open(app, users, city, monkeypatch):
    from cms.operations import content as content_operations
    from content_types.refusals import Conflict

    # Both filings pass the check before the insert (as two at the same moment would).
    monkeypatch.setattr(content_operations, "_refuse_a_second_open", lambda item: None)
    kept, refused = [], []
    for statement in ("Erster Brief", "Zweiter Brief"):
        item = content_operations.new_item(users["editor"], Withdrawal.type_name)
        item.title, item.city, item.body = "Austritt", city("Foshan"), statement
        try:
            kept.append(content_operations.create_item(users["editor"], item))
        except Conflict as conflict:
            refused.append(conflict)
    assert len(kept) == 1 and len(refused) == 1 and refused[0].code == "already_open"
    assert [w.body for w in Withdrawal.objects] == ["<p>Erster Brief</p>"]
