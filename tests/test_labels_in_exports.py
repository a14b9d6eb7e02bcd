"""No file of the demo that people read (the PDF reports, the xlsx and CSV exports, the packs that
bundle them) shows a raw choice code, an EU AI Act id or a UUID where a label belongs.

The files are the ones the enumerated pages link to (tests/pages.py): each format of each export,
each document and report PDF, the certification pack. Machine formats (JSON, OSCAL, YAML,
Markdown) and the evidence files people uploaded are not read. A cell of a sheet, or a line of a
PDF's text, that is exactly a choice's stored value is the database showing through; a code written
the way no person writes (`competence_and_training`) is caught anywhere in the text. Id columns
(headed "id" or "... id") carry ids by design and are not read.

A PDF's text comes out in lines that wrap inside table cells ("Partially" / "implemented"), so a
one-word code alone on a line cannot be told from a wrapped label: PDFs are read for the codes
with an underscore, EU AI Act ids and UUIDs; sheets are read for one-word codes too.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import openpyxl
from django.urls import resolve
from pypdf import PdfReader

from tests.pages import SKIPPED, demo_admin_client, enumerate_pages
from tests.test_labels_not_codes import ACT_ID, UUID, _choices, raw_codes

# Downloads that are machine formats or people's own files, not something Aimwell wrote for them.
NOT_READ = {
    "catalog:export",
    "evidence:download",
    "monitoring:run-result",
    "interchange:oscal",
}
READ_MEMBERS = (".pdf", ".xlsx", ".csv")
ID_HEADER = re.compile(r"(^|\s|_)id$", re.IGNORECASE)


def bare_codes() -> set[str]:
    """Stored values of choices that are one word and read differently from their label
    (`highrisk` for "High risk", `ofi` for "Opportunity for improvement", `partial` for
    "Partially implemented"): shown alone in a cell or a line, they are the code, not the label."""
    return {
        value
        for value, label in _choices()
        if isinstance(value, str)
        and re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", value)
        and value != str(label)
    }


def _sheets(content: bytes) -> Iterator[list[list[str]]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    for sheet in book.worksheets:
        yield [
            ["" if cell is None else str(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]


def _cells(rows: list[list[str]]) -> Iterator[str]:
    """Every cell of a table below its header row, except those of id columns (a header naming
    an id). Headers name columns, not records: the inventory's are the field names its import
    reads (`affected_persons`), by design."""
    id_columns = (
        {i for i, cell in enumerate(rows[0]) if ID_HEADER.search(cell.strip())} if rows else set()
    )
    for row in rows[1:]:
        yield from (cell for i, cell in enumerate(row) if i not in id_columns)


def _is_xlsx(content: bytes) -> bool:
    if not content.startswith(b"PK"):
        return False
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "xl/workbook.xml" in archive.namelist()


PDF_LINE = "pdf line"


def texts_of(name: str, content: bytes) -> Iterator[tuple[str, str]]:
    """(where, text) for each piece of text a person reads in a file, by the file's kind; a PDF's
    lines are marked, since a line is not a cell."""
    if content.startswith(b"%PDF"):
        for page in PdfReader(io.BytesIO(content)).pages:
            lines = (page.extract_text() or "").splitlines()
            yield from ((f"{name}, {PDF_LINE}", line) for line in lines)
    elif _is_xlsx(content):
        for rows in _sheets(content):
            yield from ((name, cell) for cell in _cells(rows))
    elif content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for member in archive.namelist():
                if member.lower().endswith(READ_MEMBERS) and "/files/" not in member:
                    yield from texts_of(f"{name}/{member}", archive.read(member))
    elif name.lower().endswith(".csv"):
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        yield from ((name, cell) for cell in _cells(rows))


def findings(texts: Iterator[tuple[str, str]], codes: set[str], bare: set[str]) -> list[str]:
    found = []
    for where, text in texts:
        shown = f"{text[:120]!r} ({where})"
        if UUID.search(text):
            found.append(f"UUID in {shown}")
        found += [f"EU AI Act id {m!r} in {shown}" for m in ACT_ID.findall(text)]
        found += [
            f"code {token!r} in {shown}"
            for token in re.findall(r"[A-Za-z0-9][A-Za-z0-9_\-]*[A-Za-z0-9]", text)
            if token in codes
        ]
        if text.strip() in bare and not where.endswith(PDF_LINE):
            found.append(f"code {text.strip()!r} alone in {shown}")
    return found


def _filename(response: Any, url: str) -> str:
    disposition = response.get("Content-Disposition", "")
    match = re.search(r'filename="?([^";]+)', disposition)
    if match:
        return match.group(1)
    kind = response.get("Content-Type", "")
    for marker, suffix in (("pdf", ".pdf"), ("sheet", ".xlsx"), ("csv", ".csv"), ("zip", ".zip")):
        if marker in kind:
            return url.rsplit("/", 1)[-1] + suffix
    return url


def test_the_file_reader_reads_cells_and_lines():
    codes, bare = {"competence_and_training"}, {"highrisk", "partial"}
    sheet = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["ID", "Status", "Area"])  # type: ignore[union-attr]
    book.active.append(  # type: ignore[union-attr]
        ["1b0d1d8e-8a52-4a4e-9f0e-0d2f1c7e3b11", "partial", "competence_and_training"]
    )
    book.active.append(["x", "Partially implemented", "a partial view"])  # type: ignore[union-attr]
    book.save(sheet)
    assert findings(texts_of("a.xlsx", sheet.getvalue()), codes, bare) == [
        "code 'partial' alone in 'partial' (a.xlsx)",
        "code 'competence_and_training' in 'competence_and_training' (a.xlsx)",
    ]
    rows = b"Name,Class\r\nCredit scoring,highrisk\r\nOther,art-6-2\r\n"
    assert findings(texts_of("b.csv", rows), codes, bare) == [
        "code 'highrisk' alone in 'highrisk' (b.csv)",
        "EU AI Act id 'art-6-2' in 'art-6-2' (b.csv)",
    ]
    assert {"ofi", "partial"} <= bare_codes()
    assert "open" in bare_codes()  # stored "open", labelled "Open"


def test_no_file_of_the_demo_shows_a_raw_code_or_a_uuid(demo_org):
    client = demo_admin_client(demo_org)
    pages = enumerate_pages(client)
    assert not pages.failures, pages.failures
    codes, bare = raw_codes(), bare_codes()
    problems: list[str] = []
    read: list[str] = []
    for url in sorted(pages.downloads):
        route = resolve(url.split("?")[0]).view_name
        if route in NOT_READ or not SKIPPED[route].startswith(("download", "export")):
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        filename = _filename(response, url)
        read.append(f"{route} {filename}")
        problems += [f"{url}: {f}" for f in findings(texts_of(filename, content), codes, bare)]
    # The demo links every kind of file this test is for.
    routes = {entry.split()[0] for entry in read}
    assert {"risks:export", "controls:export", "inventory:export", "documents:pdf"} <= routes, read
    assert not problems, f"{len(problems)} raw codes or ids:\n" + "\n".join(problems)
