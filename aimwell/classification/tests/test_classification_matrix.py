"""Several EU AI Act roles per system and the per-system compliance matrix, against a real
database: statuses computed from records, controls and evidence; the page, API, CLI and pack;
organisation isolation; query counts independent of the number of records; the SoA's EU AI Act
column limited to the articles that apply."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from aimwell.classification import services as classification
from aimwell.classification.answers import CREDIT_ANSWERS
from aimwell.inventory import services
from aimwell.inventory.models import AISystem

CROSSWALK = (
    Path(__file__).resolve().parents[2]
    / "data"
    / "catalog"
    / "crosswalks"
    / "iso42001-2023_eu-ai-act-2024.yaml"
)
FRIA = {
    "process_description": "Underwriters decide on loans with the score.",
    "period_and_frequency": "Every application, continuously.",
    "categories_of_persons": "Consumer loan applicants.",
    "specific_risks": "Indirect discrimination by age.",
    "human_oversight": "An underwriter decides every case.",
    "materialisation_measures": "Rollback and suspension by the committee.",
    "complaint_mechanism": "Complaints team and human review on request.",
}


def iso_controls_mapped_to(article: str) -> set[str]:
    """The Annex A controls (A.x) the crosswalk maps to the article, read from the file itself,
    not through the code under test."""
    data = yaml.safe_load(CROSSWALK.read_text(encoding="utf-8"))
    return {
        m["source"]
        for m in data["mappings"]
        if m["target"] == article and m["source"].startswith("A.")
    }


@pytest.fixture
def scoring(catalog, org, contributor):
    system = services.create(
        AISystem,
        org,
        actor="t",
        name="Credit scoring",
        purpose="Score consumer loans",
        owner=contributor.user,
        lifecycle_stage="deployed",
        eu_roles=["deployer", "provider"],
    )
    classification.classify_system(system, CREDIT_ANSWERS, actor=contributor.user)
    return system


def _row(system: AISystem, node_id: str) -> Any:
    from aimwell.classification.matrix import system_matrix

    return next(r for r in system_matrix(system).rows if r.node_id == node_id)


def test_roles_are_stored_in_the_acts_order_and_the_classification_tags_each_obligation(
    scoring,
):
    assert scoring.eu_roles == ["provider", "deployer"] and scoring.eu_role == "provider"
    assert scoring.get_eu_role_display() == "Provider and deployer"
    current = scoring.classifications.get(is_current=True)
    assert current.operator_roles == ["provider", "deployer"]
    assert current.obligation_roles["art-27"] == ["deployer"]
    assert current.obligation_roles["art-9"] == ["provider"]
    assert "annex-iii-5-b" in current.legal_basis
    from aimwell.impact_assessments.services import fria_required

    assert fria_required(scoring)
    with pytest.raises(Exception, match="Unknown EU AI Act role"):
        services.update(scoring, actor="t", eu_roles=["provider", "reseller"])
    scoring.refresh_from_db()
    assert scoring.eu_roles == ["provider", "deployer"]


def test_matrix_status_follows_records_controls_and_evidence(scoring, org, manager):
    from aimwell.catalog.models import RequirementNode
    from aimwell.controls import services as controls
    from aimwell.evidence import services as evidence
    from aimwell.impact_assessments import services as impact
    from aimwell.impact_assessments.choices import IMPACT_AREA_KEYS

    mapped = iso_controls_mapped_to("art-27")
    row = _row(scoring, "art-27")
    assert row.roles == ["deployer"]
    assert {c.ref for c in row.controls} == mapped
    assert (row.status, [r.count for r in row.records], row.evidence) == ("open", [0], [])

    area = {"description": "d", "severity": 2, "likelihood": 2, "residual_severity": 1}
    assessment = impact.create_assessment(
        org,
        actor=manager.user,
        system=scoring,
        affected_individuals="Applicants",
        dpia_required=True,
        dpia_reference="DPIA-1",
        impacts=dict.fromkeys(IMPACT_AREA_KEYS, area),
        overall_residual="Acceptable",
        fria=FRIA,
    )
    impact.approve(assessment, actor=manager.user, membership=manager.membership)
    row = _row(scoring, "art-27")
    assert [r.met for r in row.records] == [True] and row.status == "partly"
    assert "current evidence" in row.missing

    for ref in mapped:
        node = RequirementNode.objects.get(
            framework__urn="iso42001:2023", framework__organisation__isnull=True, ref_id=ref
        )
        controls.decide(org, actor=manager.user, node=node, applicable=True, status="implemented")
    evidence.add_link(
        org,
        title="FRIA sign-off minutes",
        url="https://wiki.example/fria",
        actor=manager.user,
        requirement_urns=["eu-ai-act:2024:art-27"],
    )
    row = _row(scoring, "art-27")
    assert row.status == "met" and row.missing == []
    assert [e.title for e in row.evidence] == ["FRIA sign-off minutes"]
    # Art. 9 has no risk yet: still open or partly, never met.
    assert _row(scoring, "art-9").status in ("open", "partly")


def test_matrix_api_and_page_show_roles_rationale_and_links(scoring, contributor):
    body = contributor.api("GET", f"/api/v1/ai-systems/{scoring.pk}/compliance-matrix").json()
    assert body["risk_class"] == "high_risk" and body["roles"] == ["provider", "deployer"]
    by_node = {r["node_id"]: r for r in body["rows"]}
    assert by_node["art-27"]["roles"] == ["deployer"]
    assert by_node["art-27"]["provision"] == "Art. 27"
    assert {r["status"] for r in body["rows"]} <= {"met", "partly", "open"}
    assert sum(body["summary"].values()) == len(body["rows"])

    page = contributor.client.get(f"/ai-systems/{scoring.pk}/").content.decode()
    assert 'id="rationale"' in page and "Annex III, point 5" in page
    assert 'id="ob-art-27"' in page and "Provider and deployer" in page
    for heading in ("Risks (0)", "Impact assessments (0)", "Monitors (0)", "Incidents (0)"):
        assert heading in page, heading
    assert f"/risks/?system={scoring.pk}" in page

    # The system card and the stage-1 pack carry the same matrix.
    from aimwell.reports.data import gather
    from aimwell.transparency.cards import build_content, public_content

    card = build_content(scoring)["eu_ai_act"]
    art27 = next(o for o in card["obligations"] if o["node_id"] == "art-27")
    assert (art27["roles"], art27["status"]) == (["deployer"], by_node["art-27"]["status"])
    assert sum(card["compliance"].values()) == len(body["rows"])
    public = public_content({"eu_ai_act": card})["eu_ai_act"]
    assert "compliance" not in public and "status" not in public["obligations"][0]
    section = next(s for s in gather(scoring.organisation).sections if s.key == "eu-ai-act")
    table = section.tables[0]
    assert len(table.rows) == len(body["rows"])
    art27_row = next(r for r in table.rows if r[1] == "Art. 27")
    assert art27_row[0] == "Credit scoring" and art27_row[3] == "deployer"


def test_outsiders_get_404_for_classifications_and_matrix(scoring, outsider):
    for url in (
        f"/api/v1/ai-systems/{scoring.pk}/compliance-matrix",
        f"/api/v1/ai-systems/{scoring.pk}/classifications",
    ):
        assert outsider.api("GET", url).status_code == 404, url
    assert outsider.client.get(f"/ai-systems/{scoring.pk}/").status_code == 404


def _grow(system: AISystem, org: Any, manager: Any, n: int) -> None:
    """n more risks, approved-or-draft assessments, monitors and evidence items."""
    from aimwell.evidence import services as evidence
    from aimwell.risks.tests import factories as f

    f.method(org)
    for i in range(n):
        f.risk(org, system=system, title=f"Risk {system.name} {i}")
        evidence.add_link(
            org,
            title=f"Evidence {i}",
            url=f"https://wiki.example/{system.pk}/{i}",
            actor=manager.user,
            requirement_urns=["eu-ai-act:2024:art-9", "eu-ai-act:2024:art-27"],
        )


def test_matrix_queries_do_not_grow_with_records(
    scoring, org, manager, contributor, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/api/v1/ai-systems/{scoring.pk}/compliance-matrix"
    page = f"/ai-systems/{scoring.pk}/"
    _grow(scoring, org, manager, 1)
    contributor.api("GET", url)  # warm up: session, CSRF and per-process caches
    contributor.client.get(page)
    counts = []
    for n in (0, 6):
        _grow(scoring, org, manager, n)
        with CaptureQueriesContext(connection) as api_q:
            assert contributor.api("GET", url).status_code == 200
        with CaptureQueriesContext(connection) as page_q:
            assert contributor.client.get(page).status_code == 200
        counts.append((len(api_q), len(page_q)))
    assert counts[0] == counts[1], counts
    rows = contributor.api("GET", url).json()["rows"]
    art9 = next(r for r in rows if r["node_id"] == "art-9")
    assert len(art9["evidence"]) == 7 and art9["records"][0]["count"] == 7


def test_cli_prints_class_roles_flags_basis_rationale_and_obligations(scoring, tmp_path):
    import json

    from typer.testing import CliRunner

    from aimwell.cli import app

    path = tmp_path / "answers.json"
    path.write_text(json.dumps(CREDIT_ANSWERS))
    result = CliRunner().invoke(
        app,
        [
            "classify",
            "Credit scoring",
            "--organisation",
            scoring.organisation.slug,
            "--answers",
            str(path),
            "--role",
            "provider",
            "--role",
            "deployer",
        ],
    )
    out = result.output
    assert result.exit_code == 0, out
    assert "high_risk" in out and "Roles: Provider and deployer" in out
    assert "GPAI: no; transparency duties: none" in out
    assert "Annex III, point 5(b): Creditworthiness and credit scoring [annex-iii-5-b]" in out
    assert "Art. 6(2)" in out and "Rationale:" in out and "  - High-risk under Art. 6(2)" in out
    lines = out.splitlines()
    deployer = next(line for line in lines if line.startswith("Obligations as deployer"))
    assert "Art. 27" in deployer and "Art. 26" in deployer and "Art. 9" not in deployer


GPAI_ARTICLES = [f"art-{n}" for n in range(51, 57)]


def _eu_column(org: Any) -> list[str]:
    from aimwell.controls import exports

    column = exports.SOA_HEADERS.index("EU AI Act obligations")
    return [ref for row in exports.soa_table(org) for ref in row[column]]


def _refs(node_ids: list[str]) -> set[str]:
    from aimwell.catalog.models import RequirementNode
    from aimwell.inventory.labels import act_reference

    # The SoA's sheet names each obligation as people read it ("Article 27").
    return {
        act_reference(ref)
        for ref in RequirementNode.objects.filter(
            urn__in=[f"eu-ai-act:2024:{n}" for n in node_ids], framework__organisation__isnull=True
        ).values_list("ref_id", flat=True)
    }


def test_demo_classifies_all_four_systems_and_the_soa_cites_gpai_only_with_a_gpai_model(
    demo_org,
):
    from aimwell.impact_assessments.models import ImpactAssessment

    org = demo_org
    current = {
        c.system.name: c
        for c in classification.Classification.objects.filter(
            organisation=org, is_current=True
        ).select_related("system")
    }
    assert {name: c.risk_class for name, c in current.items()} == {
        "Consumer credit scoring": "high_risk",
        "CV screening": "high_risk",
        "Card fraud detection": "minimal_risk",
        "Customer support assistant": "limited_risk",
    }
    credit = current["Consumer credit scoring"]
    assert credit.operator_roles == ["provider", "deployer"]
    assert credit.obligation_roles["art-27"] == ["deployer"]
    assert "Annex III, point 5(b)" in current["Card fraud detection"].citations
    assert current["CV screening"].legal_basis == ["art-6-2", "annex-iii-4", "annex-iii-4-a"]
    fria = ImpactAssessment.objects.get(system=credit.system)
    assert fria.status == "approved" and fria.fria_required and all(fria.fria.values())

    gpai_refs = _refs(GPAI_ARTICLES)
    assert gpai_refs, "the catalog names the GPAI articles"
    column = _eu_column(org)
    assert column and not gpai_refs & set(column)
    assert _refs(["art-27"]) <= set(column)  # the deployer side of the credit system

    assistant = services.create(
        AISystem,
        org,
        actor="t",
        name="Drafting model",
        purpose="A general-purpose language model Meridian trains and offers to partners.",
        eu_roles=["provider"],
    )
    classification.classify_system(
        assistant,
        {
            **CREDIT_ANSWERS,
            "annex_iii_areas": ["none"],
            "art50_features": ["generates_synthetic_content"],
            "gpai_model": True,
            "gpai_training_flops": 3e23,
            "gpai_designated": False,
            "gpai_open_source": False,
        },
        actor="t",
    )
    assert _refs(["art-53"]) <= set(_eu_column(org))
    assert re.search(r"\b53\b", " ".join(_eu_column(org)))


def test_the_system_page_links_its_changes_card_and_life_cycle_without_more_queries(
    scoring, org, manager, contributor
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from aimwell.change_control import services as changes

    def propose(i: int) -> Any:
        return changes.create_change(
            org,
            actor=manager.user,
            title=f"Retrain on 2026 data {i}",
            scope="system",
            system=scoring,
            reason="Drift in income features.",
            what_changes="A new model version.",
        )

    page_url = f"/ai-systems/{scoring.pk}/"
    first = propose(0)
    contributor.client.get(page_url)  # warm up: session and per-process caches
    with CaptureQueriesContext(connection) as one:
        page = contributor.client.get(page_url).content.decode()
    assert f'href="/changes/{first.pk}/"' in page and "Changes (1)" in page
    assert f'href="/transparency/systems/{scoring.pk}/"' in page
    assert f'href="/lifecycle/systems/{scoring.pk}/"' in page
    assert "Latest monitoring runs (0)" in page
    for i in range(1, 5):
        propose(i)
    with CaptureQueriesContext(connection) as five:
        page = contributor.client.get(page_url).content.decode()
    assert "Changes (5)" in page
    assert len(five) == len(one)
