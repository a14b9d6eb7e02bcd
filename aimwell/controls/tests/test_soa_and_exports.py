"""The SoA: decisions, versions with approval and diff, own controls; exports that read back with
openpyxl and keep formula-like text as text; the API and the CLI."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aimwell.controls import exports, services, soa
from aimwell.controls.errors import ControlsError
from aimwell.core.models import AuditEvent
from aimwell.risks.services import treatment
from aimwell.risks.tests import factories as f

pytestmark = pytest.mark.django_db


def _sheet(data: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_soa_xlsx_has_every_control_and_formula_text_stays_text(catalog, org):
    risk = f.risk(org, title="Drift")
    treatment.set_treatment(risk, actor="t", option="modify")
    treatment.select_control(risk, actor="t", node=f.node("A.6.2.4"))
    services.decide(
        org,
        actor="t",
        node=f.node("A.10.4"),
        applicable=False,
        justification='=HYPERLINK("http://evil.example","click")',
    )
    services.decide(org, actor="t", node=f.node("A.2.2"), applicable=True, status="implemented")
    data = exports.soa_xlsx(org)
    rows = _sheet(data)
    header, body = rows[0], rows[1:]
    assert header[:5] == ("Control", "Title", "Area", "Applicable", "Justification")
    assert header[8] == "Implementation status"
    by_ref = {r[0]: r for r in body}
    assert len([ref for ref in by_ref if ref.startswith("A.")]) == 38
    assert by_ref["A.6.2.4"][3] == "Applicable (derived)"
    assert risk.reference in by_ref["A.6.2.4"][4]
    assert by_ref["A.2.2"][3] == "Applicable" and by_ref["A.2.2"][8] == "Implemented"
    assert by_ref["A.10.4"][3] == "Not applicable"
    # The justification starting with "=" is a string cell, not a formula.
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    cell = next(c for c in sheet["E"] if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"
    assert cell.value.startswith('=HYPERLINK("http://evil.example","click")')
    assert b"<f>" not in _raw_sheet(data)


def _raw_sheet(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_csv_exports_neutralise_formulas(catalog, org):
    from aimwell.core import tabular

    text = tabular.csv_bytes(["a", "b"], [["=1+1", "@SUM(A1)"], ["plain", 3]]).decode()
    assert "'=1+1" in text and "'@SUM(A1)" in text and "plain,3" in text


def test_pdf_exports_render(catalog, org):
    f.risk(org)
    for data in (exports.soa_pdf(org), exports.gap_pdf(org)):
        assert data.startswith(b"%PDF")
    from aimwell.risks import exports as risk_exports

    assert risk_exports.register_pdf(org).startswith(b"%PDF")
    rows = _sheet(risk_exports.register_xlsx(org))
    assert rows[0][0] == "Reference" and rows[1][0] == "R-001"


def test_gap_analysis_xlsx_shows_baseline_beside_status(catalog, org):
    services.record_baseline(org, actor="t", node=f.node("4.1"), maturity=2, practice="workshops")
    rows = _sheet(exports.gap_xlsx(org))
    header = rows[0]
    row = next(r for r in rows[1:] if r[0] == "4.1")
    assert row[header.index("Baseline maturity (0-5)")] == 2
    assert row[header.index("Baseline practice")] == "workshops"
    assert row[header.index("Status today")] in ("Ready", "Partial", "Gap")
    assert row[header.index("Kind")] == "Clause requirement"


def test_versions_are_snapshots_approved_by_top_management_and_diffed(catalog, org, manager, admin):
    first = services.create_version(org, actor="t")
    with pytest.raises(ControlsError, match="top management"):
        services.approve_version(first, actor=admin.user, membership=admin.membership)
    services.approve_version(first, actor=manager.user, membership=manager.membership)
    first.refresh_from_db()
    assert first.status == "approved" and first.approved_by == manager.user
    services.decide(org, actor="t", node=f.node("A.2.2"), applicable=True, status="planned")
    second = services.create_version(org, actor="t")
    changes = services.version_diff(first, second)
    assert [c["ref"] for c in changes] == ["A.2.2"]
    assert changes[0]["fields"]["applicable"] == [None, True]
    page = manager.client.get(reverse("controls:version", args=[second.pk])).content.decode()
    assert "Changes between SoA v1 and SoA v2" in page and "A.2.2" in page
    refused = admin.post(reverse("controls:version-approve", args=[second.pk]))
    assert refused.status_code == 403
    assert "Only top management" in refused.content.decode()


def test_own_controls_join_the_soa_and_can_be_selected(catalog, org):
    own = services.create_custom_control(org, actor="t", code="ORG-7", title="Model registry")
    with pytest.raises(ControlsError, match="already"):
        services.create_custom_control(org, actor="t", code="ORG-7", title="Again")
    with pytest.raises(ControlsError, match="Annex A"):
        services.create_custom_control(org, actor="t", code="A.99", title="Fake")
    risk = f.risk(org)
    treatment.select_control(risk, actor="t", custom=own)
    row = {r.ref: r for r in soa.soa_rows(org)}["ORG-7"]
    assert row.applicable and row.selected_by[0].reference == risk.reference
    assert AuditEvent.objects.filter(action="control.created", object_id=str(own.pk)).exists()


def test_soa_page_and_entry_write(catalog, org, manager, staff):
    page = manager.client.get(reverse("controls:home"))
    assert page.status_code == 200 and "A.6.2.4" in page.content.decode()
    htmx = manager.client.get(
        reverse("controls:home") + "?applicable=undecided", HTTP_HX_REQUEST="true"
    )
    assert "<h1>" not in htmx.content.decode()
    response = manager.post(
        reverse("controls:entry", args=["A.5.2"]),
        {"applicable": "yes", "status": "partial", "owner": manager.user.pk, "justification": "x"},
    )
    assert response.status_code == 302
    row = {r.ref: r for r in soa.soa_rows(org)}["A.5.2"]
    assert row.applicable and row.status == "partial" and row.owner == manager.user
    assert staff.client.get(reverse("controls:home")).status_code == 403


def test_soa_api_patch_and_inconsistency(catalog, org, manager):
    risk = f.risk(org)
    treatment.set_treatment(risk, actor="t", option="modify")
    treatment.select_control(risk, actor="t", node=f.node("A.6.2.4"))
    response = manager.api(
        "PATCH", "/api/v1/soa/A.6.2.4", {"applicable": False, "justification": "n/a"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["applicable"] is False
    assert any(risk.reference in i for i in body["inconsistencies"])
    listing = manager.api("GET", "/api/v1/soa?inconsistent=true").json()
    assert [r["ref"] for r in listing["rows"]] == ["A.6.2.4"]


def test_readiness_api_and_baseline_api(catalog, org, manager):
    put = manager.api("PUT", "/api/v1/baseline/5.2", {"maturity": 3, "practice": "code of conduct"})
    assert put.status_code == 200 and put.json()["maturity"] == 3
    data = manager.api("GET", "/api/v1/readiness?top=3").json()
    assert set(data) >= {"score", "components", "clauses", "top_gaps", "stages", "requirements"}
    assert len(data["top_gaps"]) == 3 and len(data["stages"]) == 7
    row = next(r for r in data["requirements"] if r["ref"] == "5.2")
    assert row["baseline_maturity"] == 3
    bad = manager.api("PUT", "/api/v1/readiness/overrides/4.1", {"status": "ready", "reason": ""})
    assert bad.status_code == 400 and "reason" in bad.json()["message"]


@pytest.mark.parametrize(
    "url", ["/api/v1/soa", "/api/v1/readiness", "/api/v1/baseline", "/api/v1/soa/versions"]
)
def test_controls_endpoints_query_count_is_flat(catalog, org, manager, url):
    risk = f.risk(org)
    treatment.select_control(risk, actor="t", node=f.node("A.2.2"))
    services.create_version(org, actor="t")
    manager.api("GET", url)
    # A write after the client's first request: the SoA and readiness are kept until one, and
    # both measures below are of a computation afresh.
    f.risk(org, title="After the first request")
    with CaptureQueriesContext(connection) as few:
        manager.api("GET", url)
    for i, ref in enumerate(["A.2.3", "A.2.4", "A.3.2", "A.3.3"]):
        extra = f.risk(org, title=f"Risk {i}")
        treatment.select_control(extra, actor="t", node=f.node(ref))
        services.decide(org, actor="t", node=f.node(ref), applicable=True)
        services.record_baseline(org, actor="t", node=f.node(ref), maturity=1)
        services.create_version(org, actor="t")
    with CaptureQueriesContext(connection) as many:
        manager.api("GET", url)
    assert len(many) == len(few)


@pytest.mark.parametrize("url_name", ["controls:home", "controls:readiness", "controls:baseline"])
def test_controls_pages_query_count_is_flat(catalog, org, manager, url_name):
    f.risk(org)
    manager.client.get(reverse(url_name))
    f.risk(org, title="After the first request")  # a write: both measures compute afresh
    with CaptureQueriesContext(connection) as few:
        manager.client.get(reverse(url_name))
    for i, ref in enumerate(["A.2.3", "A.2.4", "A.3.2"]):
        extra = f.risk(org, title=f"Risk {i}")
        treatment.select_control(extra, actor="t", node=f.node(ref))
        services.decide(org, actor="t", node=f.node(ref), applicable=True, owner=manager.user)
        services.record_baseline(org, actor="t", node=f.node(ref), maturity=2)
    with CaptureQueriesContext(connection) as many:
        manager.client.get(reverse(url_name))
    assert len(many) == len(few)
