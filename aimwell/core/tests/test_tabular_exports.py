"""Nasty strings through every spreadsheet and CSV export, read back from the bytes: no cell is a
formula, no file breaks on a control character (issue 16, Why 3 and 4)."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.db import connection
from typer.testing import CliRunner

from aimwell.cli import app
from aimwell.core import tabular
from aimwell.inventory import services as inventory
from aimwell.inventory.models import AISystem
from aimwell.risks.tests import factories

pytestmark = pytest.mark.django_db

NASTY = [
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1 tabbed",
    "\r=1+1 return",
    "ctrl\x00\x01\x07\x0b\x0c\x1b\x1fname",
]
# What a reader must find, worked out by hand: the control characters dropped, the rest kept.
CONTROL_CLEANED = "ctrlname"
FORMULA_START = re.compile(r"^[=+\-@\t\r]")

# Every export route, found from the OpenAPI schema and the page URLs below; a new one fails
# `test_every_export_route_is_covered` until it is added here.
API_EXPORTS = {
    "/api/v1/inventory/export": ["?kind=systems&format=xlsx", "?kind=systems&format=csv"],
    "/api/v1/risks/export": ["?format=xlsx", "?format=csv"],
    "/api/v1/soa/export": ["?format=xlsx", "?format=csv"],
    "/api/v1/readiness/export": ["?format=xlsx", "?format=csv"],
}
PAGE_EXPORTS = [
    "/ai-systems/export/?kind=systems&format=xlsx",
    "/ai-systems/export/?kind=systems&format=csv",
    "/risks/export/?format=xlsx",
    "/risks/export/?format=csv",
    "/soa/export/?what=soa&format=csv",
    "/soa/export/?what=gaps&format=xlsx",
    "/context/issues/export.csv",
]
# Exports owned elsewhere: the catalog's framework files (reference content in our formats; the
# interchange work owns that writer), evidence and certification packs (zip files whose tables
# are checked in `test_pack_tables_are_safe`).
NOT_TABULAR = {
    "/api/v1/catalog/frameworks/{urn}/export",
    "/api/v1/evidence/packs",
    "/api/v1/evidence/packs/{pack_id}/download",
    "/api/v1/evidence/packs/public-key",
    "/api/v1/reports/certification-packs",
    "/api/v1/reports/certification-packs/{pack_id}/download",
}


def _storable(text: str) -> str:
    # PostgreSQL text cannot hold NUL at all (the other control characters it stores), so on that
    # backend the record carries the rest of the string; the export must still clean the rest.
    return text.replace("\x00", "") if connection.vendor == "postgresql" else text


@pytest.fixture
def nasty_world(catalog, org):
    for text in map(_storable, NASTY):
        system = inventory.create(AISystem, org, actor="t", name=text[:150], purpose=text)
        factories.risk(org, text[:200], system=system)
    from aimwell.context.services import context

    for text in map(_storable, NASTY):
        context.create_issue(org, actor="t", title=text[:200], kind="external", category="legal")
    return org


def _texts_of_xlsx(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), f"a formula in {name}"
    book = openpyxl.load_workbook(io.BytesIO(data))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def _texts_of_csv(data: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    texts = [cell for row in rows for cell in row]
    for text in texts:
        assert not FORMULA_START.match(text), f"a live formula in CSV: {text!r}"
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text), repr(text)
    return texts


def _check(data: bytes, is_xlsx: bool, *, expect_nasty: bool) -> None:
    texts = _texts_of_xlsx(data) if is_xlsx else _texts_of_csv(data)
    joined = "\n".join(texts)
    if not expect_nasty:
        return
    assert CONTROL_CLEANED in joined
    if is_xlsx:
        assert '=HYPERLINK("http://evil.example","click")' in texts
    else:
        assert '\'=HYPERLINK("http://evil.example","click")' in texts
        assert "'@SUM(1+9)*cmd|' /C calc'!A0" in texts


def test_every_export_route_is_covered():
    schema = json.loads((Path(__file__).parents[3] / "docs" / "openapi.json").read_text())
    exports = {path for path in schema["paths"] if "export" in path or "pack" in path}
    assert exports <= set(API_EXPORTS) | NOT_TABULAR, exports - set(API_EXPORTS) - NOT_TABULAR


def test_api_and_page_exports_neutralise_formulas_and_control_characters(nasty_world, manager):
    carries_names = ("inventory", "risks", "ai-systems", "context")
    for base, queries in API_EXPORTS.items():
        for query in queries:
            response = manager.api("GET", base + query)
            assert response.status_code == 200, (base, query)
            streamed = response.streaming
            content = b"".join(response.streaming_content) if streamed else response.content
            expect = any(word in base for word in carries_names)
            _check(content, "xlsx" in query, expect_nasty=expect)
    for url in PAGE_EXPORTS:
        response = manager.client.get(url)
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        expect = any(word in url for word in carries_names)
        _check(content, "xlsx" in url, expect_nasty=expect)


def test_cli_exports_are_safe(nasty_world, tmp_path):
    runner = CliRunner()
    for out_name, args in (
        ("systems.xlsx", ["systems", "export", "--out"]),
        ("systems.csv", ["systems", "export", "--out"]),
        ("risks.xlsx", ["risks", "export", "--output"]),
        ("soa.xlsx", ["soa", "export", "--output"]),
    ):
        out = tmp_path / out_name
        result = runner.invoke(app, [*args, str(out), "--organisation", nasty_world.slug])
        assert result.exit_code == 0, result.output
        expect = not out_name.startswith("soa")
        _check(out.read_bytes(), out_name.endswith(".xlsx"), expect_nasty=expect)


def test_pack_tables_are_safe(nasty_world):
    from aimwell.reports import builders
    from aimwell.reports.data import gather

    data = gather(nasty_world)
    _check(builders.pack_xlsx(data), True, expect_nasty=True)
    _check(builders.evidence_csv(data), False, expect_nasty=False)


def test_the_writer_round_trips_what_our_import_reads():
    data = tabular.csv_bytes(["name"], [[text] for text in NASTY])
    read = [tabular.unescape(row[0]) for row in list(csv.reader(io.StringIO(data.decode())))[1:]]
    assert read[:4] == NASTY[:4]
    assert read[-1] == CONTROL_CLEANED
