"""How a stored body reaches the page: sanitised HTML as it is, plain text saved earlier as its paragraphs.

Bodies are sanitised (and plain text turned into paragraphs) when saved; bodies saved before that rule
may still be plain text with blank lines between paragraphs. The page, the admin preview and the PDF
read every body through body_html, so all three show the same paragraphs.
"""

from markupsafe import Markup

from content_types.sanitize import paragraphs_from_text


def body_html(body: str | None) -> Markup:
    """Return a stored (sanitised) body as HTML to show; plain text becomes paragraphs, escaped."""
    # Safe: a body with markup was sanitised on save; one without is escaped by paragraphs_from_text.
    return Markup(paragraphs_from_text(body or ""))


def init_app(app) -> None:
    """Offer body_html to the templates as a filter."""
    app.add_template_filter(body_html, "body_html")
