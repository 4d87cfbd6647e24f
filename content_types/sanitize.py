"""Allow-list HTML sanitising for rich-text bodies (nh3, the Ammonia binding)."""

import html
import re

import nh3

# What an editor needs for documents and circulars, nothing that runs code or
# changes where the page points (no script, iframe, form, base, style, event handlers).
ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "blockquote",
    "pre",
    "code",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "span",
    "div",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str | None) -> str:
    """Return `html` with everything outside the allow-list removed."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


_MARKUP = re.compile(r"<[a-zA-Z/!]")


def paragraphs_from_text(text: str | None) -> str:
    """Return plain text typed with blank lines between paragraphs as HTML paragraphs (HTML stays as it is).

    A textarea gives "Dear …\n\nText\n\nRegards"; shown as HTML that would run
    together, while the PDF kept the lines: both now read the same paragraphs.
    """
    if not text or _MARKUP.search(text):
        return text or ""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if block.strip()]
    return "".join("<p>" + html.escape(block).replace("\n", "<br>") + "</p>" for block in blocks)
