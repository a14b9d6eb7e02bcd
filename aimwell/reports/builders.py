"""Pure builders from the gathered pack data to bytes: the PDF (WeasyPrint, from a Django
template), the workbook (openpyxl) and the evidence index (CSV). Nothing here touches the
database; `data.gather` does the reading."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from aimwell.core.tabular import HEADER_FILL, csv_bytes, safe_value, sheet_title, write_cell
from aimwell.reports.data import PackData, Table

MIN_WIDTH, MAX_WIDTH = 8, 60
WIDTH_SAMPLE = 200  # rows looked at to size a column


def pack_html(data: PackData) -> str:
    return render_to_string("reports/pack_pdf.html", {"data": data})


def pack_pdf(data: PackData) -> bytes:
    from weasyprint import HTML

    return HTML(string=pack_html(data)).write_pdf()


def evidence_csv(data: PackData) -> bytes:
    return csv_bytes(data.evidence.headers, data.evidence.rows)


def _put(sheet: Any, row: int, col: int, value: Any) -> Any:
    return write_cell(sheet.cell(row=row, column=col), value)


def _width(values: Sequence[Any]) -> float:
    longest = 0
    for value in values:
        text = str(safe_value(value))
        longest = max(longest, max((len(line) for line in text.splitlines()), default=0))
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))


def _sheet(book: Workbook, title: str, table: Table, used: set[str]) -> str:
    title = sheet_title(title)
    name = title
    n = 2
    while name.lower() in used:  # sheet names are unique, case-insensitively
        suffix = f" ({n})"
        name, n = title[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    sheet = book.create_sheet(name)
    for col, header in enumerate(table.headers, start=1):
        cell = _put(sheet, 1, col, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for r, row in enumerate(table.rows, start=2):
        for col, value in enumerate(row, start=1):
            _put(sheet, r, col, value)
    sheet.freeze_panes = "A2"
    for col, header in enumerate(table.headers, start=1):
        sample = [header, *(row[col - 1] for row in table.rows[:WIDTH_SAMPLE])]
        sheet.column_dimensions[get_column_letter(col)].width = _width(sample)
    if table.rows:
        sheet.auto_filter.ref = sheet.dimensions
    return name


def pack_xlsx(data: PackData) -> bytes:
    """A contents sheet, then one sheet per table of every section (a section with no table gets
    one sheet of its facts), then the evidence index; every sheet has its header row frozen."""
    book = Workbook()
    contents = book.active
    assert contents is not None
    contents.title = "Contents"
    used = {"contents"}
    index: list[list[Any]] = []
    for section in data.sections:
        tables = list(section.tables)
        if section.facts or not tables:
            facts = [[label, value] for label, value in section.facts]
            if section.summary:
                facts.insert(0, ["Summary", section.summary])
            tables.insert(0, Table(section.title, ("Item", "Value"), facts))
        for table in tables:
            title = f"{section.number} {table.title}"
            name = _sheet(book, title, table, used)
            index.append([section.number, section.title, table.title, name, len(table.rows)])
    name = _sheet(book, "Evidence index", data.evidence, used)
    index.append(["", "Evidence index", "Evidence index", name, len(data.evidence.rows)])
    cover = Table(
        "Contents",
        ("Section", "Title", "Table", "Sheet", "Rows"),
        [
            ["", f"Certification pack of {data.organisation.name}", "", "", ""],
            ["", f"Generated {data.generated_at:%Y-%m-%d %H:%M} UTC", "", "", ""],
            *index,
        ],
    )
    for col, header in enumerate(cover.headers, start=1):
        cell = _put(contents, 1, col, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for r, row in enumerate(cover.rows, start=2):
        for col, value in enumerate(row, start=1):
            _put(contents, r, col, value)
    contents.freeze_panes = "A2"
    for col in range(1, 6):
        sample = [row[col - 1] for row in cover.rows[2:]] + [cover.headers[col - 1]]
        contents.column_dimensions[get_column_letter(col)].width = _width(sample)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
