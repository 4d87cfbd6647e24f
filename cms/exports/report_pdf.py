"""The report to member cities and agencies as a PDF: summary tables and charts of a period's projects (reportlab).

Written in the language asked for, with the CJK font cms.pdf registers (so
that Chinese city names and titles render); the charts are reportlab
drawings, each beside the table of its numbers, so the numbers are text a
reader (or a screen reader, or a test) can take from the page.
"""

import html
import io
import math

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from cms.exports.charts import PALETTE
from cms.exports.statistics import Figures
from cms.pdf import a4_document, font_name
from cms.pdf_body import body_flowables
from content_types.company import STAGE_TITLES, STAGES

WIDTH = A4[0] - 4.4 * cm
# The most rows a ranking (city pairs, sectors) lists and draws; the rest are summed up as "others".
LONGEST_RANKING = 12


def render_report(title: str, body: str, shown: Figures, compiled_at) -> bytes:
    """Return the report's PDF: title, period, introduction, summary and, per breakdown, a table and a chart."""
    font = font_name()
    base = ParagraphStyle("body", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    styles = {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=24, spaceAfter=6),
        "heading": ParagraphStyle("heading", parent=base, fontSize=13, leading=18, spaceBefore=12, spaceAfter=6),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9, leading=13, textColor="#4a5a6a"),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
    }
    buffer = io.BytesIO()
    document = a4_document(buffer, title)
    story = [
        Paragraph(html.escape(_("Sino-German Industrial Cities Alliance")), styles["meta"]),
        Paragraph(html.escape(title), styles["title"]),
        Paragraph(
            html.escape(
                _(
                    "Period: %(start)s to %(end)s",
                    start=format_date(shown.period_start, "long"),
                    end=format_date(shown.period_end, "long"),
                )
            ),
            styles["meta"],
        ),
        Paragraph(html.escape(_("Compiled on %(date)s", date=format_date(compiled_at, "long"))), styles["meta"]),
        Spacer(1, 8),
    ]
    story += body_flowables(body or "", base)
    story += _summary(shown, styles)
    story += _stages(shown, styles, font)
    story += _pipeline(shown, styles, font)
    story += _ranking(
        _("Projects by city pair"),
        _("City pair"),
        [(f"{german} – {chinese}", count) for german, chinese, count in shown.by_city_pair],
        styles,
        font,
    )
    story += _ranking(
        _("Projects by sector of their companies"),
        _("Sector"),
        [(title, count) for _code, title, count in shown.by_sector],
        styles,
        font,
    )
    story.append(Spacer(1, 10))
    story.append(
        Paragraph(
            html.escape(
                _(
                    "Counted are the published cooperation projects that had begun by the end of the period and "
                    "had not been completed or dropped before it began; a project's stage is the one it had at "
                    "the end of the period. A project counts once for each sector among its companies."
                )
            ),
            styles["meta"],
        )
    )
    document.build(story)
    return buffer.getvalue()


def _number(value) -> str:
    return format_decimal(value)


def _table(header: list[str], rows: list[list], styles: dict, widths: list[float]) -> Table:
    cell = styles["cell"]
    data = [[Paragraph(html.escape(str(text)), cell) for text in header]]
    data += [[Paragraph(html.escape(str(value)), cell) for value in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles["base"].fontName),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#adb5bd")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _summary(shown: Figures, styles: dict) -> list:
    rows = [
        [_("Projects in the period"), _number(shown.total)],
        [_("Of these, begun in the period"), _number(shown.new)],
    ]
    rows += [[_("Volume in %(currency)s", currency=currency), _number(total)] for currency, total in shown.volume]
    return [
        Paragraph(html.escape(_("Summary")), styles["heading"]),
        _table([_("Figure"), _("Value")], rows, styles, [WIDTH * 0.6, WIDTH * 0.4]),
    ]


def _stages(shown: Figures, styles: dict, font: str) -> list:
    rows = [[title, _number(count)] for _code, title, count in shown.by_stage]
    chart = _bars([(title, count) for _code, title, count in shown.by_stage], font)
    return [
        Paragraph(html.escape(_("Projects by stage at the end of the period")), styles["heading"]),
        KeepTogether([_table([_("Stage"), _("Projects")], rows, styles, [WIDTH * 0.6, WIDTH * 0.4]), chart]),
    ]


def _pipeline(shown: Figures, styles: dict, font: str) -> list:
    if not shown.by_quarter:
        return []
    stages = [str(STAGE_TITLES[stage]) for stage in STAGES]
    header = [_("Quarter"), *stages]
    rows = [[label, *(_number(value) for value in values)] for label, values in shown.by_quarter]
    first = WIDTH * 0.22
    widths = [first] + [(WIDTH - first) / len(stages)] * len(stages)
    return [
        Paragraph(html.escape(_("Projects by stage, quarter by quarter")), styles["heading"]),
        KeepTogether([_table(header, rows, styles, widths), Spacer(1, 6), _stacked(shown.by_quarter, stages, font)]),
    ]


def _ranking(title: str, what: str, rows: list[tuple[str, int]], styles: dict, font: str) -> list:
    heading = Paragraph(html.escape(title), styles["heading"])
    if not rows:
        return [heading, Paragraph(html.escape(_("No projects in the period.")), styles["base"])]
    if len(rows) > LONGEST_RANKING:
        rest = sum(count for _label, count in rows[LONGEST_RANKING - 1 :])
        rows = rows[: LONGEST_RANKING - 1] + [(_("Others"), rest)]
    table = _table(
        [what, _("Projects")], [[label, _number(count)] for label, count in rows], styles, [WIDTH * 0.7, WIDTH * 0.3]
    )
    return [heading, KeepTogether([table, _bars(rows, font)])]


def _step(largest: int) -> int:
    return max(1, math.ceil(largest / 5))


def _bars(rows: list[tuple[str, int]], font: str) -> Drawing:
    # Horizontal bars, the first row on top; labels cut to fit beside them.
    bar_room = 16
    height = 32 + bar_room * len(rows)
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = WIDTH * 0.42, 22
    chart.width, chart.height = WIDTH * 0.5, bar_room * len(rows)
    chart.data = [[count for _label, count in reversed(rows)]]
    chart.categoryAxis.categoryNames = [label if len(label) <= 40 else label[:39] + "…" for label, _c in reversed(rows)]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    largest = max([count for _label, count in rows] + [1])
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, _step(largest) * 5
    chart.valueAxis.valueStep = _step(largest)
    chart.bars[0].fillColor = colors.HexColor(PALETTE[0])
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    return drawing


def _stacked(columns: list[tuple[str, list[int]]], stages: list[str], font: str) -> Drawing:
    # Stacked columns, one per quarter, one colour per stage, with a legend underneath.
    drawing = Drawing(WIDTH, 210)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 60, WIDTH - 40, 140
    chart.data = [[values[index] for _label, values in columns] for index in range(len(stages))]
    chart.categoryAxis.categoryNames = [label for label, _values in columns]
    chart.categoryAxis.style = "stacked"
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = font
        axis.labels.fontSize = 7
    largest = max([sum(values) for _label, values in columns] + [1])
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, _step(largest) * 5
    chart.valueAxis.valueStep = _step(largest)
    for index in range(len(stages)):
        chart.bars[index].fillColor = colors.HexColor(PALETTE[index % len(PALETTE)])
        chart.bars[index].strokeColor = None
    legend = Legend()
    legend.x, legend.y = 30, 30
    legend.fontName, legend.fontSize = font, 8
    legend.alignment = "right"
    legend.columnMaximum = 2
    legend.colorNamePairs = [(colors.HexColor(PALETTE[i % len(PALETTE)]), name) for i, name in enumerate(stages)]
    drawing.add(chart)
    drawing.add(legend)
    return drawing
