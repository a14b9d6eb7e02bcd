"""The one writer of spreadsheets and CSV files: every export of every app goes through it, so text
a user typed never runs as a formula and never breaks the file.

- A text that a spreadsheet would read as a formula (it starts with `= + - @`, a tab or a carriage
  return) is written as text: an xlsx string cell with the quote prefix, a CSV value prefixed
  with an apostrophe (the usual neutralisation; `unescape` undoes it when our import reads it).
- Control characters that the xlsx format cannot hold (and that openpyxl refuses with
  IllegalCharacterError) are dropped from every value, in xlsx and CSV alike; tab, line feed and
  carriage return inside a text are kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="EEF2F6")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
# Characters a sheet name may not hold (openpyxl refuses them).
SHEET_NAME_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def clean_text(text: str) -> str:
    """The text without the control characters a spreadsheet cannot hold."""
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def safe_value(value: Any) -> Any:
    """Values for a cell: dates and numbers as they are, everything else as clean plain text."""
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
    return clean_text(str(value))


def write_cell(cell: Cell, value: Any) -> Cell:
    """Write one xlsx cell: text is always a string cell, never a formula."""
    value = safe_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def sheet_title(title: str) -> str:
    return SHEET_NAME_FORBIDDEN.sub("-", clean_text(title))[:31] or "Sheet"


def write_table(
    book: Workbook, title: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> Any:
    """A sheet with a bold, frozen header row and a filter over its rows."""
    sheet = book.create_sheet(sheet_title(title))
    for col, header in enumerate(headers, start=1):
        cell = write_cell(sheet.cell(row=1, column=col), header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    count = 0
    for r, row in enumerate(rows, start=2):
        count += 1
        for col, value in enumerate(row, start=1):
            write_cell(sheet.cell(row=r, column=col), value)
    sheet.freeze_panes = "A2"
    for col, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(
            60, max(12, len(str(header)) + 4)
        )
    if count:
        sheet.auto_filter.ref = sheet.dimensions
    return sheet


def workbook(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook with one sheet per (title, headers, rows)."""
    book = Workbook()
    book.remove(book.active)
    for title, headers, rows in sheets:
        write_table(book, title, headers, rows)
    return save(book)


def save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_value(value: Any) -> Any:
    """One CSV value: clean text, formulas neutralised with a leading apostrophe."""
    value = safe_value(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """`csv_value` of each value, with the common cases first: an export of 100,000 rows writes
    millions of values, most of them plain text or whole numbers."""
    row = []
    for value in values:
        kind = type(value)
        if kind is str:
            # A printable text holds no control character (every one the cleaning drops is
            # unprintable), so only the others need the cleaning pattern.
            text = value if value.isprintable() else clean_text(value)
            row.append("'" + text if text.startswith(FORMULA_STARTS) else text)
        elif kind is int or kind is float:
            row.append(value)
        elif value is None:
            row.append("")
        else:
            row.append(csv_value(value))
    return row


def csv_bytes(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_row(headers))
    for row in rows:
        writer.writerow(csv_row(row))
    return buffer.getvalue().encode("utf-8")


def csv_stream(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The CSV of `csv_bytes`, produced as it is sent: about 500 rows a chunk, so a register of
    any size is never held whole in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_row(headers))
    for number, row in enumerate(rows, start=1):
        writer.writerow(csv_row(row))
        if number % 500 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_stream(
    title: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, widths: int = 60
) -> Iterator[bytes]:
    """A one-sheet workbook like `workbook` gives (bold frozen header, a filter over the rows,
    every text a string cell, formulas neutralised), written by openpyxl's write-only mode: rows
    go to a temporary file as they are read, so memory stays flat whatever the number of rows;
    the finished file is then sent in chunks. `rows` is read when the first chunk is asked for."""
    import tempfile

    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(title))
    for col, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(
            widths, max(12, len(str(header)) + 4)
        )
    sheet.freeze_panes = "A2"
    header_cells = []
    for header in headers:
        cell = write_cell(WriteOnlyCell(sheet), header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        count += 1
        sheet.append([write_cell(WriteOnlyCell(sheet), value) for value in row])
    if count:
        sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(headers), 1))}{count + 1}"
    with tempfile.TemporaryFile() as spool:
        book.save(spool)
        spool.seek(0)
        while chunk := spool.read(64 * 1024):
            yield chunk


def streamed_download(chunks: Iterable[bytes], filename: str, fmt: str) -> Any:
    from django.http import StreamingHttpResponse

    content_type = {"xlsx": XLSX_TYPE, "csv": CSV_TYPE}.get(fmt, "application/pdf")
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def unescape(value: str) -> str:
    """A value as it was before `csv_value` neutralised it (for our own imports)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def download(data: bytes, filename: str, fmt: str) -> Any:
    from django.http import HttpResponse

    content_type = {"xlsx": XLSX_TYPE, "csv": CSV_TYPE}.get(fmt, "application/pdf")
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
