"""One test per Statements-vs-data rule: the contradiction, built through the services, gives
exactly that finding; the coherent version gives none."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from aimwell.competence import services as training
from aimwell.competence.models import Course
from aimwell.consistency.tests.builders import days, found, system
from aimwell.context.services import context as context_services
from aimwell.controls import services as controls
from aimwell.controls.models import ReadinessSnapshot
from aimwell.evidence import services as evidence
from aimwell.improvement import services as improvement
from aimwell.incidents import services as incidents
from aimwell.management_review import services as reviews
from aimwell.monitoring import services as monitoring
from aimwell.monitoring.synthetic import credit_log
from aimwell.objectives import services as objectives
from aimwell.objectives.models import AIObjective
from aimwell.risks.tests.factories import node


def _objective(org, manager, **extra):
    values = {"measure": "ratio", "target": 0.8, "owner": manager.user, "due_date": days(90)}
    return objectives.create_objective(
        org, actor=manager.user, title=extra.pop("title", "Parity"), **{**values, **extra}
    )


def test_objective_on_track_past_its_due_date(org, manager, catalog):
    objective = _objective(org, manager, due_date=days(30))
    objectives.record_measurement(objective, actor=manager.user, value=0.9, measured_on=days(-3))
    assert found(org, "objective-status-stale") == []
    # The due date passes without a new measurement: "on track" no longer says anything true.
    objectives.update_objective(objective, actor=manager.user, due_date=days(-1))
    objective.refresh_from_db()
    assert objective.status == "on_track"
    assert found(org, "objective-status-stale") == [
        f"Objective “Parity” shows on track at 0.9 while its latest measurement is 0.9 "
        f"({days(-3)}), which makes it achieved."
    ]


def test_objective_status_edited_against_its_measurement(org, manager, catalog):
    objective = _objective(org, manager)
    objectives.record_measurement(objective, actor=manager.user, value=0.606)
    # An import (or an older version) that stored a status the value contradicts.
    AIObjective.objects.filter(pk=objective.pk).update(status="on_track", latest_value=0.82)
    assert found(org, "objective-status-stale") == [
        f"Objective “Parity” shows on track at 0.82 while its latest measurement is 0.606 "
        f"({days(0)}), which makes it at risk."
    ]


def test_objective_behind_its_monitor(org, manager, contributor, catalog, tmp_path):
    credit = system(org, owner=contributor.user)
    _objective(
        org, manager, measure="Lowest approval-rate ratio (monitor:dp_ratio_min)", systems=[credit]
    )
    monitor = monitoring.create_monitor(
        credit,
        actor=manager.user,
        name="Fairness",
        label_column="approved",
        prediction_column="predicted",
        score_column="score",
        sensitive_columns=["age_band"],
        metrics=["fairness"],
    )
    log = credit_log(tmp_path / "log.csv", n=3000, seed=3, disparity=0.2)
    run = monitoring.start_run(monitor, actor="test", log=str(log), trusted=True)
    monitoring.execute_run(run)
    run.refresh_from_db()
    measured = run.summary["dp_ratio_min"]
    objective = AIObjective.objects.get(title="Parity")
    assert objective.latest_value == measured  # fed by the run
    assert found(org, "objective-behind-monitoring") == []
    objectives.record_measurement(objective, actor=manager.user, value=0.82)
    assert found(org, "objective-behind-monitoring") == [
        f"Objective “Parity” shows 0.82 while run #1 of Fairness measured dp_ratio_min = "
        f"{measured:g}."
    ]


def _held(org, manager, minutes="Reviewed the AIMS.", gather_on=None, held_on=None):
    review = reviews.plan_review(
        org, actor=manager.user, title="H1", planned_on=days(-2), chair=manager.user
    )
    reviews.gather_inputs(review, actor=manager.user, on=gather_on or days(-2))
    reviews.hold_review(
        review,
        actor=manager.user,
        held_on=held_on or days(-2),
        minutes=minutes,
        conclusions="Suitable.",
    )
    return review


def test_review_inputs_miss_records_of_its_period(org, manager, catalog):
    improvement.raise_nonconformity(
        org,
        actor=manager.user,
        title="Before",
        description="d",
        source="audit",
        raised_on=days(-10),
    )
    review = _held(org, manager)
    assert found(org, "review-inputs-vs-records") == []
    # Recorded afterwards but dated inside the review's period: the inputs no longer match.
    improvement.raise_nonconformity(
        org, actor=manager.user, title="Late", description="d", source="audit", raised_on=days(-5)
    )
    assert found(org, "review-inputs-vs-records") == [
        f"“H1” (held {review.held_on}) shows 1 nonconformities raised (the registers hold 2) for "
        "its period."
    ]


def test_review_held_before_its_inputs_were_gathered(org, manager, catalog):
    _held(org, manager, gather_on=days(0), held_on=days(-10))
    assert found(org, "review-inputs-vs-records")[0] == (
        f"“H1” was held on {days(-10)} with inputs gathered up to {days(0)}, after it was held."
    )


def test_review_minutes_discuss_what_inputs_show_as_none(org, manager, catalog):
    _held(org, manager, minutes="Reviewed the audit programme.")
    assert found(org, "review-minutes-vs-inputs") == [
        "The minutes of “H1” discuss audits, but its inputs show none."
    ]


def test_review_minutes_coherent(org, manager, catalog):
    _objective(org, manager)
    _held(org, manager, minutes="Reviewed the objectives.")
    assert found(org, "review-minutes-vs-inputs") == []


def test_a104_excluded_while_provider(org, manager, catalog):
    controls.decide(
        org,
        actor=manager.user,
        node=node("A.10.4"),
        applicable=False,
        justification="We provide no AI to customers.",
    )
    assert found(org, "soa-customer-exclusion-vs-provider") == []
    context_services.set_ai_role(
        org,
        "ai_provider",
        actor=manager.user,
        note="White-label credit scoring for a partner bank.",
    )
    assert found(org, "soa-customer-exclusion-vs-provider") == [
        "A.10.4 is excluded from the SoA although the organisation records the AI provider role."
    ]
    controls.decide(
        org,
        actor=manager.user,
        node=node("A.10.4"),
        applicable=True,
        status="partial",
        justification="Partner bank agreement.",
    )
    assert found(org, "soa-customer-exclusion-vs-provider") == []


def test_readiness_snapshot_backdated(org, manager, catalog):
    snap = controls.take_snapshot(org, actor=manager.user)
    assert found(org, "readiness-snapshot-backdated") == []
    # What the old demo loader did: an update outside the audit trail.
    ninety = timezone.now() - dt.timedelta(days=90)
    ReadinessSnapshot.objects.filter(pk=snap.pk).update(created_at=ninety)
    assert found(org, "readiness-snapshot-backdated") == [
        f"The readiness snapshot dated {timezone.localdate(ninety)} (score {snap.score}) was "
        f"taken on {days(0)}."
    ]


def test_readiness_trend_point_stale(org, manager, catalog):
    snap = controls.take_snapshot(org, actor=manager.user)
    assert found(org, "readiness-trend-stale") == []
    improvement.raise_nonconformity(
        org, actor=manager.user, title="Open", description="d", source="audit"
    )
    # One open nonconformity costs 2 points of the readiness score, and as a record held for
    # 10.2 it adds one of the 19 items of mandatory documented information (30 points / 19).
    assert found(org, "readiness-trend-stale") == [
        f"Today's point of the readiness trend shows {snap.score}, the score computed now is "
        f"{round(snap.score - 2 + 30 / 19, 1)}."
    ]


def _course(org, manager):
    training.install_library(org, actor=manager.user)
    return Course.objects.get(organisation=org, key="responsible-ai")


def test_quiz_score_typed_in(org, manager, staff, catalog):
    course = _course(org, manager)
    answers = [q["answer"] for q in course.quiz]
    training.submit_quiz(course, manager.user, answers)
    assert found(org, "quiz-score-typed-in") == []
    training.record_training(
        course, staff.user, actor=manager.user, completed_on=days(-1), score=75, source="quiz"
    )
    assert found(org, "quiz-score-typed-in") == [
        f"The {course.title} score of {staff.user.email} (75, {days(-1)}) is marked as a quiz "
        "result but was not submitted by them through the quiz."
    ]


def test_implemented_control_without_evidence(org, manager, catalog):
    controls.decide(
        org,
        actor=manager.user,
        node=node("A.7.6"),
        applicable=True,
        status="implemented",
        justification="Versioned pipelines.",
    )
    assert found(org, "implemented-control-without-evidence") == [
        "A.7.6 is marked implemented in the SoA with no evidence linked."
    ]
    evidence.add_link(
        org,
        title="Pipeline repo",
        url="https://git.example/pipelines",
        actor=manager.user,
        requirement_urns=["iso42001:2023:A.7.6"],
    )
    assert found(org, "implemented-control-without-evidence") == []


def test_measurement_typed_as_monitoring(org, manager, catalog):
    objective = _objective(org, manager)
    objectives.record_measurement(
        objective, actor="monitoring worker", value=0.9, source="monitoring"
    )
    assert found(org, "measurement-typed-as-monitoring") == []
    objectives.record_measurement(objective, actor=manager.user, value=0.82, source="monitoring")
    assert found(org, "measurement-typed-as-monitoring") == [
        f"The measurement 0.82 of “Parity” on {days(0)} is marked as from monitoring but was "
        f"typed in by {manager.user.email}."
    ]


def test_objective_on_track_with_open_incident(org, manager, contributor, catalog):
    credit = system(org, owner=contributor.user)
    objective = _objective(org, manager, systems=[credit])
    objectives.record_measurement(objective, actor=manager.user, value=0.9)
    assert found(org, "objective-on-track-with-open-incident") == []
    incident = incidents.record_incident(
        org,
        actor=manager.user,
        title="Parity breach",
        description="d",
        severity="high",
        systems=[credit],
    )
    assert found(org, "objective-on-track-with-open-incident") == [
        f"Objective “Parity” is on track while {incident.reference} about “Credit scoring” is open."
    ]
