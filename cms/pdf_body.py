"""A sanitised body as PDF flowables: the headings, paragraphs, lists, links, quotations and tables the page shows.

The body reaching here went through content_types/sanitize.py, so it holds only the allow-listed tags;
anything else met here is read for its text. Inline formatting becomes reportlab's paragraph markup
(<b>, <i>, <u>, <strike>, <sub>, <super>, <a href>, <br/>), blocks become flowables.
"""

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import HRFlowable, Indenter, ListFlowable, ListItem, Paragraph, Table, TableStyle

from content_types.sanitize import paragraphs_from_text

VOID = {"br", "hr"}
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "table", "hr"}
INLINE_MARKUP = {"strong": "b", "b": "b", "em": "i", "i": "i", "u": "u", "s": "strike", "sub": "sub", "sup": "super"}
HEADING_SIZES = {"h1": 16, "h2": 15, "h3": 13, "h4": 11.5, "h5": 10.5, "h6": 10.5}
LINK_COLOUR = "#0b5394"
BULLET_FONT = "Helvetica"
# Links that lead somewhere from a PDF; a site-relative path has no site to be relative to there.
_PDF_LINK = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)


@dataclass
class Element:
    """One element of the body: its tag, attributes and children (elements and text)."""

    tag: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("body")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Element(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        # Close up to the matching open element; a stray end tag closes nothing.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_body(body: str) -> Element:
    """Return the body's element tree under a root element."""
    builder = _TreeBuilder()
    builder.feed(body or "")
    builder.close()
    return builder.root


class BodyStyles:
    """The paragraph styles of a body, derived from the document's base style (font, size, leading)."""

    def __init__(self, base: ParagraphStyle):
        self.paragraph = ParagraphStyle("body-p", parent=base, spaceAfter=6)
        self.headings = {
            tag: ParagraphStyle(
                f"body-{tag}", parent=base, fontSize=size, leading=size * 1.3, spaceBefore=8, spaceAfter=4
            )
            for tag, size in HEADING_SIZES.items()
        }
        self.quote = ParagraphStyle("body-quote", parent=self.paragraph, textColor="#4a5a6a")
        self.cell = ParagraphStyle("body-cell", parent=base)
        self.font = base.fontName
        self.size = base.fontSize


def body_flowables(body: str, base: ParagraphStyle) -> list:
    """Return the flowables that show a sanitised HTML body in a PDF as the public page shows it."""
    # Plain text saved before bodies were HTML keeps its paragraphs, as on the page (cms/bodies.py).
    return _blocks(parse_body(paragraphs_from_text(body)).children, BodyStyles(base), "paragraph")


def _is_block(node) -> bool:
    return isinstance(node, Element) and node.tag in BLOCKS


def _blocks(children: list, styles: BodyStyles, kind: str) -> list:
    # Runs of inline content between blocks become paragraphs of their own (as a browser shows them).
    flowables, run = [], []
    for child in children + [None]:
        if child is None or _is_block(child):
            markup = _inline(run).strip()
            if markup and _has_text(run):
                flowables.append(Paragraph(markup, getattr(styles, kind)))
            run = []
            if child is not None:
                flowables += _block(child, styles, kind)
        else:
            run.append(child)
    return flowables


def _block(node: Element, styles: BodyStyles, kind: str) -> list:
    tag = node.tag
    if tag in styles.headings:
        return [Paragraph(_inline(node.children).strip(), styles.headings[tag])] if _has_text([node]) else []
    if tag in ("ul", "ol"):
        return [_list(node, styles, kind)]
    if tag == "blockquote":
        return [Indenter(left=14), *_blocks(node.children, styles, "quote"), Indenter(left=-14)]
    if tag == "pre":
        text = html.escape(_text(node)).replace("\n", "<br/>").replace("  ", "&nbsp; ")
        return [Paragraph(text, getattr(styles, kind))]
    if tag == "table":
        return _table(node, styles)
    if tag == "hr":
        return [HRFlowable(width="100%", thickness=0.5, color=colors.HexColor("#8a99a8"), spaceBefore=4, spaceAfter=8)]
    return _blocks(node.children, styles, kind)  # p, div, a stray li


def _list(node: Element, styles: BodyStyles, kind: str) -> ListFlowable:
    items = [
        ListItem(_blocks(child.children, styles, kind) or [Paragraph("", getattr(styles, kind))])
        for child in node.children
        if isinstance(child, Element) and child.tag == "li"
    ]
    ordered = node.tag == "ol"
    start = node.attrs.get("start", "1")
    return ListFlowable(
        items,
        bulletType="1" if ordered else "bullet",
        start=int(start) if ordered and start.isdigit() else (1 if ordered else "•"),
        # The CJK fonts lack "•" (U+2022); Helvetica, one of the PDF's standard fonts, has it and digits.
        bulletFontName=styles.font if ordered else BULLET_FONT,
        bulletFontSize=styles.size,
        bulletFormat="%s." if ordered else None,  # "1." as a browser numbers the list
        leftIndent=18,
        spaceAfter=6,
    )


def _rows(node: Element) -> list[Element]:
    rows = []
    for child in node.children:
        if isinstance(child, Element):
            if child.tag == "tr":
                rows.append(child)
            elif child.tag in ("thead", "tbody", "tfoot"):
                rows += _rows(child)
    return rows


def _span(cell: Element, name: str) -> int:
    value = cell.attrs.get(name, "1")
    return max(1, min(int(value), 100)) if value.isdigit() else 1


def _table(node: Element, styles: BodyStyles) -> list:
    # Place each cell on a grid, skipping the places earlier cells span into (colspan/rowspan).
    taken, placed = set(), []
    for r, row in enumerate(_rows(node)):
        c = 0
        for cell in (child for child in row.children if isinstance(child, Element) and child.tag in ("td", "th")):
            while (r, c) in taken:
                c += 1
            columns, rows = _span(cell, "colspan"), _span(cell, "rowspan")
            taken.update((r + dr, c + dc) for dr in range(rows) for dc in range(columns))
            placed.append((r, c, columns, rows, cell))
            c += columns
    if not placed:
        return []
    height = max(r for r, _ in taken) + 1
    width = max(c for _, c in taken) + 1
    data = [["" for _ in range(width)] for _ in range(height)]
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#8a99a8")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for r, c, columns, rows, cell in placed:
        data[r][c] = _blocks(cell.children, styles, "cell") or ""
        if columns > 1 or rows > 1:
            commands.append(("SPAN", (c, r), (c + columns - 1, r + rows - 1)))
        if cell.tag == "th":
            commands.append(("BACKGROUND", (c, r), (c + columns - 1, r + rows - 1), colors.HexColor("#eef3f8")))
    flowables = []
    caption = next((child for child in node.children if isinstance(child, Element) and child.tag == "caption"), None)
    if caption is not None and _has_text([caption]):
        flowables.append(Paragraph(_inline(caption.children).strip(), styles.paragraph))
    table = Table(data, style=TableStyle(commands), hAlign="LEFT", spaceAfter=8)
    return [*flowables, table]


def _inline(children: list) -> str:
    parts = []
    for child in children:
        if isinstance(child, str):
            # As a browser shows it: runs of white space are one space.
            parts.append(html.escape(re.sub(r"\s+", " ", child), quote=False))
        elif child.tag == "br":
            parts.append("<br/>")
        elif child.tag in INLINE_MARKUP:
            tag = INLINE_MARKUP[child.tag]
            parts.append(f"<{tag}>{_inline(child.children)}</{tag}>")
        elif child.tag == "a" and _PDF_LINK.match(child.attrs.get("href") or ""):
            href = html.escape(child.attrs["href"])
            parts.append(f'<a href="{href}" color="{LINK_COLOUR}"><u>{_inline(child.children)}</u></a>')
        else:
            parts.append(_inline(child.children))
    return "".join(parts)


def _text(node) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text(child) for child in node.children)


def _has_text(nodes: list) -> bool:
    return any(_text(node).strip() for node in nodes)
