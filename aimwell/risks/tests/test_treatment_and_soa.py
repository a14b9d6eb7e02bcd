"""The heart of planning: a treatment selects a control, the SoA derives from it, residual risk
is accepted only within authority, and a new model version reopens assessments."""

from __future__ import annotations

import pytest

from aimwell.controls import services as controls
from aimwell.controls import soa
from aimwell.core.models import AuditEvent
from aimwell.impact_assessments import services as impact
from aimwell.inventory import services as inventory
from aimwell.inventory.models import ReviewFlag
from aimwell.risks.errors import RiskError
from aimwell.risks.services import register, treatment
from aimwell.risks.tests import factories as f

pytestmark = pytest.mark.django_db


def test_treatment_selecting_a_6_2_4_makes_it_applicable_with_the_risk_as_justification(
    catalog, org
):
    risk = f.risk(org, title="Model drifts unnoticed")
    treatment.set_treatment(risk, actor="test", option="modify", plan="Monitor in production")
    treatment.select_control(risk, actor="test", node=f.node("A.6.2.4"), rationale="verification")

    rows = {r.ref: r for r in soa.soa_rows(org)}
    assert len([r for r in rows.values() if r.node is not None]) == 38
    row = rows["A.6.2.4"]
    assert row.applicable is True
    assert [s.reference for s in row.selected_by] == [risk.reference]
    assert risk.reference in row.justification and "Model drifts unnoticed" in row.justification
    assert not any("treatment" in i for i in row.inconsistencies)

    controls.decide(org, actor="test", node=f.node("A.6.2.4"), applicable=False, justification="x")
    row = {r.ref: r for r in soa.soa_rows(org)}["A.6.2.4"]
    assert row.applicable is False
    assert any(risk.reference in i and "not applicable" in i for i in row.inconsistencies)


def test_exclusion_without_justification_and_applicable_without_owner_are_flagged(catalog, org):
    controls.decide(org, actor="test", node=f.node("A.10.4"), applicable=False)
    controls.decide(org, actor="test", node=f.node("A.2.2"), applicable=True)
    rows = {r.ref: r for r in soa.soa_rows(org)}
    assert "Excluded without a justification." in rows["A.10.4"].inconsistencies
    assert "Applicable but nobody owns it." in rows["A.2.2"].inconsistencies


def test_residual_acceptance_needs_authority(catalog, org, manager, contributor, staff):
    risk = f.risk(org, likelihood=4, rating=4)  # level 16
    treatment.set_treatment(risk, actor="test", option="modify")
    treatment.assess_residual(risk, actor="test", likelihood=3, consequence=3)  # level 9
    with pytest.raises(RiskError, match="no risk-acceptance authority"):
        treatment.accept_residual(risk, actor=staff.user, membership=staff.membership)
    contributor.membership.risk_acceptance_limit = 6
    with pytest.raises(RiskError, match="up to level 6; this residual risk is level 9"):
        treatment.accept_residual(risk, actor=contributor.user, membership=contributor.membership)
    contributor.membership.risk_acceptance_limit = 12
    with pytest.raises(RiskError, match="top management must accept it"):
        treatment.accept_residual(risk, actor=contributor.user, membership=contributor.membership)

    treatment.accept_residual(risk, actor=manager.user, membership=manager.membership, note="ok")
    risk.refresh_from_db()
    assert risk.status == "accepted"
    assert risk.accepted_by == manager.user and risk.accepted_level == 9
    assert AuditEvent.objects.filter(
        action="risk.residual_accepted", object_id=str(risk.pk)
    ).exists()

    treatment.assess_residual(risk, actor="test", likelihood=4, consequence=3)
    risk.refresh_from_db()
    assert risk.status == "in_treatment" and risk.accepted_at is None


def test_new_model_version_reopens_risk_and_impact_assessments(catalog, org, manager):
    system, model = f.deployed_with_model(org)
    risk = f.risk(org, system=system)
    ia = impact.create_assessment(org, actor="test", system=system)
    inventory.new_model_version(model, version="2", actor="test")

    subjects = set(
        ReviewFlag.objects.filter(system=system, resolved_at__isnull=True).values_list(
            "subject_type", "subject_id"
        )
    )
    assert ("risks.risk", str(risk.pk)) in subjects
    assert ("impact_assessments.impactassessment", str(ia.pk)) in subjects

    register.reassess(
        risk,
        actor=manager.user,
        likelihood=3,
        consequences={"individuals": {"rating": 4}},
        note="v2 validated",
    )
    assert not ReviewFlag.objects.filter(
        subject_type="risks.risk", subject_id=str(risk.pk), resolved_at__isnull=True
    ).exists()
    assert ReviewFlag.objects.filter(
        subject_type="impact_assessments.impactassessment",
        subject_id=str(ia.pk),
        resolved_at__isnull=True,
    ).exists()
