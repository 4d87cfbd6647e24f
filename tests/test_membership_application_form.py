"""The public membership form: Hannover applies without an account, confirms by the mailed link, and staff take over.

Nothing of an application is in the secretariat's process before its contact
confirms: not in the admin, the worklists or the API. The confirmation link is
signed and expires; forged or expired ones are refused with 400 and change
nothing. A trap field and limits per client address and per e-mail stop bots.
"""

import io
import re
import threading
import time
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from cms import scheduler, signed_links
from cms.mail import kinds, sender
from cms.operations import applications
from content_types import (
    ApplicationSubmission,
    Attachment,
    AuditEntry,
    Content,
    MemberCity,
    MembershipApplication,
    OutboxMessage,
)
from content_types.base import utcnow
from tests.conftest import csrf_token_from, logged_in
from tests.test_attachments import PDF

CONTACT = "erika.mustermann@hannover.example"
ADDRESS = "192.0.2.10"
CONFIRM_PATH = re.compile(r"http://127\.0\.0\.1:5000(/(?:de|zh|en)/apply/confirm/[A-Za-z0-9_.\-]+)")


def _hannover(**changes) -> dict:
    fields = {
        "city": "new",
        "name_de": "Hannover",
        "name_zh": "汉诺威",
        "name_en": "Hanover",
        "country": "DE",
        "economic_data": "540.000 Einwohner, Messestandort",
        "industrial_characteristics": "Fahrzeugbau, Versicherungen, Messe",
        "national_cooperation": "Metropolregion Hannover Braunschweig Göttingen Wolfsburg",
        "international_cooperation": "Partnerstadt Hiroshima, Kooperation mit Shanghai",
        "cooperation_wishes": "Industrie 4.0, Wasserstoff",
        "contact_name": "Erika Mustermann",
        "contact_email": CONTACT,
        "contact_language": "de",
        "website": "",
    }
    fields.update(changes)
    return fields


def _send(client, fields: dict, documents=(), address: str = ADDRESS, lang: str = "de", token: bool = True):
    """Post the form as a browser would (with the page's CSRF token), from client address `address`."""
    data = dict(fields)
    if token:
        data["csrf_token"] = csrf_token_from(client.get(f"/{lang}/apply").get_data(as_text=True))
    data["documents"] = [(io.BytesIO(content), name) for name, content in documents]
    return client.post(
        f"/{lang}/apply", data=data, content_type="multipart/form-data", environ_base={"REMOTE_ADDR": address}
    )


def _deliver(app):
    with app.app_context():
        return sender.deliver_due()


def _confirmation_path(smtp, address: str = CONTACT) -> str:
    (mail,) = smtp.inbox.to(address)
    return CONFIRM_PATH.search(mail.get_body(("plain",)).get_content()).group(1)


def _confirm(client, path: str):
    """Open the link, then press its button (the link alone confirms nothing); return the button's response."""
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_token_from(page.get_data(as_text=True))})


def _nothing_entered() -> bool:
    return MembershipApplication.objects.count() == 0 and not MemberCity.objects(name_de="Hannover").first()


def test_hannover_applies_and_the_link_from_the_mail_makes_exactly_one_received_application(
    app, users, api, smtp, client
):
    assert 'href="/de/apply"' in client.get("/de/cities").get_data(as_text=True)
    form = client.get("/de/apply")
    assert form.status_code == 200 and "Dortmund" in form.get_data(as_text=True)

    sent = _send(client, _hannover(), documents=[("wirtschaftsdaten.pdf", PDF)])
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/de/apply/sent")
    assert client.get(sent.headers["Location"]).status_code == 200

    # Stored, unconfirmed: nowhere in the secretariat's process yet.
    submission = ApplicationSubmission.objects.get()
    assert submission.confirmed_at is None and Attachment.objects(item=submission.pk).count() == 1
    assert _nothing_entered()
    listed = api.call("GET", "/api/v1/content?type=membership_application", users["editor"]).get_json()
    assert listed["items"] == []
    worklist = api.call("GET", "/api/v1/worklist", users["editor"]).get_json()["items"]
    assert not [entry for entry in worklist if "Hannover" in entry["title"]]
    editor = logged_in(app, users["editor"])
    assert "Hannover" not in editor.get("/admin/content_membership_application/").get_data(as_text=True)
    assert api.call("GET", f"/api/v1/content/{submission.pk}", users["editor"]).status_code == 404

    # The confirmation mail, in German, with the link.
    _deliver(app)
    (mail,) = smtp.inbox.to(CONTACT)
    assert mail["Subject"] == "Bitte bestätigen Sie den Beitrittsantrag von Hannover"
    path = _confirmation_path(smtp)
    assert path.startswith("/de/apply/confirm/")

    # Opening the link shows the application and a button; only the button confirms.
    visitor = app.test_client()
    page = visitor.get(path)
    assert page.status_code == 200 and "Hannover" in page.get_data(as_text=True)
    assert _nothing_entered()
    button = {"csrf_token": csrf_token_from(page.get_data(as_text=True))}
    assert visitor.post(path, data=button).status_code == 303
    assert "Vielen Dank" in visitor.get(path).get_data(as_text=True)
    # Confirming again (the button pressed twice, the link opened later elsewhere) makes no second application.
    assert visitor.post(path, data=button).status_code == 303
    other_browser = app.test_client()
    assert "Vielen Dank" in other_browser.get(path).get_data(as_text=True)

    (item,) = MembershipApplication.objects
    hannover = MemberCity.objects.get(name_de="Hannover")
    assert item.pk == submission.pk and item.state == "received" and item.owner is None
    assert item.city.pk == hannover.pk and item.language == "de" and item.contact_email == CONTACT
    assert item.title == "Beitrittsantrag von Hannover" and item.cooperation_wishes == "Industrie 4.0, Wasserstoff"
    assert hannover.status == "requested" and hannover.named_by_applicant and hannover.name_zh == "汉诺威"
    assert [a.name for a in Attachment.objects(item=item.pk)] == ["wirtschaftsdaten.pdf"]
    assert ApplicationSubmission.objects.get().confirmed_at is not None
    audited = AuditEntry.objects.get(event="application_confirmed")
    assert audited.actor is None and audited.actor_email == CONTACT and audited.item_id == item.pk

    # Staff see it: the API, the worklist, the admin; and the editors were told.
    shown = api.call("GET", f"/api/v1/content/{item.pk}", users["editor"]).get_json()
    assert shown["state"] == "received" and shown["city"] == str(hannover.pk)
    worklist = api.call("GET", "/api/v1/worklist", users["editor"]).get_json()["items"]
    assert [entry["id"] for entry in worklist if entry["id"] == str(item.pk)]
    assert "Beitrittsantrag von Hannover" in editor.get("/admin/content_membership_application/").get_data(as_text=True)
    admin_page = editor.get(f"/admin/content_membership_application/workflow/?id={item.pk}")
    assert admin_page.status_code == 200 and "wirtschaftsdaten.pdf" in admin_page.get_data(as_text=True)
    _deliver(app)
    (told,) = smtp.inbox.to(users["editor"].email)
    assert told["Subject"] == "New membership application: Hanover"  # in the editor's language (English)
    assert f"/admin/content_membership_application/workflow/?id={item.pk}" in (told.get_body(("plain",)).get_content())
    assert OutboxMessage.objects(kind="application_received").count() == 1

    # The public site doesn't list a city an applicant named, until it is a member.
    assert "Hannover" not in client.get("/de/").get_data(as_text=True)
    # And the secretariat's process goes on from here as for a letter entered by staff.
    circulated = api.call("POST", f"/api/v1/content/{item.pk}/workflow/circulate", users["editor"])
    assert circulated.status_code == 200 and circulated.get_json()["state"] == "consultation"


def test_the_confirmation_mail_and_its_link_are_in_the_contact_s_language(app, smtp, client):
    sent = _send(client, _hannover(contact_language="zh"), lang="en")
    assert sent.status_code == 303
    _deliver(app)
    (mail,) = smtp.inbox.to(CONTACT)
    assert mail["Subject"] == "请确认汉诺威的入盟申请"
    path = _confirmation_path(smtp)
    assert path.startswith("/zh/apply/confirm/")
    assert _confirm(app.test_client(), path).status_code == 303
    assert MembershipApplication.objects.get().title == "汉诺威入盟申请"


def _past_token(monkeypatch, value: str, days: int) -> str:
    # Signed `days` ago: itsdangerous reads the time through the signer.
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda signer: int(time.time()) - days * 86400)
        return signed_links.sign(signed_links.CONFIRM_APPLICATION, value)


def test_a_forged_or_expired_link_is_refused_with_400_and_changes_nothing(app, smtp, client, monkeypatch):
    assert _send(client, _hannover()).status_code == 303
    submission = ApplicationSubmission.objects.get()
    _deliver(app)
    good = _confirmation_path(smtp).rsplit("/", 1)[1]
    with app.app_context():
        expired = _past_token(monkeypatch, str(submission.pk), app.config["CMS_APPLICATION_CONFIRM_DAYS"] + 1)
    secret = app.config["SECRET_KEY"]
    forged = {
        "altered": good[:-2] + ("AA" if not good.endswith("AA") else "BB"),
        "another purpose": URLSafeTimedSerializer(secret, salt="another-purpose").dumps(str(submission.pk)),
        "another key": URLSafeTimedSerializer("not-our-key-0123456789", salt=signed_links.CONFIRM_APPLICATION).dumps(
            str(submission.pk)
        ),
        "another id": URLSafeTimedSerializer(secret, salt=signed_links.CONFIRM_APPLICATION).dumps("0" * 24),
        "garbage": "abc",
        "too long": "a" * 5000,
        "expired": expired,
    }
    visitor = app.test_client()
    token = csrf_token_from(visitor.get("/de/apply").get_data(as_text=True))
    for name, bad in forged.items():
        path = f"/de/apply/confirm/{bad}"
        assert visitor.get(path).status_code == 400, name
        assert visitor.post(path, data={"csrf_token": token}).status_code == 400, name
    assert "abgelaufen" in visitor.get(f"/de/apply/confirm/{expired}").get_data(as_text=True)
    assert _nothing_entered()
    assert ApplicationSubmission.objects.get().confirmed_at is None
    # The real link, without the page's CSRF token, confirms nothing either.
    assert visitor.post(f"/de/apply/confirm/{good}").status_code == 400
    assert _nothing_entered()


def test_the_trap_field_stops_a_bot_and_stores_nothing(app, client):
    response = _send(client, _hannover(website="http://spam.example"))
    assert response.status_code == 400
    assert ApplicationSubmission.objects.count() == 0 and OutboxMessage.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_the_limits_per_client_address_and_per_e_mail(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_APPLICATIONS_PER_ADDRESS", 2)
    monkeypatch.setitem(app.config, "CMS_APPLICATIONS_PER_EMAIL", 1)
    assert _send(client, _hannover(), address="192.0.2.1").status_code == 303
    # The same e-mail from another address: over the limit per e-mail.
    refused = _send(client, _hannover(), address="192.0.2.2")
    assert refused.status_code == 429 and "morgen" in refused.get_data(as_text=True)
    # Input is kept on the page that says so.
    assert "Fahrzeugbau, Versicherungen, Messe" in refused.get_data(as_text=True)
    # Other e-mails from the first address: one more passes, then the limit per address.
    assert _send(client, _hannover(contact_email="b@hannover.example"), address="192.0.2.1").status_code == 303
    assert _send(client, _hannover(contact_email="c@hannover.example"), address="192.0.2.1").status_code == 429
    assert ApplicationSubmission.objects.count() == 2 and OutboxMessage.objects.count() == 2
    # A day later both may send again.
    ApplicationSubmission.objects.update(set__created=utcnow() - timedelta(days=1, minutes=1))
    assert _send(client, _hannover(), address="192.0.2.1").status_code == 303


def test_bad_input_is_a_form_error_that_keeps_what_was_typed_and_stores_nothing(app, client):
    typed = "Fahrzeugbau, Versicherungen, Messe"
    cases = {
        "no economic data": _hannover(economic_data=""),
        "bad e-mail": _hannover(contact_email="erika at hannover"),
        "no Chinese name": _hannover(name_zh=""),
        "no country": _hannover(country=""),
        "no city chosen": _hannover(city=""),
        "an unknown city id": _hannover(city="0" * 24),
        "a line break in the name (header injection)": _hannover(contact_name="Erika\r\nBcc: evil@example.com"),
        "an unknown language": _hannover(contact_language="fr"),
    }
    for name, fields in cases.items():
        response = _send(client, fields)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, name
        assert typed in page and 'class="field-error"' in page, name
    # A program renamed .pdf is refused by its bytes (415); too large a file (413).
    renamed = _send(client, _hannover(), documents=[("antrag.pdf", b"MZ\x90\x00" + b"\x00" * 200)])
    assert renamed.status_code == 415 and typed in renamed.get_data(as_text=True)
    assert "choose your documents again" in _send(
        client, _hannover(), documents=[("a.pdf", b"MZ")], lang="en"
    ).get_data(as_text=True)
    # Without the page's CSRF token.
    assert _send(client, _hannover(), token=False).status_code == 400
    assert ApplicationSubmission.objects.count() == 0 and Attachment.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_too_large_a_document_is_refused(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_MAX_UPLOAD_BYTES", 200)
    large = PDF + b"%" * 400
    response = _send(client, _hannover(), documents=[("gross.pdf", large)])
    assert response.status_code == 413
    assert ApplicationSubmission.objects.count() == 0 and Attachment.objects.count() == 0


def test_a_member_city_or_one_whose_application_is_being_decided_can_t_apply(app, client, create_item, city):
    create_item("membership_application", city=city("Bonn"), title="Antrag Bonn")
    page = client.get("/de/apply").get_data(as_text=True)
    assert "Dortmund" in page and "Bonn" not in page and "Foshan" not in page

    member = _send(client, _hannover(name_de="Foshan", name_zh="佛山", name_en="Foshan", country="CN"))
    assert member.status_code == 422 and "Foshan ist bereits Mitglied der Allianz" in member.get_data(as_text=True)
    deciding = _send(client, _hannover(name_de="Bonn", name_zh="波恩", name_en="Bonn"))
    assert deciding.status_code == 422 and "Ein Antrag von Bonn wird bereits" in deciding.get_data(as_text=True)
    chosen = _send(client, _hannover(city=str(city("Bonn").pk)))
    assert chosen.status_code == 422
    assert ApplicationSubmission.objects.count() == 0

    # Dortmund, asked to join, applies; before it confirms, staff enter Dortmund's letter: the link is refused.
    assert _send(client, _hannover(city=str(city("Dortmund").pk))).status_code == 303
    submission = ApplicationSubmission.objects.get()
    assert submission.city == city("Dortmund").pk
    create_item("membership_application", city=city("Dortmund"), title="Antrag Dortmund (Brief)")
    with app.app_context():
        token = signed_links.sign(signed_links.CONFIRM_APPLICATION, str(submission.pk))
    visitor = app.test_client()
    page = visitor.get(f"/de/apply/confirm/{token}").get_data(as_text=True)
    refused = visitor.post(f"/de/apply/confirm/{token}", data={"csrf_token": csrf_token_from(page)})
    assert refused.status_code == 409 and "Dortmund" in refused.get_data(as_text=True)
    assert MembershipApplication.objects(city=city("Dortmund")).count() == 1


def test_a_city_in_the_registry_typed_as_new_applies_as_itself(app, smtp, client, city):
    assert _send(client, _hannover(name_de="dortmund", name_zh="多特蒙德", name_en="Dortmund")).status_code == 303
    _deliver(app)
    assert _confirm(app.test_client(), _confirmation_path(smtp)).status_code == 303
    item = MembershipApplication.objects.get()
    assert item.city.pk == city("Dortmund").pk and MemberCity.objects(name_de="dortmund").count() == 0


def test_nobody_outside_the_staff_sees_an_unconfirmed_or_a_received_application(app, users, api, smtp, client):
    assert _send(client, _hannover(), documents=[("daten.pdf", PDF)]).status_code == 303
    submission = ApplicationSubmission.objects.get()
    (waiting,) = Attachment.objects(item=submission.pk)
    assert client.get(f"/files/{waiting.pk}/{waiting.sha256[:16]}").status_code == 404
    for who in (None, users["member"]):
        assert api.call("GET", f"/api/v1/content/{submission.pk}", who).status_code in (401, 404)
    assert client.get(f"/de/documents/{submission.pk}").status_code == 404
    _deliver(app)
    assert _confirm(app.test_client(), _confirmation_path(smtp)).status_code == 303
    item = MembershipApplication.objects.get()
    assert client.get(f"/de/documents/{item.pk}").status_code == 404
    assert logged_in(app, users["member"]).get(f"/de/documents/{item.pk}").status_code == 404
    assert logged_in(app, users["member"]).get(f"/de/members/applications/{item.pk}").status_code == 404
    for who in (None, users["member"]):
        assert api.call("GET", f"/api/v1/content/{item.pk}", who).status_code in (401, 404)
        listed = api.call("GET", "/api/v1/content?type=membership_application", who)
        assert listed.status_code == 401 or listed.get_json()["items"] == []
    (attachment,) = Attachment.objects(item=item.pk)
    assert client.get(f"/files/{attachment.pk}/{attachment.sha256[:16]}").status_code == 404


def test_the_scheduler_drops_expired_unconfirmed_submissions_with_their_files(app, smtp, client):
    assert _send(client, _hannover(), documents=[("daten.pdf", PDF)]).status_code == 303
    assert _send(client, _hannover(contact_email="x@hannover.example"), documents=[("x.pdf", PDF)]).status_code == 303
    _deliver(app)
    confirmed_path = _confirmation_path(smtp, "x@hannover.example")
    assert _confirm(app.test_client(), confirmed_path).status_code == 303
    unconfirmed = ApplicationSubmission.objects.get(contact_email=CONTACT)
    (waiting_file,) = Attachment.objects(item=unconfirmed.pk)
    grid_id = waiting_file.file.grid_id

    with app.app_context():
        scheduler.run_once()  # nothing is old enough yet
    assert ApplicationSubmission.objects.count() == 2

    days = app.config["CMS_APPLICATION_CONFIRM_DAYS"]
    ApplicationSubmission.objects.update(set__created=utcnow() - timedelta(days=days, hours=2))
    with app.app_context():
        scheduler.run_once()
    assert ApplicationSubmission.objects.count() == 0
    assert Attachment.objects(item=unconfirmed.pk).count() == 0
    assert Attachment._get_collection().database["attachment_files.files"].count_documents({"_id": grid_id}) == 0
    # The confirmed application keeps its document.
    item = MembershipApplication.objects.get()
    assert [a.name for a in Attachment.objects(item=item.pk)] == ["x.pdf"]
    assert Attachment.objects(item=item.pk).first().file.read() == PDF


@pytest.mark.parametrize("language", ["de", "zh", "en"])
def test_the_new_mail_kinds_render_in_every_language(app, language):
    with app.test_request_context():
        for name in ("application_confirm", "application_received"):
            rendered = kinds.preview(name, language)
            assert rendered.subject and "Hannover" in rendered.subject and rendered.text.strip()
    assert Content.objects.count() == 0


def test_two_confirmations_at_the_same_moment_make_one_application(app, users, smtp, client):
    assert _send(client, _hannover()).status_code == 303
    _deliver(app)
    token = _confirmation_path(smtp).rsplit("/", 1)[1]
    start = threading.Barrier(2)
    made, failed = [], []

    def confirm():
        with app.test_request_context():
            start.wait()
            try:
                made.append(applications.confirm(token).pk)
            except Exception as error:  # reported by the assertion below
                failed.append(error)

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failed and len(made) == 2 and made[0] == made[1]
    assert MembershipApplication.objects.count() == 1 and MemberCity.objects(name_de="Hannover").count() == 1
    assert AuditEntry.objects(event="application_confirmed").count() == 1
    assert AuditEntry.objects(event="city_named_by_applicant").count() == 1
    assert OutboxMessage.objects(kind="application_received").count() == 1


class SimulatedCrash(BaseException):
    """The process dies (not an error anything could handle)."""


def test_a_confirmation_cut_short_after_the_insert_is_completed_by_the_next(app, users, smtp, client, monkeypatch):
    assert _send(client, _hannover()).status_code == 303
    _deliver(app)
    token = _confirmation_path(smtp).rsplit("/", 1)[1]

    def crash(item):
        raise SimulatedCrash

    with monkeypatch.context() as patch, app.test_request_context():
        patch.setattr(applications, "_tell_the_secretariat", crash)
        with pytest.raises(SimulatedCrash):
            applications.confirm(token)
    assert (
        MembershipApplication.objects.count() == 1 and OutboxMessage.objects(kind="application_received").count() == 0
    )

    with app.test_request_context():
        applications.confirm(token)  # the link opened again
    assert MembershipApplication.objects.count() == 1
    assert OutboxMessage.objects(kind="application_received").count() == 1
    assert ApplicationSubmission.objects.get().confirmed_at is not None


def test_a_city_named_in_the_form_is_known_to_staff_only_until_it_is_a_member(app, api, users):
    named = MemberCity(name_de="Neustadt", name_zh="新城", name_en="Neustadt", country="DE", named_by_applicant=True)
    named.save()
    for caller in (None, users["member"]):
        listed = {entry["names"]["de"] for entry in api.call("GET", "/api/v1/cities", caller).get_json()["items"]}
        assert "Neustadt" not in listed and "Foshan" in listed
        assert api.call("GET", f"/api/v1/cities/{named.pk}", caller).status_code == 404
    listed = {entry["names"]["de"] for entry in api.call("GET", "/api/v1/cities", users["editor"]).get_json()["items"]}
    assert "Neustadt" in listed
    assert MemberCity.change_status(named.pk, "requested", "member")
    assert api.call("GET", f"/api/v1/cities/{named.pk}").status_code == 200
