"""Reading a table a person uploads (CSV or xlsx) with the limits every import shares.

The inventory's bulk import and the ISMS statement-of-applicability import read files the same
way: at most 10 MB and 20,000 rows, an xlsx that expands to no more than 50 MB, no NUL character
anywhere, and formula-escaped cells restored to their text. Each problem is an `ImportFailed`
naming the row and column a person can find in their file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from aimwell.core import tabular
from aimwell.core.limits import NUL_MESSAGE, nul_paths

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# What an xlsx file (a zip) may expand to: a small file that inflates to hundreds of megabytes is
# refused before any of it is parsed.
MAX_XLSX_EXPANDED_BYTES = 50 * 1024 * 1024

Rows = Iterator[tuple[int, dict[str, str]]]


class ImportFailed(Exception):
    """The file cannot be imported; `errors` lists each problem by row and field."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        first = errors[0]
        where = ", ".join(
            part
            for part in (
                f"row {first['row']}" if first.get("row") else "",
                f"column {first['field']}" if first.get("field") else "",
            )
            if part
        )
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{where + ': ' if where else ''}{first['message']}{more}")


def fail(message: str, row: int | None = None) -> ImportFailed:
    return ImportFailed([{"row": row, "field": None, "message": message}])


def _too_many_rows(number: int) -> ImportFailed:
    return fail(f"The file has more than {MAX_ROWS:,} rows; split it into smaller files.", number)


def read_table(content: bytes, filename: str) -> tuple[list[str], Rows]:
    """The header, and (row number as the user sees it, {column: text}) for each row.

    Rows are read lazily and the row limit is checked as they are read, so reading stops at the
    first row past it; so does a cell holding a NUL character (PostgreSQL cannot store it)."""
    header, rows = _table(content, filename)
    if nul_paths(header):
        raise fail("A column name holds a NUL character (\\x00); remove it.", 1)
    return header, _nul_free(rows)


def _nul_free(rows: Rows) -> Rows:
    for number, row in rows:
        found = nul_paths(row)
        if found:
            raise ImportFailed([{"row": number, "field": found[0], "message": NUL_MESSAGE}])
        yield number, row


def _table(content: bytes, filename: str) -> tuple[list[str], Rows]:
    if len(content) > MAX_BYTES:
        raise fail("The file is over 10 MB.")
    if filename.lower().endswith(".xlsx"):
        return _xlsx_table(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail("The file is neither xlsx nor UTF-8 CSV.") from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or []) if h]

    def rows() -> Rows:
        for number, row in enumerate(reader, start=2):
            if number > MAX_ROWS + 1:
                raise _too_many_rows(number)
            yield (
                number,
                {
                    (k or "").strip(): tabular.unescape((v or "").strip())
                    for k, v in row.items()
                    if k
                },
            )

    return header, rows()


def _xlsx_table(content: bytes) -> tuple[list[str], Rows]:
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise fail("The xlsx file cannot be read.") from exc
    if expanded > MAX_XLSX_EXPANDED_BYTES:
        raise fail(
            f"The xlsx file expands to {expanded / 1048576:,.0f} MB; the limit is "
            f"{MAX_XLSX_EXPANDED_BYTES / 1048576:,.0f} MB. Save it as CSV or split it."
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise fail("The xlsx file cannot be read.") from exc
    values_iter = workbook.worksheets[0].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(values_iter, ())]

    def rows() -> Rows:
        for number, values in enumerate(values_iter, start=2):
            if number > MAX_ROWS + 1:
                raise _too_many_rows(number)
            if values is None or all(v is None or str(v).strip() == "" for v in values):
                continue
            yield (
                number,
                {
                    header[i]: "" if v is None else str(v).strip()
                    for i, v in enumerate(values)
                    if i < len(header) and header[i]
                },
            )

    return [h for h in header if h], rows()
