"""Translations through the API: translate into a language, the group's members, the group's transitions."""

from flask import jsonify, request

from cms import operations, translating
from cms.api import blueprint
from cms.api.content import load_item, serialize
from cms.api.errors import ApiError, forbidden, not_found
from cms.api.requests import json_body, refuse_unknown
from cms.api.tokens import api_user, require_user
from workflows.errors import TransitionConflict, TransitionNotAllowed, TransitionNotPossible


@blueprint.post("/content/<item_id>/translations")
def create_translation(item_id):
    """Create the draft translation of an item into a language (409 if the group has that language)."""
    user = require_user()
    source = load_item(item_id, user)
    data = json_body()
    refuse_unknown(data, {"language"})
    try:
        translation = translating.translate(user, source, data.get("language"))
    except operations.NotAllowed:
        raise forbidden() from None
    except translating.TranslationRefused as refusal:
        code = "translation_exists" if refusal.status == 409 else "invalid_language"
        raise ApiError(refusal.status, code, refusal.message, refusal.details) from None
    return jsonify(serialize(translation, user)), 201


@blueprint.get("/content/<item_id>/translations")
def list_translations(item_id):
    """Return the item's translation group: {language: {"id", "state", "outdated", "title"}}."""
    user = api_user()
    return jsonify(translating.overview(user, load_item(item_id, user)))


@blueprint.post("/translation-groups/<group>/workflow/<transition>")
def fire_group_transition(group, transition):
    """Fire a transition on every item of a translation group at once, all or none."""
    user = require_user()
    data = json_body() if request.get_data() else {}
    refuse_unknown(data, {"comment", "meeting_id"})
    try:
        items = translating.fire_group(
            user, group, transition, comment=data.get("comment"), meeting_id=data.get("meeting_id")
        )
    except LookupError:
        raise not_found() from None
    except operations.NotAllowed:
        raise forbidden() from None
    except TransitionNotAllowed as refusal:
        raise ApiError(403, "forbidden", refusal.message, refusal.details) from None
    except TransitionNotPossible as refusal:
        raise ApiError(422, "transition_not_possible", refusal.message, refusal.details) from None
    except TransitionConflict as conflict:
        raise ApiError(409, "conflict", conflict.message, conflict.details) from None
    return jsonify({"items": [serialize(item, user) for item in items]})
