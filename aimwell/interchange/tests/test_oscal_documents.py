"""The OSCAL documents of the demo organisation validate with compliance-trestle's models and the
NIST OSCAL JSON schemas; their content matches the registers they come from (counted here
straight from the database); an SSP round trip keeps every control implementation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from typer.testing import CliRunner

from aimwell.catalog.formats.oscal import AIMWELL_NS
from aimwell.cli import app
from aimwell.interchange import exports, services
from aimwell.interchange.ssp_import import SSPFormatError
from aimwell.interchange.tests.oscal_validation import assert_valid

runner = CliRunner()
KINDS = list(exports.DOCUMENTS)


@pytest.fixture(scope="module")
def demo_world(
    django_db_setup: Any, django_db_blocker: Any, demo_copies: Any
) -> Iterator[dict[str, Any]]:
    """The demo organisation for the whole module (the worker's loaded copy, see conftest.py),
    with a second organisation added in a transaction rolled back after the module."""
    from django.db import transaction

    from aimwell.accounts import services as accounts
    from aimwell.demo import demo_organisation

    with django_db_blocker.unblock():
        demo_copies.copy_in()
        outer = transaction.atomic()
        outer.__enter__()
        try:
            other = accounts.create_organisation(name="Elsewhere", slug="elsewhere", actor="t")
            yield {"demo": demo_organisation(), "other": other}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            demo_copies.copy_out()


def _doc(kind: str, organisation: Any) -> dict[str, Any]:
    return json.loads(exports.export_document(kind, organisation)[0])


def _ours(item: dict[str, Any], name: str) -> list[str]:
    return [
        p["value"] for p in item.get("props", []) if p["name"] == name and p.get("ns") == AIMWELL_NS
    ]


def _applicable_refs(organisation: Any) -> set[str]:
    """Annex A and own controls the SoA applies: decided applicable, or undecided and selected
    by the treatment of an open risk (the SoA's derivation rule), straight from the tables."""
    from aimwell.controls.models import SoAEntry
    from aimwell.risks.models import SelectedControl

    entries = SoAEntry.objects.filter(organisation=organisation).select_related("node", "custom")
    decided = {
        (e.node.ref_id if e.node_id else e.custom.code): e.applicable
        for e in entries
        if e.applicable is not None
    }
    selected = {
        s.node.ref_id if s.node_id else s.custom.code
        for s in SelectedControl.objects.filter(organisation=organisation)
        .exclude(risk__status="closed")
        .select_related("node", "custom")
    }
    return {r for r, a in decided.items() if a} | {r for r in selected if r not in decided}


@pytest.mark.parametrize("kind", KINDS)
def test_every_demo_document_validates_with_trestle_and_the_nist_schema(demo_world, db, kind):
    document = _doc(kind, demo_world["demo"])
    assert_valid(document)
    text = json.dumps(document)
    assert "Meridian Lending" in text
    assert "{{" not in text


def test_profile_and_ssp_carry_the_soa(demo_world, db):
    demo = demo_world["demo"]
    applicable = _applicable_refs(demo)
    assert applicable  # the demo has decided its SoA
    profile = _doc("profile", demo)["profile"]
    included = set(profile["imports"][0]["include-controls"][0]["with-ids"])
    from aimwell.controls.models import SoAEntry

    excluded = SoAEntry.objects.filter(organisation=demo, applicable=False, node__isnull=False)
    assert included == {r.lower() for r in applicable if r.startswith("A.")}
    if excluded:
        assert set(profile["imports"][0]["exclude-controls"][0]["with-ids"]) == {
            e.node.ref_id.lower() for e in excluded
        }
        for entry in excluded:
            assert entry.justification.strip()[:40] in profile["metadata"]["remarks"]

    ssp = _doc("ssp", demo)["system-security-plan"]
    requirements = ssp["control-implementation"]["implemented-requirements"]
    assert {_ours(r, "control-ref")[0] for r in requirements} == applicable
    from aimwell.inventory.models import AISystem

    components = ssp["system-implementation"]["components"]
    assert [c["type"] for c in components].count("this-system") == 1
    assert {c["title"] for c in components if _ours(c, "asset-type") == ["ai-system"]} == set(
        AISystem.objects.filter(organisation=demo).values_list("name", flat=True)
    )


def test_poam_lists_open_nonconformities_and_treatment_actions_with_due_dates(demo_world, db):
    from aimwell.improvement.models import Nonconformity
    from aimwell.risks.models import TreatmentAction

    demo = demo_world["demo"]
    poam = _doc("poam", demo)["plan-of-action-and-milestones"]
    risks = {r["title"].split(" ", 1)[0]: r for r in poam.get("risks", [])}
    open_ncs = Nonconformity.objects.filter(organisation=demo).exclude(status="closed")
    for nc in open_ncs:
        assert nc.reference in risks
        if nc.due_date:
            assert risks[nc.reference]["deadline"].startswith(nc.due_date.isoformat())
    actions = TreatmentAction.objects.filter(
        organisation=demo, status__in=("open", "in_progress")
    ).exclude(risk__status="closed")
    milestones = {
        t["uuid"]: t
        for r in poam.get("risks", [])
        for rem in r.get("remediations", [])
        for t in rem["tasks"]
    }
    assert (
        len([t for t in milestones.values() if _ours(t, "action-source") == ["risk-treatment"]])
        == actions.count()
    )
    for action in actions.filter(due_date__isnull=False):
        dated = [t for t in milestones.values() if t["title"] == action.title and "timing" in t]
        assert any(
            t["timing"]["on-date"]["date"].startswith(action.due_date.isoformat()) for t in dated
        )
    expected_items = open_ncs.count() + len({a.risk_id for a in actions})
    assert expected_items > 0
    assert len(poam["poam-items"]) == expected_items


def test_assessment_results_hold_every_finding_of_started_audits(demo_world, db):
    from aimwell.certification.models import ExternalFinding
    from aimwell.internal_audit.models import Finding

    demo = demo_world["demo"]
    results = _doc("assessment-results", demo)["assessment-results"]["results"]
    titles = {f["title"].split(" ", 1)[0] for r in results for f in r.get("findings", [])}
    internal = Finding.objects.filter(organisation=demo).exclude(
        audit__status__in=("planned", "cancelled")
    )
    external = ExternalFinding.objects.filter(organisation=demo).exclude(
        audit__status__in=("planned", "cancelled")
    )
    assert titles == {f.reference for f in internal} | {f.reference for f in external}
    assert internal.exists()
    plan = _doc("assessment-plan", demo)["assessment-plan"]
    from aimwell.internal_audit.models import Audit

    audits = Audit.objects.filter(organisation=demo).exclude(status="cancelled")
    assert {t["title"].split(" ", 1)[0] for t in plan["tasks"]} >= {a.reference for a in audits}


def test_ssp_round_trip_keeps_every_control_implementation(demo_world, db):
    demo, other = demo_world["demo"], demo_world["other"]
    content, _ = exports.export_document("ssp", demo)
    report = services.import_ssp(other, content, actor="t")
    assert not report.skipped

    def implementations(organisation: Any) -> set[tuple[Any, ...]]:
        ssp = _doc("ssp", organisation)["system-security-plan"]
        return {
            (
                r["control-id"],
                *_ours(r, "implementation-status"),
                *_ours(r, "applicability"),
                r.get("remarks", ""),
                r["by-components"][0]["implementation-status"]["state"],
            )
            for r in ssp["control-implementation"]["implemented-requirements"]
        }

    original = implementations(demo)
    assert len(original) == len(_applicable_refs(demo))
    assert implementations(other) == original
    # Importing the same SSP again changes nothing.
    again = services.import_ssp(other, content, actor="t")
    assert again.applied == report.applied and implementations(other) == original


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"not json", "not OSCAL JSON"),
        (b'{"catalog": {}}', "Expected an OSCAL SSP"),
        (b'{"system-security-plan": {"control-implementation": {}}}', "no control-implementation"),
    ],
)
def test_a_bad_ssp_imports_nothing(demo_world, db, content, words):
    from aimwell.controls.models import SoAEntry

    with pytest.raises(SSPFormatError, match=words):
        services.import_ssp(demo_world["other"], content, actor="t")
    assert not SoAEntry.objects.filter(organisation=demo_world["other"]).exists()


def test_cli_exports_and_imports(demo_world, db, tmp_path):
    out = tmp_path / "poam.json"
    result = runner.invoke(
        app, ["oscal", "export", "poam", "--organisation", "meridian-lending", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert_valid(json.loads(out.read_text()))
    ssp = tmp_path / "ssp.json"
    ssp.write_bytes(exports.export_document("ssp", demo_world["demo"])[0])
    imported = runner.invoke(app, ["oscal", "import-ssp", str(ssp), "--organisation", "elsewhere"])
    assert imported.exit_code == 0, imported.output
    assert "control implementation(s) recorded in the SoA" in imported.output
    bad = runner.invoke(app, ["oscal", "export", "nonsense", "--organisation", "elsewhere"])
    assert bad.exit_code == 2 and "No OSCAL document" in bad.output


def test_documents_of_an_empty_organisation_validate_and_the_api_serves_them(
    catalog, org, manager, staff
):
    for kind in KINDS:
        assert_valid(_doc(kind, org))
    response = manager.api("GET", "/api/v1/oscal/ssp")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="meridian-test-ssp.oscal.json"'
    assert_valid(json.loads(response.content))
    assert manager.api("GET", "/api/v1/oscal/nonsense").status_code == 404
    assert staff.api("GET", "/api/v1/oscal/ssp").status_code == 403
    page = manager.client.get("/oscal/profile/")
    assert page.status_code == 200 and b'"profile"' in page.content
    upload = manager.client.post(
        "/api/v1/oscal/ssp/import",
        {"file": SimpleUploadedFile("ssp.json", b"[]")},
        HTTP_X_CSRFTOKEN=manager.csrf(),
    )
    assert upload.status_code == 400 and "Nothing was imported" in upload.json()["message"]


def test_a_guest_engaged_on_one_area_cannot_download_the_whole_aims(
    catalog, org, manager, external_auditor
):
    import datetime as dt

    from django.utils import timezone

    from aimwell.certification import services as certification
    from aimwell.certification import workspace
    from aimwell.certification.choices import Area

    project = certification.get_or_create_project(org, actor=manager.user)
    today = timezone.localdate()
    audit = certification.plan_audit(
        project,
        actor=manager.user,
        kind="stage_1",
        planned_start=today,
        planned_end=today,
        areas=[Area.SYSTEMS],
        all_systems=True,
        systems=(),
    )
    workspace.grant_engagement(
        audit,
        actor=manager.user,
        membership=external_auditor.membership,
        ends_at=timezone.now() + dt.timedelta(days=3),
    )
    assert external_auditor.api("GET", "/api/v1/oscal/ssp").status_code == 403
    assert external_auditor.client.get("/oscal/ssp/").status_code == 403


def test_the_pages_that_own_the_data_link_their_oscal_documents(catalog, org, manager):
    from django.urls import reverse

    pages = {
        "controls:home": ("profile", "ssp"),
        "inventory:systems": ("component-definition",),
        "internal_audit:audits": ("assessment-plan", "assessment-results"),
        "improvement:ncs": ("poam",),
    }
    for page, kinds in pages.items():
        response = manager.client.get(reverse(page))
        assert response.status_code == 200, page
        for kind in kinds:
            assert f'href="/oscal/{kind}/"' in response.content.decode(), (page, kind)
