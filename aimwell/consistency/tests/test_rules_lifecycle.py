"""One test per life-cycle rule (Annex A.6 records and clause 6.3 changes): the coherent record
gives no finding, the contradiction gives exactly the expected one.

Contradictions the services refuse (a change implemented before its approval) are built the way
they reach a real database: a record written by an import or restored from elsewhere, here a
queryset update that bypasses the services, as such data does."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from aimwell.change_control import services as changes
from aimwell.change_control.models import ChangeRequest
from aimwell.consistency import engine
from aimwell.consistency.registry import RULES, Area
from aimwell.consistency.tests.builders import days, found
from aimwell.inventory import services as inventory
from aimwell.lifecycle.models import AcceptanceCriterion
from aimwell.lifecycle.services import gate, records, vv
from aimwell.lifecycle.tests import factories as f


def _deployed(org, owner, manager, name="Churn model"):
    """A minimal-risk system with every precondition met, approved and deployed."""
    system, model = f.gate_ready(org, owner.user, manager, name)
    approval = gate.approve_deployment(
        system, model=model, actor=manager.user, membership=manager.membership
    )
    inventory.update(system, actor="t", lifecycle_stage="deployed")
    return system, model, approval


def test_deployed_system_without_approval(org, contributor, manager):
    _deployed(org, contributor, manager, "Approved model")
    assert found(org, "deployed-without-approval") == []
    bare, _ = f.system(org, contributor.user, "Bare model")
    inventory.update(bare, actor="t", lifecycle_stage="deployed")
    assert found(org, "deployed-without-approval") == [
        "Bare model is deployed but has no deployment approval."
    ]


def test_new_model_version_reopens_the_deployment_approval(org, contributor, manager):
    _, model, _ = _deployed(org, contributor, manager)
    assert found(org, "deployment-approval-reopened") == []
    inventory.new_model_version(model, version="2.0", actor="t")
    assert found(org, "deployment-approval-reopened") == [
        f"Deployment approval 1 of Churn model no longer covers what it runs: the system now "
        f"runs Churn model model 2.0, not the approved {model}."
    ]


def test_deployment_approved_before_a_criterion_passed(org, contributor, manager):
    system, model = f.system(org, contributor.user)
    f.classify(system)
    f.assess_risk(org, system)
    f.assess_impact(org, system, manager)
    f.monitor(system)
    plan = vv.save_plan(system, actor=manager.user, scope="Hold-out", method="Offline")
    ac1 = vv.add_criterion(
        plan, actor=manager.user, key="AC-1", kind="performance", metric="auc",
        comparison="gte", threshold=0.7,
    )  # fmt: skip
    ac2 = vv.add_criterion(
        plan, actor=manager.user, key="AC-2", kind="fairness", metric="dir",
        comparison="gte", threshold=0.8,
    )  # fmt: skip
    vv.freeze_plan(plan, actor=manager.user)
    vv.record_result(system, criterion_id=ac1.pk, value=0.8, actor=manager.user)
    # AC-2's only passing measurement is dated after the day the deployment is approved.
    vv.record_result(
        system, criterion_id=ac2.pk, value=0.9, actor=manager.user, measured_on=days(3)
    )
    gate.approve_deployment(system, model=model, actor=manager.user, membership=manager.membership)
    assert found(org, "deployment-approved-before-vv-passed") == [
        f"Deployment approval 1 of Churn model is dated {days(0)}, before AC-2 had passed or "
        "been accepted."
    ]
    # Measured again, on the day: the approval relied on a result that existed.
    other, other_model = f.gate_ready(org, contributor.user, manager, "Coherent model")
    gate.approve_deployment(
        other, model=other_model, actor=manager.user, membership=manager.membership
    )
    assert len(found(org, "deployment-approved-before-vv-passed")) == 1


def test_approved_system_whose_latest_measurement_fails(org, contributor, manager):
    system, _, _ = _deployed(org, contributor, manager)
    assert found(org, "deployed-with-failing-vv") == []
    criterion = AcceptanceCriterion.objects.get(system=system, key="AC-1")
    # 0.70 is below the frozen threshold of 0.75: fails.
    vv.record_result(system, criterion_id=criterion.pk, value=0.70, actor=manager.user)
    assert found(org, "deployed-with-failing-vv") == [
        "Churn model has deployment approval 1, but AC-1 now fail without a residual-risk "
        "acceptance."
    ]
    vv.accept_criterion(
        system,
        criterion_id=criterion.pk,
        kind="failed",
        likelihood=1,
        consequence=1,
        rationale="Within tolerance for a minimal-risk churn model",
        actor=manager.user,
        membership=manager.membership,
    )
    assert found(org, "deployed-with-failing-vv") == []


def test_result_measured_before_the_plan_was_frozen(org, contributor, manager):
    system, _ = f.system(org, contributor.user)
    f.plan_passed(system, manager.user)
    assert found(org, "vv-result-before-freeze") == []
    criterion = AcceptanceCriterion.objects.get(system=system, key="AC-1")
    vv.record_result(
        system, criterion_id=criterion.pk, value=0.9, actor=manager.user, measured_on=days(-12)
    )
    assert found(org, "vv-result-before-freeze") == [
        f"AC-1 of Churn model was measured on {days(-12)}, before the V&V plan was frozen on "
        f"{days(0)}."
    ]


def test_design_approved_while_requirements_are_draft(org, contributor, manager):
    system, _ = f.system(org, contributor.user)
    spec = records.save_requirements(system, actor=manager.user, intended_purpose="Churn")
    records.approve_record(spec, actor=manager.user)
    design = records.save_design(system, actor=manager.user, architecture="Gradient boosting")
    records.approve_record(design, actor=manager.user)
    assert found(org, "design-approved-without-requirements") == []
    # Changing the requirements sends them back to draft: the approved design no longer answers
    # approved requirements.
    records.save_requirements(system, actor=manager.user, intended_purpose="Churn and upsell")
    assert found(org, "design-approved-without-requirements") == [
        "The design of Churn model (v1) is approved, but its requirements are not."
    ]


def test_high_risk_system_without_log_policy(org, contributor):
    minimal, _ = f.system(org, contributor.user, "Minimal model")
    f.classify(minimal)
    high, _ = f.system(org, contributor.user, "Credit scoring")
    f.classify(high, f.CREDIT_ANSWERS)
    assert found(org, "high-risk-without-log-policy") == [
        "Credit scoring is high-risk and has no event-log policy."
    ]
    records.save_logging_policy(
        high, actor="t", events_logged="Every decision", storage_location="s3", retention_days=400
    )
    assert found(org, "high-risk-without-log-policy") == []


def test_log_retention_below_six_months_after_reclassification(org, contributor):
    system, _ = f.system(org, contributor.user, "CV screening")
    f.classify(system)
    records.save_logging_policy(
        system, actor="t", events_logged="Every ranking", storage_location="s3", retention_days=30
    )
    assert found(org, "log-retention-below-minimum") == []
    # Six months: the law's minimum, 183 days in the product; the system becomes high-risk.
    f.classify(system, f.CREDIT_ANSWERS)
    assert found(org, "log-retention-below-minimum") == [
        "CV screening is high-risk, but its event-log policy keeps logs 30 days (at least 183)."
    ]


def _approved_change(org, manager, **dates):
    change = changes.create_change(
        org,
        actor=manager.user,
        title="Retrain on 2026 data",
        scope="aims",
        reason="Drift",
        what_changes="The training window",
        **dates,
    )
    changes.submit_change(change, actor=manager.user)
    return changes.decide_change(
        change, approve=True, actor=manager.user, membership=manager.membership
    )


def test_change_implemented_before_it_was_approved(org, manager):
    change = _approved_change(org, manager)
    changes.implement_change(change, actor=manager.user)
    assert found(org, "change-implemented-before-approval") == []
    # As an import of another tool's change log would write it: implemented a week before the
    # approval.
    ChangeRequest.objects.filter(pk=change.pk).update(implemented_on=days(-7))
    assert found(org, "change-implemented-before-approval") == [
        f"{change.reference} was implemented on {days(-7)} but approved on {days(0)}."
    ]
    ChangeRequest.objects.filter(pk=change.pk).update(decided_at=None)
    assert found(org, "change-implemented-before-approval") == [
        f"{change.reference} was implemented on {days(-7)} but has no approval."
    ]


def test_implemented_change_past_its_review_date(org, manager):
    due = _approved_change(org, manager, planned_for=days(-20), review_after=days(-2))
    changes.implement_change(due, actor=manager.user)
    later = _approved_change(org, manager, planned_for=days(-20), review_after=days(10))
    changes.implement_change(later, actor=manager.user)
    assert found(org, "change-review-overdue") == [
        f"{due.reference} was due for review after implementation on {days(-2)}; it has not "
        "been reviewed."
    ]
    changes.review_change(due, actor=manager.user, note="Drift back within bounds")
    assert found(org, "change-review-overdue") == []


def test_approved_change_past_its_planned_date(org, manager):
    late = _approved_change(org, manager, planned_for=days(-3))
    _approved_change(org, manager, planned_for=days(4))
    assert found(org, "change-past-planned-date") == [
        f"{late.reference} was planned for {days(-3)} and is not implemented."
    ]
    changes.implement_change(late, actor=manager.user)
    assert found(org, "change-past-planned-date") == []


def test_life_cycle_rules_quiet_on_a_coherent_system(org, contributor, manager):
    system, _, _ = _deployed(org, contributor, manager)
    spec = records.save_requirements(system, actor=manager.user, intended_purpose="Churn")
    records.approve_record(spec, actor=manager.user)
    design = records.save_design(system, actor=manager.user, architecture="Gradient boosting")
    records.approve_record(design, actor=manager.user)
    change = _approved_change(org, manager, planned_for=days(0), review_after=days(30))
    changes.implement_change(change, actor=manager.user)
    lifecycle_rules = {
        "deployed-without-approval",
        "deployment-approval-reopened",
        "deployment-approved-before-vv-passed",
        "deployed-with-failing-vv",
        "vv-result-before-freeze",
        "design-approved-without-requirements",
        "high-risk-without-log-policy",
        "log-retention-below-minimum",
        "change-implemented-before-approval",
        "change-review-overdue",
        "change-past-planned-date",
    }
    # Every rule of the family is tested here: a new one must be added to this list.
    assert lifecycle_rules == {k for k, r in RULES.items() if r.area == Area.LIFECYCLE}
    report = engine.run(org, only=sorted(lifecycle_rules))
    assert [f.message for f in report.findings] == []


def _lifecycle_queries(org):
    only = sorted(k for k, r in RULES.items() if r.area == Area.LIFECYCLE)
    engine.run(org, only=only)  # warm the per-process caches
    with CaptureQueriesContext(connection) as ctx:
        report = engine.run(org, only=only)
    return len(ctx.captured_queries), len(report.findings)


def test_life_cycle_rules_read_a_fixed_number_of_queries(org, contributor, manager):
    _deployed(org, contributor, manager, "System 0")
    _approved_change(org, manager, planned_for=days(-3))
    small, small_findings = _lifecycle_queries(org)
    for i in (1, 2):
        _, model, _ = _deployed(org, contributor, manager, f"System {i}")
        inventory.new_model_version(model, version="2.0", actor="t")
        _approved_change(org, manager, planned_for=days(-3))
    large, large_findings = _lifecycle_queries(org)
    assert small == large
    # 2 reopened approvals and 2 more changes past their date were seen.
    assert large_findings == small_findings + 4
