"""The body fields' widget: a textarea that the admin's rich-text editor (static/editor/) takes over.

The textarea stays the form field, so the form, its validation and the stale-edit check work as before,
and without JavaScript it is a plain textarea (plain text typed there becomes paragraphs when saved).
The editor finds it by its data-rich-text attribute, which carries the toolbar's labels in the reader's
language: the script itself holds no words.
"""

import json

from flask_babel import gettext as _
from wtforms import TextAreaField
from wtforms.widgets import TextArea


def editor_labels() -> dict[str, str]:
    """Return the editor's labels in the current language, keyed by the names static/editor's script uses."""
    return {
        "toolbar": _("Text formatting"),
        "paragraph": _("Paragraph"),
        # The buttons read H2, H3, H4; their names start with what they show (WCAG 2.5.3, axe's
        # label-content-name-mismatch), so a speech user saying "H2" finds the button.
        **{f"heading{level}": f"H{level}: {_('Heading %(level)s', level=level)}" for level in (2, 3, 4)},
        "bold": _("Bold"),
        "italic": _("Italic"),
        "bulletList": _("Bulleted list"),
        "orderedList": _("Numbered list"),
        "blockquote": _("Quotation"),
        "link": _("Link"),
        "unlink": _("Remove link"),
        "table": _("Insert table"),
        "undo": _("Undo"),
        "redo": _("Redo"),
        "tableToolbar": _("Table"),
        "addRow": _("Add row"),
        "addColumn": _("Add column"),
        "deleteRow": _("Delete row"),
        "deleteColumn": _("Delete column"),
        "deleteTable": _("Delete table"),
        "linkAddress": _("Link address"),
        "applyLink": _("Apply"),
        "cancel": _("Cancel"),
        "badLink": _("A link starts with https://, http:// or mailto: (or / for a page of this site)."),
    }


class RichTextArea(TextArea):
    """A textarea marked for the rich-text editor, with its labels."""

    def __call__(self, field, **kwargs):
        """Render the textarea with data-rich-text holding the translated labels (escaped as an attribute)."""
        kwargs.setdefault("data-rich-text", json.dumps(editor_labels(), ensure_ascii=False))
        return super().__call__(field, **kwargs)


class RichTextField(TextAreaField):
    """An HTML body: a textarea the rich-text editor enhances; the model sanitises what it receives."""

    widget = RichTextArea()
