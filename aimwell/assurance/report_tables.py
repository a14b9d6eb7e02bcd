"""Cells and tables of the HTML and Markdown reports, shared by every section (performance,
fairness, drift, generative evaluation): values escaped, numbers right-aligned, statuses as
badges."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from html import escape
from typing import Any


def fmt(v: Any) -> str:
    if v is None:
        return "&ndash;"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return escape(f"{v:.6g}")
    return escape(str(v))


def status_badge(s: str | None) -> str:
    s = s or "not_judged"
    return f'<span class="status {escape(s)}">{escape(s.replace("_", " "))}</span>'


def html_table(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], raw: Collection[int] = ()
) -> str:
    """An HTML table; every cell is escaped except the columns in ``raw`` (our own markup)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, v in enumerate(row):
            if i in raw:
                cells.append(f"<td>{v}</td>")
            else:
                cls = (
                    ' class="num"' if isinstance(v, int | float) and not isinstance(v, bool) else ""
                )
                cells.append(f"<td{cls}>{fmt(v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def md_cell(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v).replace("|", "\\|").replace("\n", " ")


def md_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    out += ["| " + " | ".join(md_cell(v) for v in row) + " |" for row in rows]
    return [*out, ""]
