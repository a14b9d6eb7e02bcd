"""ISO/IEC 27001 reuse in the gap analysis and readiness: each Annex A control lists the ISMS
controls of the imported baseline that cover part of it (page, API, CSV, xlsx and PDF exports),
and a piece of evidence shared by 42001 controls, their SoA entries and ISMS controls is counted
once. Expected crosswalk pairs are read from the crosswalk file; expected figures are worked out
by hand in each test."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from aimwell.catalog.models import RequirementNode
from aimwell.controls import exports, readiness, services, soa
from aimwell.evidence import services as evidence
from aimwell.interchange.services import isms

pytestmark = pytest.mark.django_db

CROSSWALK = (
    Path(__file__).resolve().parents[2]
    / "data"
    / "catalog"
    / "crosswalks"
    / "iso42001-2023_iso27001-2022.yaml"
)
NO_FINDINGS = {"major": 0, "minor": 0}


def _crosswalk() -> list[dict[str, Any]]:
    return list(yaml.safe_load(CROSSWALK.read_text(encoding="utf-8"))["mappings"])


def _targets_of(source: str) -> list[str]:
    """The 27001 controls the crosswalk file maps the 42001 control `source` onto."""
    return [str(m["target"]) for m in _crosswalk() if m["source"] == source]


def _node(urn_prefix: str, ref: str) -> RequirementNode:
    return RequirementNode.objects.get(
        framework__urn=urn_prefix, framework__organisation__isnull=True, ref_id=ref
    )


def _applicable(org: Any, *refs: str) -> None:
    for ref in refs:
        services.decide(org, actor="t", node=_node(isms.ISO42001, ref), applicable=True)


def _link(org: Any, title: str, *, urns: list[str], stale: bool = False) -> Any:
    today = timezone.localdate()
    return evidence.add_link(
        org,
        title=title,
        url=f"https://wiki.example/{title.replace(' ', '-')}",
        actor="t",
        effective_date=today - dt.timedelta(days=400) if stale else today,
        validity_days=30 if stale else None,
        requirement_urns=urns,
    )


def _text(body: Any) -> str:
    return json.dumps(body)


def _import(org: Any, rows: str) -> None:
    isms.import_isms_soa(
        org, ("Control,Applicable,Status,Evidence\n" + rows).encode(), "isms.csv", actor="t"
    )


def test_the_gap_analysis_shows_the_isms_controls_covering_each_control(catalog, org, manager):
    # The crosswalk maps A.2.2 onto 27001 5.1 (and nothing else), A.6.2.8 onto 8.15 and 8.17.
    assert _targets_of("A.2.2") == ["5.1"]
    assert sorted(_targets_of("A.6.2.8")) == ["8.15", "8.17"]
    _import(
        org,
        "5.1,yes,implemented,ISMS policy v3\n8.15,yes,partial,Log review minutes\n8.17,no,,\n",
    )
    _applicable(org, "A.2.2", "A.6.2.8", "A.5.2")
    _link(org, "Access review 2026-Q3", urns=["iso27001:2022:5.1"])
    _link(org, "Access review 2025-Q1", urns=["iso27001:2022:5.1"], stale=True)

    report = readiness.compute(org, finding_counts=NO_FINDINGS)
    items = {i.ref: i for i in report.items}
    (policy,) = items["A.2.2"].isms
    assert (policy.ref, policy.status, policy.applicable, policy.evidence) == (
        "5.1",
        "implemented",
        True,
        "ISMS policy v3",
    )
    assert (policy.evidence_current, policy.evidence_stale) == (1, 1)
    logging = {c.ref: c for c in items["A.6.2.8"].isms}
    assert set(logging) == {"8.15", "8.17"}
    assert (logging["8.15"].status, logging["8.17"].applicable) == ("partial", False)
    # A.5.2 is mapped onto 27001 5.34, which the baseline does not list: nothing to show.
    assert items["A.5.2"].isms == []

    page = manager.client.get(reverse("controls:readiness") + "?show=all").content.decode()
    assert "ISMS 27001 5.1 " in page and "ISMS policy v3" in page
    assert "1 current, 1 stale evidence item(s)" in page and "8.15" in page
    # Counted, never named: a guest whose audit does not cover evidence reads this page too.
    assert "Access review 2026-Q3" not in page

    body = manager.api("GET", "/api/v1/readiness?top=200").json()
    controls = {c["ref"]: c for c in body["controls"]}
    (shown,) = controls["A.2.2"]["isms"]
    assert shown["ref"] == "5.1" and shown["status"] == "implemented"
    assert shown["evidence"] == "ISMS policy v3"
    assert shown["evidence_current"] == 1 and shown["evidence_stale"] == 1
    assert "Access review" not in _text(body)
    assert {c["ref"] for c in controls["A.6.2.8"]["isms"]} == {"8.15", "8.17"}

    response = manager.client.get("/api/v1/readiness/export?format=csv")
    rows = {r["Ref"]: r for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    column = "ISMS controls covering part of it (ISO/IEC 27001)"
    assert "27001 5.1 " in rows["A.2.2"][column]
    assert "implemented" in rows["A.2.2"][column] and "ISMS policy v3" in rows["A.2.2"][column]
    assert "1 current, 1 stale evidence item(s)" in rows["A.2.2"][column]
    assert rows["A.5.2"][column] == ""

    sheet = load_workbook(io.BytesIO(exports.gap_xlsx(org)))["Gap analysis"]
    header = [c.value for c in sheet[1]]
    by_ref = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert "ISMS policy v3" in by_ref["A.2.2"][header.index(column)]

    reader = PdfReader(io.BytesIO(exports.gap_pdf(org)))
    text = " ".join(p.extract_text() for p in reader.pages).replace("\n", " ")
    assert "27001 5.1" in text and "ISMS policy v3" in text


def test_shared_evidence_counts_once_in_readiness(catalog, org):
    """Three pieces of evidence, one current:

    - X (current) is linked to A.2.2, A.2.3, the SoA entry of A.2.2 and 27001 5.1;
    - Y (stale) is linked to A.2.2;
    - Z (stale) is linked to 27001 5.1 only.

    The crosswalk maps A.2.2, A.2.3 and A.2.4 onto 27001 5.1, which the ISMS runs. By hand:
    E = 1 current / 3 pieces; nothing is published (D = 0), every applicable control is not
    started (S = 0), there is no AI system (A = 0) and nothing open (N = 1), so
    score = 30x0 + 25x0 + 20x0 + 15x(1/3) + 10x1 = 15.0. Counting each link instead would make
    X count four times: 4 current of 6 links gives 15x4/6 + 10 = 20.0."""
    for ref in ("A.2.2", "A.2.3", "A.2.4"):
        assert "5.1" in _targets_of(ref)
    _import(org, "5.1,yes,implemented,\n")
    _applicable(org, "A.2.2", "A.2.3", "A.2.4")
    x = _link(
        org,
        "Policy approval",
        urns=["iso42001:2023:A.2.2", "iso42001:2023:A.2.3", "iso27001:2022:5.1"],
    )
    entry = soa.soa_rows(org)
    a22 = next(r for r in entry if r.ref == "A.2.2").entry
    evidence.add_target_link(x, target_type="controls.soaentry", target_id=a22.pk, actor="t")
    _link(org, "Old policy", urns=["iso42001:2023:A.2.2"], stale=True)
    _link(org, "Old ISMS audit", urns=["iso27001:2022:5.1"], stale=True)

    report = readiness.compute(org, with_trend=False, finding_counts=NO_FINDINGS)
    shares = {c.key: c.share for c in report.components}
    assert shares == {
        "documents": 0.0,
        "soa": 0.0,
        "assessments": 0.0,
        "evidence": pytest.approx(1 / 3),
        "nonconformities": 1.0,
    }
    assert report.score == 15.0
    assert "1 of 3 pieces of evidence current" in report.components[3].explanation

    items = {i.ref: i for i in report.items}
    # A.2.2: X (node, SoA entry and ISMS: once), Y, and Z through the ISMS.
    assert (items["A.2.2"].evidence_current, items["A.2.2"].evidence_stale) == (1, 2)
    assert len(items["A.2.2"].evidence_from_isms) == 1
    # A.2.3: X (node and ISMS: once) and Z through the ISMS.
    assert (items["A.2.3"].evidence_current, items["A.2.3"].evidence_stale) == (1, 1)
    # A.2.4 has no evidence of its own: X and Z reach it through the ISMS, and X is current.
    assert (items["A.2.4"].evidence_current, items["A.2.4"].evidence_stale) == (1, 1)
    assert len(items["A.2.4"].evidence_from_isms) == 2
    assert next(c for c in items["A.2.4"].checks if c.label == "Current evidence").result == 1.0
    # The SoA counts X once for A.2.2 although it is linked to both the control and its entry.
    rows = {r.ref: r for r in soa.soa_rows(org)}
    assert (rows["A.2.2"].evidence_current, rows["A.2.2"].evidence_stale) == (1, 1)

    # An ISMS that excludes 5.1 lends A.2.4 nothing: no current evidence, the check is open.
    _import(org, "5.1,no,,\n")
    again = {i.ref: i for i in readiness.compute(org, finding_counts=NO_FINDINGS).items}
    assert (again["A.2.4"].evidence_current, again["A.2.4"].evidence_stale) == (0, 0)
    assert "Link evidence that shows it in practice" in again["A.2.4"].next_steps
    assert (again["A.2.2"].evidence_current, again["A.2.2"].evidence_stale) == (1, 1)


def _grow(org: Any, refs: list[str], baseline: list[str]) -> None:
    _applicable(org, *refs)
    _import(org, "".join(f"{ref},yes,partial,Kept by the ISMS\n" for ref in baseline))
    for ref in baseline:
        _link(org, f"ISMS record {ref}", urns=[f"iso27001:2022:{ref}"])
    for ref in refs:
        _link(org, f"AI record {ref}", urns=[f"iso42001:2023:{ref}"])


def test_gap_analysis_query_count_does_not_grow_with_controls_and_baseline(catalog, org, manager):
    def measure() -> list[int]:
        counts = []
        for request in (
            lambda: manager.client.get(reverse("controls:readiness") + "?show=all"),
            lambda: manager.client.get("/api/v1/readiness?top=200"),
            lambda: manager.client.get("/api/v1/readiness/export?format=csv"),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert request().status_code == 200
            counts.append(len(queries))
        return counts

    _grow(org, ["A.2.2"], ["5.1"])
    measure()  # the first request of a session fills per-process caches
    # An audited write after it: readiness is kept until the organisation's next write, and both
    # measures below must be of a computation afresh.
    _link(org, "AI record A.2.2, second", urns=["iso42001:2023:A.2.2"])
    few = measure()
    _grow(
        org,
        ["A.2.3", "A.2.4", "A.6.2.8", "A.6.2.5", "A.10.3", "A.8.4"],
        ["5.1", "8.15", "8.17", "8.19", "8.31", "5.19", "5.20", "5.24", "5.25"],
    )
    many = measure()
    body = manager.api("GET", "/api/v1/readiness?top=200").json()
    assert sum(len(c["isms"]) for c in body["controls"]) >= 9
    assert many == few
