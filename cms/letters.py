"""Formal letters the secretariat sends (the notification of membership): one PDF, one section per language.

Built with the PDF machinery of the published documents (cms.pdf: the
embedded CJK font, the body's flowables), so Chinese and German read alike.
"""

import html
import io

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

from cms.pdf import font_name
from cms.pdf_body import body_flowables
from content_types import MemberCity
from content_types.base import utcnow

# The languages of a city's letters: its own first, then the alliance's other working language.
CITY_LANGUAGES = {"CN": ("zh", "de"), "DE": ("de", "zh")}


def notification_letter(city: MemberCity, accepted_at, signed_at, consulted: int) -> bytes:
    """Return the formal notification of `city`'s admission as a PDF, in the city's languages."""
    font = font_name()
    base = ParagraphStyle("letter", fontName=font, fontSize=11, leading=16, wordWrap="CJK", spaceAfter=6)
    heading = ParagraphStyle("letter-title", parent=base, fontSize=16, leading=22, spaceAfter=10)
    meta = ParagraphStyle("letter-meta", parent=base, fontSize=9, leading=13, textColor="#4a5a6a")
    buffer = io.BytesIO()
    story = []
    for index, language in enumerate(CITY_LANGUAGES.get(city.country, ("de", "zh"))):
        with force_locale(language):
            if index:
                story.append(PageBreak())
            story += [
                Paragraph(html.escape(_("Sino-German Industrial Cities Alliance — Secretariat")), meta),
                Paragraph(html.escape(format_date(utcnow(), "long")), meta),
                Spacer(1, 12),
                Paragraph(html.escape(_("Notification of membership: %(city)s", city=city.name(language))), heading),
            ]
            story += body_flowables(_letter_body(city, language, accepted_at, signed_at, consulted), base)
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{city.name_de} / {city.name_zh}",
        author="Sino-German Industrial Cities Alliance",
        leftMargin=2.4 * cm,
        rightMargin=2.4 * cm,
        topMargin=2.2 * cm,
        bottomMargin=2.2 * cm,
        invariant=1,
    )
    document.build(story)
    return buffer.getvalue()


def _letter_body(city: MemberCity, language: str, accepted_at, signed_at, consulted: int) -> str:
    paragraphs = [
        _("Dear Sir or Madam,"),
        _(
            "We are pleased to inform you that %(city)s has been admitted to the Sino-German Industrial Cities "
            "Alliance: all %(count)s member cities consulted gave their written consent, and the application was "
            "accepted on %(accepted)s.",
            city=city.name(language),
            count=consulted,
            accepted=format_date(accepted_at, "long"),
        ),
        _(
            "The member declaration signed by %(city)s was received on %(signed)s.",
            city=city.name(language),
            signed=format_date(signed_at, "long"),
        ),
        _("The new member will be announced at the next meeting of the alliance."),
        _("With kind regards, the Secretariat"),
    ]
    return "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
