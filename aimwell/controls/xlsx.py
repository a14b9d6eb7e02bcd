"""Spreadsheets that are safe to open: text a user typed never becomes a formula."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="EEF2F6")


def safe_value(value: Any) -> Any:
    """Values for a cell: dates and numbers as they are, everything else as plain text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | dt.date | dt.datetime):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    return str(value)


def _write(cell: Cell, value: Any) -> None:
    value = safe_value(value)
    cell.value = value
    if isinstance(value, str):
        # Stored as a string cell, never as a formula, whatever the first character is.
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # type: ignore[attr-defined]
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def workbook(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook with one sheet per (title, headers, rows)."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title[:31])
        for col, header in enumerate(headers, start=1):
            cell = sheet.cell(row=1, column=col)
            _write(cell, header)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
        count = 0
        for r, row in enumerate(rows, start=2):
            count += 1
            for col, value in enumerate(row, start=1):
                _write(sheet.cell(row=r, column=col), value)
        sheet.freeze_panes = "A2"
        for col, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(col)].width = min(
                60, max(12, len(str(header)) + 4)
            )
        if count:
            sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf(template: str, context: dict[str, Any]) -> bytes:
    """A PDF from a print template (WeasyPrint)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV where text a spreadsheet would run as a formula is prefixed with an apostrophe."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        out = []
        for value in row:
            value = safe_value(value)
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                value = "'" + value
            out.append(value)
        writer.writerow(out)
    return buffer.getvalue().encode("utf-8")


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(data: bytes, filename: str, fmt: str) -> Any:
    from django.http import HttpResponse

    content_type = {"xlsx": XLSX_TYPE, "csv": "text/csv; charset=utf-8"}.get(fmt, "application/pdf")
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
