"""What a translation's form shows beside its fields: the source text it was made from, and what changed since.

A translation records the source revision it renders (`translation_source_revision`,
set when it is made and moved on by its translator: operations.translations.confirm_source).
"""

from cms.labels import FIELD_LABELS
from cms.revisions import revision_of
from cms.security import can
from cms.text_diff import field_diff
from content_types import Content
from content_types.sanitize import sanitize_html
from workflows.permissions import HISTORY, VIEW

# Fields holding sanitised HTML (shown as such, compared as the text a reader sees).
HTML_FIELDS = ("body", "minutes")


def source_of(item: Content) -> Content | None:
    """Return the item a translation was made from (None for an original, or a source deleted since)."""
    return Content.objects(pk=item.translation_of).first() if item.translation_of else None


def source_panel(user, item: Content, up_to=None) -> dict | None:
    """Return what the form of translation `item` shows beside its fields, as `user` may see it; None if nothing.

    {"source", "made_from", "recorded", "up_to", "changed", "history", "fields": [{"name", "label", "kind", "text",
    "diff"}]}:
    each translatable field's source text at revision `made_from` (the one the
    translation renders) and its difference to revision `up_to` (the source's
    current one unless the form was opened at an earlier one). The source's
    earlier revisions are its past: without that permission (`history` False)
    only its current text is shown, without differences.
    """
    source = source_of(item)
    if source is None or not can(user, VIEW, source):
        return None
    newest = source.revision
    up_to = up_to if isinstance(up_to, int) and 0 < up_to <= newest else newest
    history = can(user, HISTORY, source)
    made_from_number = item.translation_source_revision
    target = revision_of(source, up_to) if history else None
    target = target or revision_of(source, newest)
    made_from = revision_of(source, made_from_number) if history and made_from_number else None
    shown = made_from or target
    fields = []
    for name in type(item).translatable_fields:
        if name not in type(source).editable_fields:
            continue
        before, after = shown.fields.get(name), target.fields.get(name)
        kind = (
            "html" if name in HTML_FIELDS else "list" if isinstance(before, list) or isinstance(after, list) else "text"
        )
        fields.append(
            {
                "name": name,
                "label": FIELD_LABELS.get(name, name),
                "kind": kind,
                # Sanitised when it was saved; sanitised again, as the allow-list may have narrowed since.
                "text": sanitize_html(before) if kind == "html" else (before or ([] if kind == "list" else "")),
                "diff": field_diff(before, after, kind == "html") if made_from is not None else [],
            }
        )
    return {
        "source": source,
        "made_from": made_from.number if made_from is not None else None,
        # The revision recorded on the translation, where its text is not shown (not stored, or not for `user`).
        "recorded": made_from_number if made_from is None else None,
        "up_to": target.number,
        "changed": made_from_number is None or made_from_number < target.number,
        "history": history,
        "fields": fields,
    }
