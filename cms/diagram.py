"""A workflow drawn as SVG: states top to bottom, forward moves on the right, back edges on the left."""

from markupsafe import Markup, escape

BOX_WIDTH, BOX_HEIGHT, GAP = 190, 34, 46
LEFT = 170  # room for back edges and their labels


def workflow_svg(definition: dict, current: str | None = None) -> Markup:
    """Return an inline SVG of `definition`, with the state `current` highlighted."""
    names = [state["name"] for state in definition["states"]]
    row = {name: index for index, name in enumerate(names)}
    top = {name: 10 + index * (BOX_HEIGHT + GAP) for index, name in enumerate(names)}
    height = 20 + len(names) * (BOX_HEIGHT + GAP)
    width = LEFT + BOX_WIDTH + 190
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(str(definition["title"]))}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4a5a6a"/></marker></defs>',
    ]
    # One edge per (source, dest); transitions sharing it share the label.
    edges: dict[tuple[str, str], list[str]] = {}
    for transition in definition["transitions"]:
        sources = transition["source"] if isinstance(transition["source"], (list, tuple)) else [transition["source"]]
        for source in sources:
            edges.setdefault((source, transition["dest"]), []).append(str(transition["title"]))
    right_lane = 0
    left_lane = 0
    for (source, dest), titles in edges.items():
        label = escape(" / ".join(titles))
        start, end = top[source], top[dest]
        if row[dest] == row[source] + 1:
            x = LEFT + BOX_WIDTH // 2
            parts.append(
                f'<line x1="{x}" y1="{start + BOX_HEIGHT}" x2="{x}" y2="{end}" stroke="#4a5a6a" '
                'marker-end="url(#arrow)"/>'
            )
            parts.append(f'<text x="{x + 8}" y="{start + BOX_HEIGHT + GAP // 2 + 4}" font-size="11">{label}</text>')
        elif row[dest] > row[source]:
            right_lane += 1
            x = LEFT + BOX_WIDTH + 14 * right_lane
            parts.append(
                f'<path d="M{LEFT + BOX_WIDTH},{start + BOX_HEIGHT // 2} H{x} V{end + BOX_HEIGHT // 2} '
                f'H{LEFT + BOX_WIDTH}" fill="none" stroke="#4a5a6a" marker-end="url(#arrow)"/>'
            )
            parts.append(f'<text x="{x + 4}" y="{(start + end) // 2 + BOX_HEIGHT // 2}" font-size="11">{label}</text>')
        else:
            left_lane += 1
            x = LEFT - 14 * left_lane
            parts.append(
                f'<path d="M{LEFT},{start + BOX_HEIGHT // 2} H{x} V{end + BOX_HEIGHT // 2} H{LEFT}" '
                'fill="none" stroke="#a4262c" stroke-dasharray="4 3" marker-end="url(#arrow)"/>'
            )
            parts.append(
                f'<text x="{x - 4}" y="{(start + end) // 2 + BOX_HEIGHT // 2}" font-size="11" '
                f'text-anchor="end">{label}</text>'
            )
    for state in definition["states"]:
        is_current = state["name"] == current
        fill, stroke, weight = ("#16324f", "#16324f", "bold") if is_current else ("#eef3f8", "#4a5a6a", "normal")
        colour = "#ffffff" if is_current else "#1d2733"
        y = top[state["name"]]
        parts.append(
            f'<rect x="{LEFT}" y="{y}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="6" fill="{fill}" '
            f'stroke="{stroke}"/>'
        )
        parts.append(
            f'<text x="{LEFT + BOX_WIDTH // 2}" y="{y + BOX_HEIGHT // 2 + 4}" text-anchor="middle" '
            f'font-size="13" font-weight="{weight}" fill="{colour}">{escape(str(state["title"]))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
