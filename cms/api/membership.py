"""Joining through the API: the consulted cities' decisions, reminders, the signed declaration, the notification."""

from flask import current_app, jsonify, request
from flask_babel import gettext as _

from cms.api import blueprint
from cms.api.content import load_item, serialize
from cms.api.fields import iso
from cms.api.requests import json_body, refuse_unknown, require_user
from cms.auth import token_user
from cms.downloads import attachment_url
from cms.operations import consents, membership
from content_types import Attachment, ConsentDecision, Content, Reminder
from content_types.base import reference_id
from content_types.refusals import NotFound
from workflows.conditions import missing_cities
from workflows.policy import decision_requested

DECISION_FIELDS = {"decision", "comment"}


def serialize_decision(decision: ConsentDecision, letters: dict) -> dict:
    """Return one city's decision as the contract shows it (`letter` only where one was sent)."""
    shown = {
        "city_id": str(reference_id(decision._data["city"])),
        "decision": decision.decision,
        "comment": decision.comment,
        "at": iso(decision.at),
    }
    letter = letters.get(decision.letter)
    if letter is not None:
        shown["letter"] = {"name": letter.name, "content_type": letter.content_type, "url": attachment_url(letter)}
    return shown


def serialize_reminder(reminder: Reminder) -> dict:
    """Return a reminder: when, and the cities it went to."""
    return {"at": iso(reminder.at), "cities": [str(reference_id(city)) for city in reminder._data["cities"]]}


def decisions_of(item: Content, user) -> dict:
    """Return the decisions recorded on `item`, the consulted cities still missing, and (for staff) the reminders."""
    recorded = consents.decisions(item)
    letters = {a.pk: a for a in Attachment.objects(pk__in=[d.letter for d in recorded if d.letter])}
    shown = {
        "decisions": [serialize_decision(decision, letters) for decision in recorded],
        "missing": [str(city) for city in missing_cities(item)],
        "decision_requested": decision_requested(user, item),
    }
    if consents.may_remind(user, item):
        shown["reminders"] = [serialize_reminder(reminder) for reminder in consents.reminders(item)]
    return shown


@blueprint.get("/content/<item_id>/consents")
def list_consents(item_id):
    """Return the consulted cities' decisions and the cities whose decision is missing."""
    user = token_user()
    item = load_item(item_id, user)
    _refuse_other_types(item)
    return jsonify(decisions_of(item, user))


@blueprint.post("/content/<item_id>/consents")
def record_consent(item_id):
    """Record the decision of the caller's own city: consent or objection, a comment, optionally the signed letter."""
    user = require_user()
    item = load_item(item_id, user)
    _refuse_other_types(item)
    if request.mimetype == "multipart/form-data":
        data = request.form.to_dict()
        refuse_unknown({**data, **request.files.to_dict()}, DECISION_FIELDS | {"letter"})
        letter = request.files.get("letter")
    else:
        data, letter = json_body(), None
        refuse_unknown(data, DECISION_FIELDS)
    limit = current_app.config["CMS_MAX_UPLOAD_BYTES"]
    decision = consents.record_decision(user, item, data.get("decision"), data.get("comment"), letter, limit)
    letters = {decision.letter: Attachment.objects.get(pk=decision.letter)} if decision.letter else {}
    return jsonify(serialize_decision(decision, letters)), 201


@blueprint.post("/content/<item_id>/consents/reminders")
def send_consent_reminder(item_id):
    """Remind the consulted cities whose decision is missing (recorded; mail follows once the CMS sends mail)."""
    user = require_user()
    item = load_item(item_id, user)
    _refuse_other_types(item)
    return jsonify(serialize_reminder(consents.send_reminder(user, item))), 201


@blueprint.post("/content/<item_id>/declaration")
def upload_declaration(item_id):
    """Upload the declaration the new member city signed (multipart `file`): the application is then signed."""
    user = require_user()
    item = load_item(item_id, user)
    _refuse_other_types(item)
    upload = request.files.get("file")
    stored = membership.record_declaration(user, item, upload, current_app.config["CMS_MAX_UPLOAD_BYTES"])
    return jsonify(serialize(stored, user))


@blueprint.post("/content/<item_id>/notification")
def send_notification(item_id):
    """Write the formal notification letter (a PDF in the city's languages), attach it: the city is notified."""
    user = require_user()
    item = load_item(item_id, user)
    _refuse_other_types(item)
    return jsonify(serialize(membership.send_notification(user, item), user))


def _refuse_other_types(item: Content) -> None:
    if not type(item).decided_field:
        raise NotFound(_("Only a membership application is decided on by the member cities."))
