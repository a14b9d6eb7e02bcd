"""Moving impact assessments out of the risks app kept their table: a database migrated before the
move, holding an assessment, a risk raised from it and the rows that name an assessment by its
label, keeps all of them after migrating forward, under the new app (runs on SQLite and, in the
PostgreSQL pass, on PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aimwell.core.audit import object_types
from aimwell.core.references import next_reference
from aimwell.impact_assessments.models import ImpactAssessment

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_MOVE = [("risks", "0004_overdue_actions_index"), ("impact_assessments", None)]
OLD, NEW = "risks.impactassessment", "impact_assessments.impactassessment"


def _migrate(targets: list[tuple[str, str | None]]) -> Apps:
    """Migrate to the targets; the models as the applied migrations left them."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    applied = [
        key for key in executor.loader.applied_migrations if key in executor.loader.graph.nodes
    ]
    return executor.loader.project_state(applied).apps


def _leaves() -> list[tuple[str, str | None]]:
    return list(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _rows_before_the_move(old: Apps) -> dict[str, Any]:
    org = old.get_model("accounts", "Organisation").objects.create(name="Old Co", slug="old-co")
    system = old.get_model("inventory", "AISystem").objects.create(organisation=org, name="Scorer")
    assessment = old.get_model("risks", "ImpactAssessment").objects.create(
        organisation=org,
        reference="IA-003",
        system=system,
        title="Scorer impact",
        impacts={"fairness": {"severity": 4, "likelihood": 3}},
        fria={"process": "credit decisions"},
        status="approved",
    )
    method = old.get_model("risks", "RiskMethod").objects.create(
        organisation=org,
        name="Method",
        version=1,
        likelihood_scale=[],
        consequence_scale=[],
        dimensions=[],
        matrix=[],
        bands=[],
        acceptance_threshold=9,
    )
    risk = old.get_model("risks", "Risk").objects.create(
        organisation=org,
        reference="R-001",
        title="Unfair refusals",
        system=system,
        method=method,
        inherent_likelihood=3,
        inherent_consequence=4,
        inherent_level=12,
        origin_impact=assessment,
        origin_area="fairness",
    )
    counter = old.get_model("core", "ReferenceCounter").objects.create(
        organisation_id=org.pk, kind=f"{OLD}:IA", last=7
    )
    flag = old.get_model("inventory", "ReviewFlag").objects.create(
        organisation=org,
        system=system,
        subject_type=OLD,
        subject_id=str(assessment.pk),
        subject_label="Impact assessment IA-003",
        reason="new model version",
        raised_by_label="old@example.com",
    )
    principle = old.get_model("context", "Principle").objects.create(
        organisation=org, name="Fairness", statement="s"
    )
    link = old.get_model("context", "PrincipleLink").objects.create(
        organisation=org,
        principle=principle,
        object_type=OLD,
        object_id=str(assessment.pk),
        object_label="IA-003",
    )
    evidence = old.get_model("evidence", "EvidenceItem").objects.create(
        organisation=org, title="DPIA", kind="record", effective_date="2026-03-02"
    )
    evidence_link = old.get_model("evidence", "EvidenceLink").objects.create(
        organisation=org,
        evidence=evidence,
        target_type=OLD,
        target_id=assessment.pk,
        target_label="IA-003",
    )
    content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="risks", model="impactassessment"
    )[0]
    return {
        "org": org,
        "assessment": assessment,
        "risk": risk,
        "counter": counter,
        "flag": flag,
        "link": link,
        "evidence_link": evidence_link,
        "content_type": content_type,
    }


def test_impact_assessments_keep_their_rows_and_the_labels_that_name_them_follow():
    before = _rows_before_the_move(_migrate(BEFORE_MOVE))

    new = _migrate(_leaves())
    assessment = new.get_model("impact_assessments", "ImpactAssessment").objects.get(
        pk=before["assessment"].pk
    )
    assert (assessment.reference, assessment.status) == ("IA-003", "approved")
    assert assessment.impacts == {"fairness": {"severity": 4, "likelihood": 3}}
    assert assessment.fria == {"process": "credit decisions"}
    risk = new.get_model("risks", "Risk").objects.get(pk=before["risk"].pk)
    assert risk.origin_impact_id == assessment.pk
    assert [r.pk for r in assessment.derived_risks.all()] == [risk.pk]

    counter = new.get_model("core", "ReferenceCounter").objects.get(pk=before["counter"].pk)
    assert (counter.kind, counter.last) == (f"{NEW}:IA", 7)
    flag = new.get_model("inventory", "ReviewFlag").objects.get(pk=before["flag"].pk)
    assert flag.subject_type == NEW
    link = new.get_model("governance", "PrincipleLink").objects.get(pk=before["link"].pk)
    assert link.object_type == NEW
    evidence_link = new.get_model("evidence", "EvidenceLink").objects.get(
        pk=before["evidence_link"].pk
    )
    assert evidence_link.target_type == NEW
    content_type = new.get_model("contenttypes", "ContentType").objects.get(
        pk=before["content_type"].pk
    )
    assert (content_type.app_label, content_type.model) == tuple(NEW.split("."))

    # Numbering carries on from the counter (7), not from the stored reference (IA-003).
    assert next_reference(ImpactAssessment, before["org"].pk, "IA") == "IA-008"


def test_audit_events_recorded_before_the_move_are_read_under_the_new_label():
    assert object_types(NEW) == [NEW, OLD]
