"""The rendered download of a published document: a PDF with real CJK glyphs (reportlab)."""

import html
import io
import logging
from pathlib import Path

from flask import current_app, has_app_context
from flask_babel import format_date
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from cms.pdf_body import body_flowables
from content_types import LANGUAGE_NAMES

log = logging.getLogger(__name__)

# TrueType fonts with Chinese and Latin glyphs, embedded (subset) into the PDF.
# CMS_PDF_FONT names one explicitly; otherwise the first found here is used.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
FONT_NAME = "AllianceCJK"
# Without any such font: Adobe's STSong, which every CJK-capable PDF viewer
# supplies itself (not embedded).
FALLBACK_FONT = "STSong-Light"


def font_name() -> str:
    """Register and return the font for PDFs (an embedded CJK TrueType font when one is available)."""
    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    configured = current_app.config.get("CMS_PDF_FONT") if has_app_context() else None
    for path in ([configured] if configured else []) + list(FONT_CANDIDATES):
        if path and Path(path).is_file():
            pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=0))
            return FONT_NAME
    if FALLBACK_FONT not in pdfmetrics.getRegisteredFontNames():
        log.warning("no CJK TrueType font found (set CMS_PDF_FONT); PDFs use the viewer's %s", FALLBACK_FONT)
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


def a4_document(buffer, title: str) -> SimpleDocTemplate:
    """Return the alliance's A4 page layout writing into `buffer` (the same bytes for the same input)."""
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=_("Sino-German Industrial Cities Alliance"),
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        invariant=1,
    )


def render_pdf(
    title: str,
    language: str,
    version: int,
    published_at,
    meeting: str | None,
    details: list[tuple[str, str]],
    body: str,
) -> bytes:
    """Return the PDF of a published document: its metadata block, its fields and its text."""
    font = font_name()
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    heading = ParagraphStyle("title", parent=base, fontSize=18, leading=24, spaceAfter=8)
    meta = ParagraphStyle("meta", parent=base, fontSize=9, leading=13, textColor="#4a5a6a")
    buffer = io.BytesIO()
    document = a4_document(buffer, title)
    lines = [
        _("Language: %(language)s", language=LANGUAGE_NAMES.get(language, language)),
        _("Version %(number)s, published %(date)s", number=version, date=_long_date(published_at)),
    ]
    if meeting:
        lines.append(_("Approved at: %(meeting)s", meeting=meeting))
    story = [
        Paragraph(html.escape(_("Sino-German Industrial Cities Alliance")), meta),
        Paragraph(html.escape(title), heading),
    ]
    story += [Paragraph(html.escape(line), meta) for line in lines]
    story.append(Spacer(1, 10))
    for label, value in details:
        # Chinese writes a full-width colon: the separator is translated too.
        story.append(Paragraph(html.escape(_("%(label)s: %(value)s", label=label, value=value)), base))
    story.append(Spacer(1, 8))
    # The body as the page shows it: headings, paragraphs, lists, links, quotations, tables.
    story += body_flowables(body, base)
    document.build(story)
    return buffer.getvalue()


def _long_date(value) -> str:
    # In the current locale inside the app; ISO outside it (no catalogs there).
    return format_date(value, "long") if has_app_context() else value.strftime("%Y-%m-%d")
