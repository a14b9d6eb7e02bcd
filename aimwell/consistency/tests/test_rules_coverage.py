"""One test per Coverage and Records rule: the contradiction, built through the services (or,
where no service lets it happen, as imported data would hold it), gives exactly that finding; the
coherent version gives none."""

from __future__ import annotations

from aimwell.accounts import services as accounts
from aimwell.classification.services import classify_system
from aimwell.consistency.tests.builders import HIGH_RISK_ANSWERS, MINIMAL_ANSWERS, days, found
from aimwell.consistency.tests.builders import system as new_system
from aimwell.controls import services as controls
from aimwell.documents import services as documents
from aimwell.documents.models import DocumentVersion
from aimwell.evidence import services as evidence
from aimwell.impact_assessments import services as impact
from aimwell.improvement.models import Nonconformity
from aimwell.incidents import services as incidents
from aimwell.internal_audit import services as audits
from aimwell.inventory import services as inventory
from aimwell.monitoring import services as monitoring
from aimwell.risks.services import treatment
from aimwell.risks.tests.factories import method, node, risk


def test_system_in_scope_unclassified(org, manager, catalog):
    credit = new_system(org, owner=manager.user)
    assert found(org, "system-unclassified") == [
        "“Credit scoring” is in scope but has no EU AI Act classification."
    ]
    classify_system(credit, MINIMAL_ANSWERS, actor=manager.user, role="provider")
    assert found(org, "system-unclassified") == []


def test_system_out_of_scope_needs_nothing(org, manager, catalog):
    new_system(org, owner=None, in_scope=False, scope_reason="Retired prototype")
    assert found(org, "system-unclassified") == []
    assert found(org, "system-without-owner") == []


def test_system_without_owner(org, manager, catalog):
    credit = new_system(org, owner=None)
    assert found(org, "system-without-owner") == ["“Credit scoring” is in scope but has no owner."]
    inventory.update(credit, actor=manager.user, owner=manager.user)
    assert found(org, "system-without-owner") == []


def test_system_without_risk_assessment(org, manager, catalog):
    credit = new_system(org, owner=manager.user)
    assert found(org, "system-without-risk-assessment") == [
        "“Credit scoring” is in scope but no risk of it is assessed."
    ]
    risk(org, system=credit)
    assert found(org, "system-without-risk-assessment") == []


def _assessment(org, manager, credit, **values):
    return impact.create_assessment(
        org, actor=manager.user, system=credit, owner=manager.user, **values
    )


def test_system_without_impact_assessment(org, manager, catalog):
    credit = new_system(org, owner=manager.user)
    assert found(org, "system-without-impact-assessment") == [
        "“Credit scoring” is in scope but has no AI system impact assessment."
    ]
    _assessment(org, manager, credit)
    assert found(org, "system-without-impact-assessment") == []


def test_fria_required_but_empty(org, manager, catalog):
    screening = new_system(org, name="CV screening", owner=manager.user, eu_role="deployer")
    classify_system(screening, HIGH_RISK_ANSWERS, actor=manager.user, role="deployer")
    ia = _assessment(org, manager, screening)
    assert ia.fria_required
    assert found(org, "fria-missing") == [
        f"{ia.reference} of “CV screening” requires a FRIA, which is empty."
    ]
    impact.update_assessment(ia, actor=manager.user, fria={"process_description": "Ranks CVs."})
    assert found(org, "fria-missing") == []


def test_high_risk_system_without_monitor(org, manager, catalog):
    credit = new_system(org, owner=manager.user)
    classify_system(credit, HIGH_RISK_ANSWERS, actor=manager.user, role="provider")
    assert found(org, "high-risk-system-without-monitor") == [
        "“Credit scoring” is high-risk and no active monitor watches it."
    ]
    monitoring.create_monitor(
        credit,
        actor=manager.user,
        name="Fairness",
        label_column="approved",
        prediction_column="predicted",
        sensitive_columns=["sex"],
        metrics=["fairness"],
    )
    assert found(org, "high-risk-system-without-monitor") == []


def test_high_risk_untreated(org, manager, catalog):
    threshold = method(org).acceptance_threshold
    low = risk(org, title="Low", likelihood=1, rating=1)
    assert low.inherent_level <= threshold
    high = risk(org, title="High", likelihood=5, rating=5)
    assert high.inherent_level > threshold
    assert found(org, "high-risk-untreated") == [
        f"{high.reference} has level {high.inherent_level}, above the acceptance threshold "
        f"{threshold}, with no treatment and no acceptance."
    ]
    treatment.set_treatment(high, actor=manager.user, option="modify", plan="Add human review.")
    assert found(org, "high-risk-untreated") == []


def test_acceptance_above_authority(org, manager, catalog):
    accepted = risk(org, title="Residual", likelihood=3, rating=3)
    treatment.set_treatment(accepted, actor=manager.user, option="modify", plan="p")
    treatment.assess_residual(accepted, actor=manager.user, likelihood=2, consequence=3)
    treatment.accept_residual(accepted, actor=manager.user, membership=manager.membership)
    accepted.refresh_from_db()
    assert found(org, "acceptance-above-authority") == []
    # The acceptor's authority is later cut below the level they accepted.
    accounts.update_membership(
        manager.membership, actor="test", risk_acceptance_limit=1, is_top_management=False
    )
    assert found(org, "acceptance-above-authority") == [
        f"{accepted.reference} was accepted at level {accepted.accepted_level} by "
        f"{manager.user.email}, whose limit is 1 and who is not top management."
    ]


def test_implemented_control_with_expired_evidence(org, manager, catalog):
    controls.decide(
        org,
        actor=manager.user,
        node=node("A.7.4"),
        applicable=True,
        status="implemented",
        justification="Data quality checks.",
    )
    evidence.add_link(
        org,
        title="DQ report 2024",
        url="https://wiki.example/dq-2024",
        actor=manager.user,
        effective_date=days(-400),
        validity_days=365,
        requirement_urns=["iso42001:2023:A.7.4"],
    )
    assert found(org, "implemented-control-evidence-expired") == [
        "A.7.4 is implemented but every evidence item linked to it has expired."
    ]
    evidence.add_link(
        org,
        title="DQ report 2025",
        url="https://wiki.example/dq-2025",
        actor=manager.user,
        effective_date=days(-30),
        validity_days=365,
        requirement_urns=["iso42001:2023:A.7.4"],
    )
    assert found(org, "implemented-control-evidence-expired") == []


def _published(org, manager, admin, key="document-control"):
    document = documents.create_from_template(org, key, actor=admin.user)
    version = document.working_version
    documents.submit_for_review(version, actor=admin.user)
    documents.approve(version, membership=manager.membership, actor=manager.user, note="ok")
    documents.publish(version, actor=manager.user)
    document.refresh_from_db()
    return document


def test_document_review_overdue(org, manager, admin, catalog):
    document = _published(org, manager, admin)
    assert found(org, "document-review-overdue") == []
    documents.update_document(document, actor=manager.user, next_review_date=days(-1))
    assert found(org, "document-review-overdue") == [
        f"{document.reference} {document.title} was due for review on {days(-1)}."
    ]


def test_serious_incident_past_art73_clock(org, manager, catalog):
    late = incidents.record_incident(
        org,
        actor=manager.user,
        title="Late",
        description="d",
        severity="high",
        is_serious=True,
        serious_kind="fundamental_rights",
        aware_on=days(-40),
        detected_at=None,
    )
    assert found(org, "incident-past-art73-clock") == [
        f"{late.reference} is a serious incident due for report by {late.report_deadline}; no "
        "report is recorded."
    ]
    incidents.record_authority_report(
        late, actor=manager.user, reported_on=days(-1), authority="Market surveillance"
    )
    assert found(org, "incident-past-art73-clock") == []


def test_nc_closed_without_effectiveness(org, manager, catalog):
    from aimwell.improvement import services as improvement

    nc = improvement.raise_nonconformity(
        org, actor=manager.user, title="NC", description="d", source="audit"
    )
    assert found(org, "nc-closed-without-effectiveness") == []
    # The service refuses to close without verification; imported data may hold it.
    Nonconformity.objects.filter(pk=nc.pk).update(status="closed", closed_on=days(0))
    assert found(org, "nc-closed-without-effectiveness") == [
        f"{nc.reference} was closed on {days(0)} without a verification that its corrective "
        "action was effective."
    ]


def test_audit_led_by_owner_of_audited_process(org, manager, internal_auditor, catalog):
    audit = audits.create_audit(
        org,
        actor=manager.user,
        title="Risk audit",
        scope="s",
        planned_start=days(5),
        planned_end=days(6),
        lead_auditor=internal_auditor.user,
        requirements=[node("6.1.2")],
    )
    assert found(org, "audit-by-owner") == []
    accounts.update_membership(
        internal_auditor.membership, actor="test", owned_processes=["risk_management"]
    )
    assert found(org, "audit-by-owner") == [
        f"{audit.reference} is led by {internal_auditor.user.email}, who owns risk_management "
        "audited in it."
    ]


def test_mandatory_document_missing(org, manager, catalog):
    missing = found(org, "mandatory-document-missing")
    assert "5.2 AI policy: no document is linked to it and no register holds it as records." in (
        missing
    )
    documents.create_from_template(org, "ai-policy", actor=manager.user)
    after = found(org, "mandatory-document-missing")
    assert not any(m.startswith("5.2 ") for m in after)
    assert len(after) == len(missing) - 1


def test_published_version_without_approval(org, manager, admin, catalog):
    document = _published(org, manager, admin)
    assert found(org, "document-published-unapproved") == []
    # No service publishes unapproved; imported documents can arrive that way.
    DocumentVersion.objects.filter(pk=document.published_version_id).update(
        approved_at=None, approved_by=None
    )
    assert found(org, "document-published-unapproved") == [
        f"{document.reference} v1 is published but was never approved."
    ]


def test_audit_reported_outside_programme(org, manager, internal_auditor, catalog):
    programme = audits.create_programme(
        org,
        actor=manager.user,
        title="2026",
        cycle_start=days(-100),
        cycle_end=days(200),
        objectives="All clauses",
        owner=internal_auditor.user,
    )
    for title, prog in (("Planned", programme), ("Ad hoc", None)):
        audit = audits.create_audit(
            org,
            actor=manager.user,
            title=title,
            scope="s",
            programme=prog,
            planned_start=days(-3),
            planned_end=days(-2),
            lead_auditor=internal_auditor.user,
        )
        audits.start_audit(audit, actor=internal_auditor.user)
        audits.issue_report(audit, actor=internal_auditor.user, conclusion="ok")
    assert found(org, "audit-reported-outside-programme") == [
        f"{audit.reference} was reported but belongs to no audit programme."
    ]
