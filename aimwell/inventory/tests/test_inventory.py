"""The AI inventory: registering, linking, review triggers, lists, bulk import and export."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aimwell.classification.models import Classification, RuleSet
from aimwell.core import table_import
from aimwell.core.models import AuditEvent
from aimwell.inventory import services
from aimwell.inventory.models import (
    AIModel,
    AISystem,
    Dataset,
    ReviewFlag,
    Supplier,
)
from aimwell.inventory.services import bulk


@pytest.fixture
def credit(org, contributor):
    system = services.create(
        AISystem,
        org,
        actor="t",
        name="Credit scoring",
        purpose="Score consumer loan applications",
        owner=contributor.user,
        lifecycle_stage="deployed",
        eu_role="provider",
    )
    model = services.create(
        AIModel, org, actor="t", name="gbm-scorer", version="3.1", origin="in_house"
    )
    services.link(system, "models", model, actor="t")
    return system, model


def _classify(system) -> Classification:
    """A stored classification, as the questionnaire would leave it."""
    rules, _ = RuleSet.objects.get_or_create(
        key="test-rules", version="1", defaults={"title": "t", "content": {}, "sha256": "0" * 64}
    )
    return Classification.objects.create(
        organisation_id=system.organisation_id,
        system=system,
        ruleset=rules,
        answers={},
        risk_class="high_risk",
        legal_basis=["annex-iii-5"],
        decided_by_label="t",
    )


def test_new_model_version_flags_the_classification_with_the_reason(credit, manager):
    system, model = credit
    classification = _classify(system)
    response = manager.api("POST", f"/api/v1/ai-models/{model.pk}/versions", {"version": "3.2"})
    assert response.status_code == 201
    flag = ReviewFlag.objects.get(system=system, resolved_at__isnull=True)
    assert flag.subject_id == str(classification.pk)
    assert "gbm-scorer 3.1 → 3.2" in flag.reason
    assert {str(m) for m in system.models_used.all()} == {"gbm-scorer 3.2"}
    detail = manager.api("GET", f"/api/v1/ai-systems/{system.pk}").json()
    assert detail["classification"]["needs_review"] is True
    assert detail["review_flags"][0]["reason"] == flag.reason
    page = manager.client.get(reverse("inventory:system", args=[system.pk])).content.decode()
    assert "Needs review" in page and "3.1 → 3.2" in page
    listed = manager.api("GET", "/api/v1/ai-systems?needs_review=true").json()
    assert [s["name"] for s in listed["items"]] == ["Credit scoring"]


def test_review_flags_are_resolved_with_a_note(credit, contributor):
    system, model = credit
    _classify(system)
    services.update(model, actor="t", version="3.3")
    flag = ReviewFlag.objects.get(system=system)
    response = contributor.post(
        reverse("inventory:review-resolve", args=[flag.pk]),
        {"note": "Re-validated; class unchanged"},
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.resolved_at is not None and flag.resolution_note.startswith("Re-validated")
    assert AuditEvent.objects.filter(action="review.resolved").exists()


def test_changing_purpose_or_linking_data_raises_a_review_once(credit):
    system, _ = credit
    _classify(system)
    services.update(system, actor="t", purpose="Score loans and set credit limits")
    dataset = services.create(Dataset, system.organisation, actor="t", name="bureau data")
    services.link(system, "datasets", dataset, actor="t")
    flags = ReviewFlag.objects.filter(system=system, resolved_at__isnull=True)
    assert flags.count() == 1  # the same decision is not flagged twice while open
    assert "purpose changed" in flags.get().reason
    services.update(system, actor="t", business_unit="Retail")
    assert flags.count() == 1  # an administrative change needs no review


def test_contributor_edits_only_their_own_system(org, credit, contributor):
    system, _ = credit
    other = services.create(AISystem, org, actor="t", name="Fraud", purpose="Flag fraud")
    ok = contributor.api("PATCH", f"/api/v1/ai-systems/{system.pk}", {"geography": "EU"})
    assert ok.status_code == 200
    refused = contributor.api("PATCH", f"/api/v1/ai-systems/{other.pk}", {"geography": "EU"})
    assert refused.status_code == 403


def test_duplicate_names_are_clear_errors(org, manager):
    body = {"name": "Chatbot", "purpose": "Answer customers"}
    assert manager.api("POST", "/api/v1/ai-systems", body).status_code == 201
    again = manager.api("POST", "/api/v1/ai-systems", body)
    assert again.status_code == 400 and "already" in again.json()["message"]
    bad = manager.api("POST", "/api/v1/ai-systems", {"name": "", "lifecycle_stage": "flying"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} >= {"name", "purpose", "lifecycle_stage"}


def test_graph_navigates_both_ways(org, credit, manager):
    system, model = credit
    supplier = services.create(Supplier, org, actor="t", name="Bureau Inc")
    services.update(model, actor="t", supplier=supplier)
    services.link(system, "suppliers", supplier, actor="t")
    model_page = manager.client.get(reverse("inventory:detail", args=["models", model.pk]))
    assert "Credit scoring" in model_page.content.decode()
    supplier_page = manager.client.get(reverse("inventory:detail", args=["suppliers", supplier.pk]))
    body = supplier_page.content.decode()
    assert "Credit scoring" in body and "gbm-scorer 3.1" in body
    system_page = manager.client.get(reverse("inventory:system", args=[system.pk]))
    assert "Bureau Inc" in system_page.content.decode()


def _systems_csv(n: int, bad_row: int | None = None) -> bytes:
    out = io.StringIO()
    out.write("name,purpose,lifecycle_stage,in_scope,owner_email,models\n")
    for i in range(n):
        stage = "flying" if bad_row is not None and i + 2 == bad_row else "deployed"
        out.write(f"System {i:04d},Purpose {i},{stage},yes,,\n")
    return out.getvalue().encode()


def test_bulk_import_with_one_bad_row_writes_nothing_and_names_it(org, manager):
    before = (AISystem.objects.count(), AuditEvent.objects.count())
    with pytest.raises(table_import.ImportFailed) as failure:
        bulk.import_rows(
            "systems", org, _systems_csv(1000, bad_row=734), "systems.csv", actor=manager.user
        )
    assert [(e["row"], e["field"]) for e in failure.value.errors] == [(734, "lifecycle_stage")]
    assert (AISystem.objects.count(), AuditEvent.objects.count()) == before
    response = manager.client.post(
        "/api/v1/inventory/import",
        {"kind": "systems", "file": SimpleUploadedFile("s.csv", _systems_csv(1000, 734))},
        HTTP_X_CSRFTOKEN=manager.csrf(),
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["row"] == 734
    assert AISystem.objects.count() == before[0]


def test_bulk_import_of_1000_valid_rows_writes_all(org, manager):
    result = bulk.import_rows("systems", org, _systems_csv(1000), "systems.csv", actor=manager.user)
    assert result.created == 1000
    assert AISystem.objects.filter(organisation=org).count() == 1000
    assert AuditEvent.objects.filter(action="ai_system.imported").count() == 1000
    from aimwell.core.audit import verify_organisation

    assert verify_organisation(org.id)[1] is None
    again = bulk.import_rows("systems", org, _systems_csv(1000), "systems.csv", actor=manager.user)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1000)


def test_import_reports_every_problem_and_unknown_references(org, manager):
    services.create(Supplier, org, actor="t", name="Known")
    text = (
        "name,version,origin,supplier\nm1,1,in_house,Known\nm2,1,alien,Known\n"
        "m3,1,open,Unknown\nm1,1,open,\n"
    )
    with pytest.raises(table_import.ImportFailed) as failure:
        bulk.import_rows("models", org, text.encode(), "m.csv", actor=manager.user)
    problems = {(e["row"], e["field"]) for e in failure.value.errors}
    assert problems == {(3, "origin"), (4, "supplier"), (5, "name")}
    assert not AIModel.objects.exists()
    with pytest.raises(table_import.ImportFailed, match="unknown column"):
        bulk.import_rows("models", org, b"name,version,origin,colour\n", "m.csv", actor="t")


def test_xlsx_round_trip(org, credit, manager):
    content, content_type, _ = bulk.export_file("systems", org, "xlsx")
    assert content_type.endswith("spreadsheetml.sheet")
    AISystem.objects.filter(organisation=org).update(geography="")
    result = bulk.import_rows("systems", org, content, "systems.xlsx", actor=manager.user)
    assert result.created == 0 and result.rows == AISystem.objects.filter(organisation=org).count()
    csv_bytes, _, _ = bulk.export_file("systems", org, "csv")
    assert b"gbm-scorer 3.1" in csv_bytes


def test_list_filters_sorts_and_paginates_on_the_server(org, manager):
    for i in range(30):
        services.create(
            AISystem,
            org,
            actor="t",
            name=f"S{i:02d}",
            purpose="p",
            lifecycle_stage="deployed" if i % 2 else "design",
        )
    body = manager.api("GET", "/api/v1/ai-systems?stage=deployed&sort=-name&page=2&page_size=5")
    data = body.json()
    assert data["count"] == 15 and data["pages"] == 3
    assert [s["name"] for s in data["items"]] == ["S19", "S17", "S15", "S13", "S11"]
    page = manager.client.get(reverse("inventory:systems"), {"q": "S2", "page_size": 3})
    rows = re.findall(r'href="/ai-systems/[0-9a-f-]{36}/"', page.content.decode())
    assert len(rows) == 3


def _queries(actor, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = actor.client.get(url) if not url.startswith("/api/") else actor.api("GET", url)
        assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/ai-systems/",
        "/api/v1/ai-systems",
        "/inventory/models/",
        "/inventory/datasets/",
        "/inventory/suppliers/",
        "/api/v1/ai-models",
        "/api/v1/datasets",
        "/api/v1/suppliers",
    ],
)
def test_query_counts_do_not_grow_with_rows_or_page_size(org, manager, url):
    manager.csrf()
    supplier = services.create(Supplier, org, actor="t", name="S")
    model = services.create(
        AIModel, org, actor="t", name="m", version="1", origin="open", supplier=supplier
    )
    first = services.create(AISystem, org, actor="t", name="first", purpose="p")
    services.link(first, "models", model, actor="t")
    data = services.create(Dataset, org, actor="t", name="first data", supplier=supplier)
    services.link(first, "datasets", data, actor="t")
    few = _queries(manager, url)
    for i in range(40):
        s = services.create(
            AISystem, org, actor="t", name=f"sys {i}", purpose="p", owner=manager.user
        )
        d = services.create(Dataset, org, actor="t", name=f"data {i}", supplier=supplier)
        m = services.create(
            AIModel,
            org,
            actor="t",
            name=f"model {i}",
            version="1",
            origin="open",
            supplier=supplier,
        )
        services.link(s, "datasets", d, actor="t")
        services.link(s, "models", m, actor="t")
    assert _queries(manager, url) == few
    separator = "&" if "?" in url else "?"
    assert _queries(manager, f"{url}{separator}page_size=100") == few
    assert few <= 10


def test_the_systems_export_streams_with_as_many_queries_at_two_sizes(org, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def exported(fmt: str) -> tuple[int, bytes]:
        with CaptureQueriesContext(connection) as ctx:
            response = manager.api("GET", f"/api/v1/inventory/export?kind=systems&format={fmt}")
            assert response.streaming
            content = b"".join(response.streaming_content)
        return len(ctx), content

    def grow(start: int, stop: int) -> None:
        for i in range(start, stop):
            system = services.create(AISystem, org, actor="t", name=f"S{i:02d}", purpose="p")
            model = services.create(
                AIModel, org, actor="t", name=f"m{i}", version="1", origin="in_house"
            )
            services.link(system, "models", model, actor="t")

    grow(0, 2)
    manager.csrf()  # the client's first visit (the home page) is not the export's
    few = {fmt: exported(fmt)[0] for fmt in ("csv", "xlsx")}
    grow(2, 12)
    many_csv, content = exported("csv")
    many_xlsx, book = exported("xlsx")
    assert {"csv": many_csv, "xlsx": many_xlsx} == few
    lines = content.decode().splitlines()
    assert len(lines) == 13 and lines[1].startswith("S00,") and "m11 1" in lines[-1]
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(book)).active
    assert sheet.max_row == 13 and sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}13"
