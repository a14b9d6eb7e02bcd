"""Trend charts as inline SVG drawn on the server (no JavaScript): one line per figure over the
runs of a monitor, threshold lines, and a marker on every breached run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 560, 180
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 26
COLOURS = {"warn": "#9a6700", "bad": "#b42318", "series": "#1f5fbf"}


@dataclass(frozen=True)
class Line:
    value: float
    label: str
    css: str  # "warn" or "bad"


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: SafeString
    points: int


def _value(summary: dict[str, Any], key: str) -> float | None:
    value = summary.get(key)
    return float(value) if isinstance(value, int | float) else None


def trend(runs: list[Any], key: str, title: str, lines: tuple[Line, ...] = ()) -> Chart | None:
    """A chart of `summary[key]` over the runs (oldest first); None when no run has the figure."""
    points: list[tuple[Any, float]] = []
    for r in runs:
        v = _value(r.summary or {}, key)
        if v is not None:
            points.append((r, v))
    if not points:
        return None
    values = [v for _, v in points] + [line.value for line in lines]
    low, high = min(values), max(values)
    if high - low < 1e-9:
        low, high = low - 0.5 if low else 0.0, high + 0.5 if high else 1.0
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (len(points) - 1) if len(points) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - low) / (high - low))

    parts = [
        format_html(
            '<svg class="trend" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}">',
            WIDTH,
            HEIGHT,
            f"{title} over {len(points)} runs",
        ),
        format_html("<title>{}</title>", title),
        format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="#fff" stroke="#d8dee6"/>',
            LEFT,
            TOP,
            plot_w,
            plot_h,
        ),
    ]
    digits = _digits(high - low)
    for tick in (low + pad, (low + high) / 2, high - pad):
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" fill="#5b6776" text-anchor="end">{}</text>',
                LEFT - 4,
                f"{y(tick) + 4:.1f}",
                _fmt(tick, digits),
            )
        )
    for line in lines:
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-dasharray="5 4"/>'
                '<text x="{}" y="{}" font-size="11" fill="{}" text-anchor="end">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                f"{y(line.value):.1f}",
                f"{y(line.value):.1f}",
                COLOURS[line.css],
                WIDTH - RIGHT - 2,
                f"{y(line.value) - 3:.1f}",
                COLOURS[line.css],
                line.label,
            )
        )
    path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, (_, v) in enumerate(points))
    parts.append(
        format_html('<polyline points="{}" fill="none" stroke="#1f5fbf" stroke-width="2"/>', path)
    )
    for i, (run, v) in enumerate(points):
        css = COLOURS["bad"] if run.breached else COLOURS["series"]
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="{}" fill="{}"><title>run #{}: {}{}</title></circle>',
                f"{x(i):.1f}",
                f"{y(v):.1f}",
                4 if run.breached else 2.5,
                css,
                run.number,
                _fmt(v),
                " (breach)" if run.breached else "",
            )
        )
    first, last = points[0][0], points[-1][0]
    parts.append(
        format_html(
            '<text x="{}" y="{}" font-size="11" fill="#5b6776">#{}</text>'
            '<text x="{}" y="{}" font-size="11" fill="#5b6776" text-anchor="end">#{}</text>',
            LEFT,
            HEIGHT - 8,
            first.number,
            WIDTH - RIGHT,
            HEIGHT - 8,
            last.number,
        )
    )
    parts.append(mark_safe("</svg>"))
    return Chart(key, str(escape(title)), mark_safe("".join(parts)), len(points))  # noqa: S308 (escaped parts)


def _digits(span: float) -> int:
    """Enough decimals for three ticks over `span` to read apart."""
    digits = 3
    while digits < 6 and span < 10 ** (1 - digits):
        digits += 1
    return digits


def _fmt(v: float, digits: int = 3) -> str:
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{digits}f}"


def monitor_charts(runs: list[Any], thresholds: dict[str, float]) -> list[Chart]:
    """The standard trend charts of a monitor, with its thresholds drawn in."""
    specs: list[tuple[str, str, tuple[Line, ...]]] = [
        (
            "dp_ratio_min",
            "Lowest selection-rate ratio (four-fifths rule)",
            (Line(thresholds.get("four_fifths", 0.8), "four-fifths", "bad"),),
        ),
        (
            "psi_max",
            "Highest PSI (drift)",
            (
                Line(thresholds.get("psi_warning", 0.1), "warning", "warn"),
                Line(thresholds.get("psi_alert", 0.25), "alert", "bad"),
            ),
        ),
        ("accuracy", "Accuracy", ()),
        ("roc_auc", "ROC AUC", ()),
        ("pass_rate", "Pass rate (generative-AI evaluation)", ()),
        ("refusal_rate", "Refusal rate", ()),
        (
            "group_gap_max",
            "Largest pass-rate gap between groups",
            (Line(thresholds.get("generative_pass_gap", 0.1), "warning", "warn"),),
        ),
        (
            "missing_rate_max",
            "Highest missing rate",
            (Line(thresholds.get("missing_rate_warning", 0.05), "warning", "warn"),),
        ),
        ("n_rows", "Rows per run", ()),
    ]
    floors = {"accuracy": "min_accuracy", "roc_auc": "min_roc_auc"}
    charts = []
    for key, title, lines in specs:
        if key in floors and floors[key] in thresholds:
            lines = (Line(thresholds[floors[key]], "minimum", "bad"),)
        chart = trend(runs, key, title, lines)
        if chart is not None:
            charts.append(chart)
    return charts
