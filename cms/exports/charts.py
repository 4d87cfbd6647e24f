"""Small SVG charts drawn on the server: horizontal bars and stacked columns, for the staff dashboard.

Inline SVG with presentation attributes (fill=, font-size=) only, never a
style attribute: the CSP allows no inline style. Each chart names itself in
<title> and says what it shows in <desc> (screen readers read these); the
page puts a table of the same numbers beside it. Every text is escaped.
"""

from markupsafe import Markup, escape

# Colours that keep apart for most colour-blind readers (Okabe & Ito), one per stage.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#56B4E9", "#CC79A7", "#999999", "#D55E00", "#F0E442")
TEXT = "#212529"
GRID = "#dee2e6"
FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"


def _open(chart_id: str, width: int, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img"'
        f' class="chart" id="{escape(chart_id)}" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc"'
        f' font-family="{FONT}" font-size="13" fill="{TEXT}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]


def bar_chart(chart_id: str, title: str, description: str, rows: list[tuple[str, int]], width: int = 560) -> Markup:
    """Return an SVG of horizontal bars, one per (label, value), the value written at each bar's end."""
    label_width, bar_height, gap, top = 220, 20, 8, 8
    height = top * 2 + max(len(rows), 1) * (bar_height + gap)
    largest = max([value for _label, value in rows] + [1])
    room = width - label_width - 50
    parts = _open(chart_id, width, height, title, description)
    for index, (label, value) in enumerate(rows):
        y = top + index * (bar_height + gap)
        length = round(room * value / largest) if value else 0
        shown = fitted(label, 28)
        parts += [
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(shown)}</text>",
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" fill="{PALETTE[0]}"/>',
            f'<text x="{label_width + length + 6}" y="{y + bar_height * 0.7:.1f}">{value}</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_columns(
    chart_id: str,
    title: str,
    description: str,
    columns: list[tuple[str, list[int]]],
    series: list[str],
    width: int = 560,
) -> Markup:
    """Return an SVG of stacked columns: one per (label, [value per series]), a legend naming the series."""
    left, bottom, top, legend_row = 36, 28, 10, 20
    legend_height = legend_row * ((len(series) + 2) // 3)
    plot_height = 200
    height = top + plot_height + bottom + legend_height
    largest = max([sum(values) for _label, values in columns] + [1])
    step = (width - left - 10) / max(len(columns), 1)
    column_width = min(48, step * 0.7)
    parts = _open(chart_id, width, height, title, description)
    baseline = top + plot_height
    for tick in _ticks(largest):
        y = baseline - plot_height * tick / largest
        parts += [
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="{GRID}"/>',
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{tick}</text>',
        ]
    for index, (label, values) in enumerate(columns):
        x = left + step * index + (step - column_width) / 2
        y = baseline
        for number, value in enumerate(values):
            if not value:
                continue
            size = plot_height * value / largest
            y -= size
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{column_width:.1f}" height="{size:.1f}"'
                f' fill="{PALETTE[number % len(PALETTE)]}"><title>{escape(label)}: {escape(series[number])} {value}'
                "</title></rect>"
            )
        parts.append(
            f'<text x="{x + column_width / 2:.1f}" y="{baseline + 18}" text-anchor="middle" font-size="11">'
            f"{escape(label)}</text>"
        )
    for number, name in enumerate(series):
        x = left + (number % 3) * ((width - left) / 3)
        y = baseline + bottom + (number // 3) * legend_row + 4
        parts += [
            f'<rect x="{x:.1f}" y="{y}" width="12" height="12" fill="{PALETTE[number % len(PALETTE)]}"/>',
            f'<text x="{x + 18:.1f}" y="{y + 11}" font-size="12">{escape(name)}</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))


def fitted(label: str, room: int) -> str:
    """Return `label` cut to about `room` Latin letters' width (a Chinese character is two), with … where cut."""
    used = 0
    for index, char in enumerate(label):
        used += 2 if ord(char) > 0x2E80 else 1
        if used > room:
            return label[: max(index - 1, 1)] + "…"
    return label


def _ticks(largest: int) -> list[int]:
    # About five round steps from 0 to the largest value.
    step = max(1, round(largest / 5))
    return list(range(0, largest + 1, step))
