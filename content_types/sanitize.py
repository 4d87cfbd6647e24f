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


# Elements that make a body HTML besides the kept ones: it is then sanitised,
# so what they carry (scripts, handlers, frames) goes. Words in angle brackets
# ("Dritter <Absatz>") name no element: such a body is text, escaped, never dropped.
_OTHER_ELEMENTS = (
    "html head body title meta link base style script noscript template iframe frame frameset object embed "
    "applet param img picture source svg math video audio track canvas map area form input button select "
    "option optgroup textarea label fieldset legend output details summary dialog nav header footer main "
    "section article aside figure figcaption address abbr cite dfn kbd mark q samp small time var del ins "
    "wbr col colgroup tfoot dl dt dd center font big strike tt marquee xmp plaintext listing"
).split()
_MARKUP = re.compile(
    r"<(?:!|/?(?:%s)\b)" % "|".join(sorted({*ALLOWED_TAGS, *_OTHER_ELEMENTS}, key=len, reverse=True)),
    re.IGNORECASE,
)


def paragraphs_from_text(text: str | None) -> str:
    """Return plain text typed with blank lines between paragraphs as HTML paragraphs (HTML stays as it is).

    A textarea gives "Dear …\n\nText\n\nRegards"; shown as HTML that would run
    together, while the PDF kept the lines: both now read the same paragraphs.
    """
    if not text or _MARKUP.search(text):
        return text or ""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if block.strip()]
    return "".join("<p>" + html.escape(block).replace("\n", "<br>") + "</p>" for block in blocks)
