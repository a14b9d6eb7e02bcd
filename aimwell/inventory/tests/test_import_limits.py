"""An oversized import stops at the first limit, before validating a single row: a 25,000-row
CSV and an xlsx that inflates far beyond its size are refused at once (issue 16, Why 8)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aimwell.core import table_import
from aimwell.inventory.models import AISystem
from aimwell.inventory.services import bulk

pytestmark = pytest.mark.django_db


@pytest.fixture
def validations(monkeypatch):
    """Counts the rows that reach validation."""
    seen = []
    original = bulk._form_data

    def counting(*args, **kwargs):
        seen.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(bulk, "_form_data", counting)
    return seen


def _csv(rows: int) -> bytes:
    lines = ["name,purpose"] + [f"System {n},Purpose {n}" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def test_a_25000_row_csv_is_refused_before_any_row_is_validated(org, admin, validations):
    upload = SimpleUploadedFile("systems.csv", _csv(25_000), content_type="text/csv")
    response = admin.client.post(
        "/api/v1/inventory/import",
        {"kind": "systems", "file": upload},
        HTTP_X_CSRFTOKEN=admin.csrf(),
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert "more than 20,000 rows" in error["message"]
    # The header is row 1, so the first row past the limit is row 20,002.
    assert error["row"] == 20_002
    assert validations == []
    assert not AISystem.objects.filter(organisation=org).exists()


def test_a_csv_at_the_limit_is_read_whole(org, validations):
    header, rows = table_import.read_table(_csv(table_import.MAX_ROWS), "systems.csv")
    assert header == ["name", "purpose"]
    assert sum(1 for _ in rows) == table_import.MAX_ROWS


def test_an_inflating_xlsx_is_refused_before_it_is_parsed(org, validations):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        # 60 MB of one repeated byte compresses to a few dozen kilobytes.
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (60 * 1024 * 1024))
    content = buffer.getvalue()
    assert len(content) < 1024 * 1024
    with pytest.raises(table_import.ImportFailed) as refused:
        bulk.import_rows("systems", org, content, "systems.xlsx", actor="t")
    assert "expands to 60 MB" in str(refused.value.errors[0]["message"])
    assert validations == []
