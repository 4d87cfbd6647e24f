"""Translations through the API: translate into a language, the group's members, the group's transitions."""

from flask import jsonify
from flask_babel import gettext as _

from cms.api import blueprint
from cms.api.content import load_item, serialize, serialize_page
from cms.api.requests import json_body, optional_json_body, refuse_unknown, require_user
from cms.auth import token_user
from cms.operations import translations
from cms.translation_source import source_panel
from content_types.refusals import NotFound


@blueprint.post("/content/<item_id>/translations")
def create_translation(item_id):
    """Create the draft translation of an item into a language (409 if the group has that language)."""
    user = require_user()
    source = load_item(item_id, user)
    data = json_body()
    refuse_unknown(data, {"language"})
    return jsonify(serialize(translations.translate(user, source, data.get("language")), user)), 201


@blueprint.get("/content/<item_id>/translations")
def list_translations(item_id):
    """Return the item's translation group: {language: {"id", "state", "outdated", "title"}}."""
    user = token_user()
    return jsonify(translations.overview(user, load_item(item_id, user)))


@blueprint.post("/translation-groups/<group>/workflow/<transition>")
def fire_group_transition(group, transition):
    """Fire a transition on every item of a translation group at once, all or none."""
    user = require_user()
    data = optional_json_body()
    items = translations.group_items(user, group)
    refuse_unknown(data, translations.accepted_group_inputs(items, transition))
    moved = translations.fire_group(user, items, transition, data)
    return jsonify({"items": serialize_page(moved, user)})


@blueprint.get("/content/<item_id>/translation-source")
def read_translation_source(item_id):
    """Return a translation's source text of the revision it renders, and what changed in the source since."""
    user = token_user()
    item = load_item(item_id, user)
    panel = source_panel(user, item)
    if panel is None:
        raise NotFound(_("This item is not a translation, or its source is not there for you."))
    source = panel["source"]
    return jsonify(
        {
            "source": {"id": str(source.pk), "language": source.language, "revision": panel["up_to"]},
            # None where it is not recorded, or the source's past is not the caller's to read.
            "translation_source_revision": panel["made_from"],
            "changed": panel["changed"],
            "fields": {
                entry["name"]: {
                    "text": entry["text"],
                    "diff": [
                        {
                            "kind": line.kind,
                            "parts": [{"changed": changed, "text": text} for changed, text in line.parts],
                        }
                        for line in entry["diff"]
                    ],
                }
                for entry in panel["fields"]
            },
        }
    )
