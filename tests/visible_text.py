"""What a reader of a page sees or hears, for tests that check the words of a language."""

import re
from html.parser import HTMLParser

# Elements a reader never sees (Flask-Admin keeps its filter definitions and row templates in hidden ones).
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-confirm")


class _VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes and labelling attributes outside hidden elements."""

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, bool]] = []
        self.words: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        hidden = (
            tag in ("script", "style", "template")
            or {"d-none", "hide"} & set(classes)
            or "inline-field-template" in classes
            or "hidden" in attributes
            or attributes.get("type") == "hidden"
        )
        if not hidden and not self._inside_hidden():
            self.words += [attributes[name] for name in SHOWN_ATTRIBUTES if attributes.get(name)]
            if tag == "input" and attributes.get("type") in ("submit", "button"):
                self.words.append(attributes.get("value") or "")
        if tag not in VOID:
            self.open.append((tag, bool(hidden)))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if not self._inside_hidden():
            self.words.append(data)

    def _inside_hidden(self) -> bool:
        return any(hidden for _tag, hidden in self.open)


def latin_words(html: str, allowed: set[str] = frozenset()) -> set[str]:
    """Return the Latin-script words of three letters or more a reader of `html` sees, less the allowed ones."""
    parser = _VisibleText()
    parser.feed(html)
    # Whole words only: not the letters inside a checksum like 958dbeaa8ef6.
    words = set(re.findall(r"(?<![0-9A-Za-z])[A-Za-zÄÖÜäöüß]{3,}(?![0-9A-Za-z])", " ".join(parser.words)))
    return words - allowed
