"""A workflow drawn as SVG: states top to bottom, forward moves on the right, back edges on the left.

Each edge is labelled with its steps, one per line, each naming the roles
that take it ("Publish: Approver"); the drawing is as wide as its labels.
"""

from flask_babel import gettext as _
from markupsafe import Markup, escape

from workflows import sources_of, takers

BOX_WIDTH, BOX_HEIGHT, GAP = 190, 34, 46
LANE = 14  # distance between neighbouring side lanes
LINE = 13  # height of one label line
MARGIN = 8


def workflow_svg(definition: dict, current: str | None = None) -> Markup:
    """Return an inline SVG of `definition`, with the state `current` highlighted."""
    names = [state["name"] for state in definition["states"]]
    row = {name: index for index, name in enumerate(names)}
    top = {name: 10 + index * (BOX_HEIGHT + GAP) for index, name in enumerate(names)}
    edges = _edges(definition)
    # Lay out first (which lane each edge takes), then size the drawing to its widest label.
    down, right, left = [], [], []
    for (source, dest), lines in edges.items():
        if row[dest] == row[source] + 1:
            down.append((source, dest, lines))
        elif row[dest] > row[source]:
            right.append((source, dest, lines, len(right) + 1))
        else:
            left.append((source, dest, lines, len(left) + 1))
    # Side labels stand outside all lanes, so no lane's line crosses them.
    left_edge = max([LANE * len(left) + 4 + _widest(lines) for *_ends, lines, _lane in left], default=0) + MARGIN
    box_left = max(left_edge, 40)
    centre = box_left + BOX_WIDTH // 2
    width = (
        max(
            [box_left + BOX_WIDTH + MARGIN]
            + [centre + MARGIN + _widest(lines) for *_ends, lines in down]
            + [box_left + BOX_WIDTH + LANE * len(right) + 4 + _widest(lines) for *_ends, lines, _lane in right]
        )
        + MARGIN
    )
    height = 20 + len(names) * (BOX_HEIGHT + GAP)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(str(definition["title"]))}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4a5a6a"/></marker></defs>',
    ]
    for source, dest, lines in down:
        start, end = top[source], top[dest]
        parts.append(
            f'<line x1="{centre}" y1="{start + BOX_HEIGHT}" x2="{centre}" y2="{end}" stroke="#4a5a6a" '
            'marker-end="url(#arrow)"/>'
        )
        parts.append(_label(centre + MARGIN, (start + BOX_HEIGHT + end) // 2, lines))
    for source, dest, lines, lane in right:
        start, end = top[source], top[dest]
        x = box_left + BOX_WIDTH + LANE * lane
        parts.append(
            f'<path d="M{box_left + BOX_WIDTH},{start + BOX_HEIGHT // 2} H{x} V{end + BOX_HEIGHT // 2} '
            f'H{box_left + BOX_WIDTH}" fill="none" stroke="#4a5a6a" marker-end="url(#arrow)"/>'
        )
        parts.append(_label(box_left + BOX_WIDTH + LANE * len(right) + 4, (start + end) // 2 + BOX_HEIGHT // 2, lines))
    for source, dest, lines, lane in left:
        start, end = top[source], top[dest]
        x = box_left - LANE * lane
        parts.append(
            f'<path d="M{box_left},{start + BOX_HEIGHT // 2} H{x} V{end + BOX_HEIGHT // 2} H{box_left}" '
            'fill="none" stroke="#a4262c" stroke-dasharray="4 3" marker-end="url(#arrow)"/>'
        )
        parts.append(_label(box_left - LANE * len(left) - 4, (start + end) // 2 + BOX_HEIGHT // 2, lines, anchor="end"))
    for state in definition["states"]:
        is_current = state["name"] == current
        fill, stroke, weight = ("#16324f", "#16324f", "bold") if is_current else ("#eef3f8", "#4a5a6a", "normal")
        colour = "#ffffff" if is_current else "#1d2733"
        y = top[state["name"]]
        parts.append(
            f'<rect x="{box_left}" y="{y}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="6" fill="{fill}" '
            f'stroke="{stroke}"/>'
        )
        parts.append(
            f'<text x="{centre}" y="{y + BOX_HEIGHT // 2 + 4}" text-anchor="middle" '
            f'font-size="13" font-weight="{weight}" fill="{colour}">{escape(str(state["title"]))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _edges(definition: dict) -> dict[tuple[str, str], list[str]]:
    # One edge per (source, dest); the steps sharing it are its label's lines.
    edges: dict[tuple[str, str], list[str]] = {}
    for transition in definition["transitions"]:
        line = _("%(step)s: %(roles)s", step=transition["title"], roles=", ".join(takers(transition)))
        for source in sources_of(transition):
            edges.setdefault((source, transition["dest"]), []).append(str(line))
    return edges


def _label(x: int, middle: int, lines: list[str], anchor: str = "start") -> str:
    # Lines centred on `middle`, one <tspan> each.
    first = middle + 4 - (len(lines) - 1) * LINE // 2
    spans = "".join(
        f'<tspan x="{x}" y="{first + index * LINE}">{escape(line)}</tspan>' for index, line in enumerate(lines)
    )
    # A white halo keeps a label readable where a lane's line crosses it.
    return (
        f'<text font-size="11" text-anchor="{anchor}" stroke="#ffffff" stroke-width="3" '
        f'paint-order="stroke" fill="#1d2733">{spans}</text>'
    )


def _widest(lines: list[str]) -> int:
    # An estimate of the rendered width at 11 px: wide (CJK) characters take about twice a Latin one.
    return max(int(sum(11 if ord(char) >= 0x2E80 else 6.2 for char in line)) for line in lines)
