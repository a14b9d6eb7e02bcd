"""Small charts as inline SVG drawn on the server: no library, no JavaScript.

Each function returns the SVG only; the page puts the same numbers in a table beside it (the chart
is `role="img"` with a label, the table is what assistive technology reads). Coordinates are
rounded to one decimal so the markup is stable and testable.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

INK, MUTED, LINE, ACCENT, BAD = "#1b2430", "#5b6776", "#d8dee6", "#1f5fbf", "#b42318"


def _r(value: float) -> str:
    return f"{round(value, 1):g}"


def line_chart(
    points: list[tuple[str, float]],
    *,
    label: str,
    low: float,
    high: float,
    threshold: float | None = None,
    width: int = 480,
    height: int = 160,
    margin: int = 30,
) -> SafeString:
    """`points` (x label, value) left to right on a fixed scale from `low` to `high`, with an
    optional dashed threshold line. x of point i of n is margin + i * (width - 2 margin)/(n - 1)
    (the middle for one point); y of v is margin + (1 - (v - low)/(high - low)) * (height - 2
    margin)."""
    plot_w, plot_h = width - 2 * margin, height - 2 * margin
    span = (high - low) or 1.0

    def x(i: int) -> float:
        return margin + (plot_w * i / (len(points) - 1) if len(points) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return margin + (1 - (min(max(v, low), high) - low) / span) * plot_h

    coords = [(x(i), y(v)) for i, (_, v) in enumerate(points)]
    path = " ".join(f"{_r(cx)},{_r(cy)}" for cx, cy in coords)
    parts = [
        format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="#fff" stroke="{}"></rect>',
            margin,
            margin,
            plot_w,
            plot_h,
            LINE,
        ),
        format_html(
            '<text x="{}" y="{}" font-size="11" fill="{}" text-anchor="end">{}</text>'
            '<text x="{}" y="{}" font-size="11" fill="{}" text-anchor="end">{}</text>',
            margin - 4,
            _r(y(high) + 4),
            MUTED,
            _r(high),
            margin - 4,
            _r(y(low) + 4),
            MUTED,
            _r(low),
        ),
    ]
    if threshold is not None:
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-dasharray="5 4"></line>',
                margin,
                margin + plot_w,
                _r(y(threshold)),
                _r(y(threshold)),
                BAD,
            )
        )
    if len(coords) > 1:
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"></polyline>',
                path,
                ACCENT,
            )
        )
    parts.append(
        format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="3.5" fill="{}"><title>{}: {}</title></circle>',
            (
                (_r(cx), _r(cy), ACCENT, name, _r(v))
                for (cx, cy), (name, v) in zip(coords, points, strict=True)
            ),
        )
    )
    if points:
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" fill="{}">{}</text>'
                '<text x="{}" y="{}" font-size="11" fill="{}" text-anchor="end">{}</text>',
                margin,
                height - 8,
                MUTED,
                points[0][0],
                margin + plot_w,
                height - 8,
                MUTED,
                points[-1][0],
            )
        )
    return _svg(width, height, label, parts)


def bar_chart(
    bars: list[tuple[str, float]],
    *,
    label: str,
    high: float,
    width: int = 480,
    bar_height: int = 18,
    gap: int = 8,
    label_width: int = 150,
) -> SafeString:
    """Horizontal bars, one per (name, value), on a scale from 0 to `high`: bar i starts at
    y = gap + i * (bar_height + gap) and is (value / high) * (width - label_width - 40) long."""
    plot_w = width - label_width - 40
    height = gap + len(bars) * (bar_height + gap)
    rows = []
    for i, (name, value) in enumerate(bars):
        top = gap + i * (bar_height + gap)
        length = plot_w * min(max(value, 0.0), high) / (high or 1.0)
        rows.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" fill="{}" text-anchor="end">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
                label_width - 6,
                _r(top + bar_height * 0.75),
                INK,
                name,
                label_width,
                top,
                _r(length),
                bar_height,
                ACCENT,
                _r(label_width + length + 4),
                _r(top + bar_height * 0.75),
                INK,
                _r(value),
            )
        )
    return _svg(width, height, label, rows)


def paired_grids(
    before: list[list[int]],
    after: list[list[int]],
    colours: list[list[str]],
    *,
    titles: tuple[str, str],
    label: str,
    cell: int = 36,
    gap: int = 40,
    margin: int = 24,
) -> SafeString:
    """Two grids of counts side by side on the same coloured cells (a heat map before and after):
    row r, column c of the left grid is a square of side `cell` at x = margin + c * cell,
    y = margin + 18 + r * cell; the right grid is the same, moved right by its width plus `gap`.
    A cell's count is written at its centre; an empty cell stays blank."""
    rows = len(colours)
    columns = len(colours[0]) if rows else 0
    top = margin + 18
    grid_width = columns * cell
    parts = []
    for side, (title, counts) in enumerate(zip(titles, (before, after), strict=True)):
        left = margin + side * (grid_width + gap)
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
                left,
                top - 6,
                INK,
                title,
            )
        )
        for r in range(rows):
            for c in range(columns):
                x, y = left + c * cell, top + r * cell
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#fff">'
                        "</rect>",
                        x,
                        y,
                        cell,
                        cell,
                        colours[r][c],
                    )
                )
                if counts[r][c]:
                    parts.append(
                        format_html(
                            '<text x="{}" y="{}" font-size="13" font-weight="bold" fill="{}" '
                            'text-anchor="middle">{}</text>',
                            _r(x + cell / 2),
                            _r(y + cell / 2 + 4.5),
                            INK,
                            counts[r][c],
                        )
                    )
    width = 2 * margin + 2 * grid_width + gap
    height = top + rows * cell + margin
    return _svg(width, height, label, parts)


def _svg(width: int, height: int, label: str, parts: list[SafeString]) -> SafeString:
    """The chart's frame: its box, its accessible name and title, and the parts drawn inside."""
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}">'
        "<title>{}</title>{}</svg>",
        width,
        height,
        label,
        label,
        mark_safe("".join(parts)),  # noqa: S308 (each part built with format_html)
    )
