"""Statements vs data: what a record says (a status, a count, an exclusion, a trend point)
against what the registers hold."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from aimwell.consistency.registry import Area, Context, Hit, Severity, ref, rule, url

FIGURE = re.compile(r"monitor:([a-z_]+)")
SAME = 1e-9


@rule(
    "objective-status-stale",
    title="Objective status contradicts its latest measurement",
    clause="ISO/IEC 42001 6.2",
    severity=Severity.MAJOR,
    area=Area.STATEMENTS,
    example="“Approval-rate parity” is on track at 0.82 while its latest measurement is 0.61 "
    "against a target of at least 0.8; or still on track after its due date.",
    fix="Record the measurement through the objective page (the status is then computed), or "
    "correct the target.",
)
def objective_status(ctx: Context) -> Iterator[Hit]:
    from aimwell.objectives.models import AIObjective, Measurement
    from aimwell.objectives.services import status_for

    objectives = list(
        AIObjective.objects.filter(organisation_id=ctx.organisation.pk).exclude(status="retired")
    )
    latest: dict[Any, Any] = {}
    for m in Measurement.objects.filter(organisation_id=ctx.organisation.pk).order_by(
        "objective_id", "measured_on", "created_at"
    ):
        latest[m.objective_id] = m
    for objective in objectives:
        m = latest.get(objective.pk)
        value, on = (m.value, m.measured_on) if m else (None, None)
        # Judged today: once the due date has passed, "on track" has become achieved or missed.
        expected = status_for(objective, value, max(on, ctx.today) if on else None)
        stored_value_wrong = m is not None and (
            objective.latest_value is None or abs(objective.latest_value - m.value) > SAME
        )
        if expected == objective.status and not stored_value_wrong:
            continue
        shown = objective.latest_value if objective.latest_value is not None else "no value"
        measured = f"its latest measurement is {value} ({on})" if m else "it has no measurement"
        yield Hit(
            str(objective.pk),
            f"Objective “{objective.title}” shows {objective.get_status_display().lower()} at "
            f"{shown} while {measured}, which makes it {expected.replace('_', ' ')}.",
            (ref(objective.title, "objectives:objective", objective.pk),),
            url("objectives:objective", objective.pk),
        )


@rule(
    "objective-behind-monitoring",
    title="Objective value differs from the latest monitoring run",
    clause="ISO/IEC 42001 9.1",
    severity=Severity.MAJOR,
    area=Area.STATEMENTS,
    example="“Approval-rate parity” (monitor:dp_ratio_min) shows 0.82 while the latest run of "
    "the credit-scoring monitor measured 0.606.",
    fix="Let the monitor feed the objective (name the figure as monitor:<figure> in its measure) "
    "instead of typing values in.",
)
def objective_vs_monitoring(ctx: Context) -> Iterator[Hit]:
    from aimwell.monitoring.models import MonitorRun
    from aimwell.objectives.models import AIObjective

    objectives = [
        o
        for o in AIObjective.objects.filter(
            organisation_id=ctx.organisation.pk, measure__contains="monitor:"
        )
        .exclude(status="retired")
        .prefetch_related("systems")
        if FIGURE.search(o.measure)
    ]
    if not objectives:
        return
    system_ids = {s.pk for o in objectives for s in o.systems.all()}
    latest_run: dict[Any, Any] = {}
    for run in (
        MonitorRun.objects.filter(
            organisation_id=ctx.organisation.pk, system_id__in=system_ids, status="succeeded"
        )
        .select_related("monitor")
        .order_by("finished_at", "number")
    ):
        latest_run[run.system_id] = run
    for objective in objectives:
        match = FIGURE.search(objective.measure)
        assert match is not None
        figure = match.group(1)
        runs = [latest_run[s.pk] for s in objective.systems.all() if s.pk in latest_run]
        for run in runs:
            value = (run.summary or {}).get(figure)
            if not isinstance(value, int | float):
                continue
            if objective.latest_value is not None and abs(objective.latest_value - value) <= SAME:
                continue
            yield Hit(
                f"{objective.pk}:{run.pk}",
                f"Objective “{objective.title}” shows {objective.latest_value} while run "
                f"#{run.number} of {run.monitor.name} measured {figure} = {value:g}.",
                (
                    ref(objective.title, "objectives:objective", objective.pk),
                    ref(f"{run.monitor.name} run #{run.number}", "monitoring:run", run.pk),
                ),
                url("objectives:objective", objective.pk),
            )


# The figures of 9.3.2 that belong to the review's period, and how to read them from inputs.
PERIOD_FIGURES = (
    ("nonconformities raised", ("nonconformities", "raised")),
    ("incidents recorded", ("incidents", "recorded")),
    ("concerns received", ("feedback", "concerns")),
    ("audits reported", ("audits", "reported")),
    ("measurements of objectives", ("monitoring", "measurements")),
)


def _figure(inputs: dict[str, Any], path: tuple[str, str]) -> Any:
    part = inputs.get(path[0])
    return part.get(path[1]) if isinstance(part, dict) else None


def _held_reviews(ctx: Context) -> list[Any]:
    from aimwell.management_review.models import ManagementReview

    return ctx.once(
        "held_reviews",
        lambda: list(
            ManagementReview.objects.filter(
                organisation_id=ctx.organisation.pk, status="held"
            ).order_by("held_on")
        ),
    )


@rule(
    "review-inputs-vs-records",
    title="Management review inputs differ from the records of its period",
    clause="ISO/IEC 42001 9.3.2",
    severity=Severity.MAJOR,
    area=Area.STATEMENTS,
    example="The H1 review's inputs show 0 incidents and 0 concerns while the registers hold "
    "2 incidents and 2 concerns dated in its period.",
    fix="Gather the inputs for the review's period before holding it; for a held review, "
    "record what was missed in its minutes and in the next review.",
)
def review_inputs_vs_records(ctx: Context) -> Iterator[Hit]:
    from aimwell.management_review.services import review_inputs

    previous = None
    for review in _held_reviews(ctx):
        stored = review.inputs or {}
        period = stored.get("period") or {}
        until = review.held_on
        if period.get("until") and period["until"] > until.isoformat():
            yield Hit(
                f"{review.pk}:period",
                f"“{review.title}” was held on {until} with inputs gathered up to "
                f"{period['until']}, after it was held.",
                (ref(review.title, "management_review:review", review.pk),),
                url("management_review:review", review.pk),
            )
        actual = review_inputs(
            ctx.organisation,
            since=previous.held_on if previous else None,
            on=until,
            exclude_review=review,
        )
        differences = []
        for label, path in PERIOD_FIGURES:
            shown, real = _figure(stored, path), _figure(actual, path)
            if shown is not None and shown != real:
                differences.append(f"{shown} {label} (the registers hold {real})")
        if differences:
            yield Hit(
                str(review.pk),
                f"“{review.title}” (held {until}) shows "
                + ", ".join(differences)
                + " for its period.",
                (ref(review.title, "management_review:review", review.pk),),
                url("management_review:review", review.pk),
            )
        previous = review


MINUTES_TOPICS = (
    ("objective", "objectives", lambda i: _figure(i, ("objectives", "total")) or 0),
    (
        "incident",
        "incidents",
        lambda i: (
            (_figure(i, ("incidents", "recorded")) or 0) + (_figure(i, ("incidents", "open")) or 0)
        ),
    ),
    (
        "concern",
        "concerns",
        lambda i: (
            (_figure(i, ("feedback", "concerns")) or 0)
            + (_figure(i, ("feedback", "concerns_open")) or 0)
        ),
    ),
    ("audit", "audits", lambda i: _figure(i, ("audits", "reported")) or 0),
)


@rule(
    "review-minutes-vs-inputs",
    title="Management review minutes discuss what its inputs show as none",
    clause="ISO/IEC 42001 9.3.2",
    severity=Severity.MINOR,
    area=Area.STATEMENTS,
    example="The minutes say objectives and concerns were reviewed while the inputs show 0 "
    "objectives and 0 concerns.",
    fix="Gather the inputs when the records exist, or say in the minutes what was reviewed "
    "instead.",
)
def review_minutes(ctx: Context) -> Iterator[Hit]:
    for review in _held_reviews(ctx):
        text = f"{review.minutes} {review.conclusions}".lower()
        inputs = review.inputs or {}
        empty = [
            plural for word, plural, count in MINUTES_TOPICS if word in text and not count(inputs)
        ]
        if empty:
            yield Hit(
                str(review.pk),
                f"The minutes of “{review.title}” discuss {', '.join(empty)}, but its inputs "
                "show none.",
                (ref(review.title, "management_review:review", review.pk),),
                url("management_review:review", review.pk),
            )


@rule(
    "soa-customer-exclusion-vs-provider",
    title="A.10.4 excluded although the organisation provides AI",
    clause="ISO/IEC 42001 A.10.4",
    severity=Severity.MAJOR,
    area=Area.STATEMENTS,
    example="A.10.4 is excluded because “we do not provide AI to customers” while the organisation "
    "records the AI provider role and provides credit scoring to a partner bank.",
    fix="Make A.10.4 applicable (and say how customers are served), or change the scope and "
    "the AI roles if the organisation really provides no AI.",
)
def soa_provider(ctx: Context) -> Iterator[Hit]:
    from aimwell.context.models import OrganisationAIRole
    from aimwell.controls.models import SoAEntry
    from aimwell.inventory.models import AISystem

    entry = (
        SoAEntry.objects.filter(
            organisation_id=ctx.organisation.pk,
            applicable=False,
            node__ref_id="A.10.4",
            node__framework__key="iso42001",
        )
        .select_related("node")
        .first()
    )
    if entry is None:
        return
    reasons = []
    if OrganisationAIRole.objects.filter(
        organisation_id=ctx.organisation.pk, role="ai_provider"
    ).exists():
        reasons.append("the organisation records the AI provider role")
    # A system's EU AI Act roles: one `eu_role`, or a list `eu_roles` where several are kept.
    several = "eu_roles" in {f.name for f in AISystem._meta.get_fields()}
    column = "eu_roles" if several else "eu_role"
    providers = [
        name
        for name, roles in AISystem.objects.filter(
            organisation_id=ctx.organisation.pk, in_scope=True
        )
        .order_by("name")
        .values_list("name", column)
        if "provider" in (roles or [] if several else [roles])
    ][:5]
    if providers:
        reasons.append("it is the EU AI Act provider of " + ", ".join(providers))
    if reasons:
        yield Hit(
            str(entry.pk),
            "A.10.4 is excluded from the SoA although " + " and ".join(reasons) + ".",
            (ref("SoA A.10.4", "controls:entry", "A.10.4"), ref("AI roles", "context:ai-roles")),
            url("controls:entry", "A.10.4"),
        )


@rule(
    "readiness-snapshot-backdated",
    title="Readiness snapshot dated other than when it was taken",
    clause="ISO/IEC 42001 7.5.3",
    severity=Severity.MAJOR,
    area=Area.STATEMENTS,
    example="The first point of the readiness trend is dated 90 days ago, but the audit trail "
    "records that snapshot as taken today.",
    fix="Readiness snapshots are computed when taken; remove back-dated points and take a new "
    "snapshot.",
)
def snapshot_backdated(ctx: Context) -> Iterator[Hit]:
    from aimwell.controls.models import ReadinessSnapshot
    from aimwell.core.models import AuditEvent

    snaps = list(
        ReadinessSnapshot.objects.filter(organisation_id=ctx.organisation.pk).only(
            "pk", "created_at", "score"
        )
    )
    if not snaps:
        return
    events = dict(
        AuditEvent.objects.filter(
            organisation_id=ctx.organisation.pk,
            action="readiness.snapshot",
            object_id__in=[str(s.pk) for s in snaps],
        ).values_list("object_id", "occurred_at")
    )
    for snap in snaps:
        taken = events.get(str(snap.pk))
        if taken is not None and abs((taken - snap.created_at).total_seconds()) < 3600:
            continue
        when = f"taken on {timezone.localdate(taken)}" if taken else "not in the audit trail"
        yield Hit(
            str(snap.pk),
            f"The readiness snapshot dated {timezone.localdate(snap.created_at)} (score "
            f"{snap.score}) was {when}.",
            (ref("Readiness trend", "controls:readiness"),),
            url("controls:readiness"),
        )


@rule(
    "readiness-trend-stale",
    title="Today's readiness trend point differs from today's score",
    clause="ISO/IEC 42001 9.1",
    severity=Severity.OBSERVATION,
    area=Area.STATEMENTS,
    example="The trend shows 60.6 for today while the score computed now is 55.4.",
    fix="Take a new snapshot on the readiness page so the trend shows the current score.",
)
def readiness_trend(ctx: Context) -> Iterator[Hit]:
    from aimwell.controls import readiness
    from aimwell.controls.models import ReadinessSnapshot

    latest = ReadinessSnapshot.objects.filter(organisation_id=ctx.organisation.pk).first()
    if latest is None or timezone.localdate(latest.created_at) != ctx.today:
        return
    score = readiness.compute(
        ctx.organisation, with_trend=False, finding_counts=ctx.memo.get("readiness_counts")
    ).score
    if abs(score - latest.score) >= 0.05:
        yield Hit(
            str(latest.pk),
            f"Today's point of the readiness trend shows {latest.score}, the score computed now "
            f"is {score}.",
            (ref("Readiness trend", "controls:readiness"),),
            url("controls:readiness"),
        )


@rule(
    "quiz-score-typed-in",
    title="Training score recorded as a quiz result without a submitted quiz",
    clause="ISO/IEC 42001 7.2",
    severity=Severity.MINOR,
    area=Area.STATEMENTS,
    example="A manager typed in a score of 75 with the source “quiz” for a colleague; quiz "
    "results are recorded when the member submits the quiz.",
    fix="Have the member take the quiz, or record the training as manual with its evidence.",
)
def quiz_typed(ctx: Context) -> Iterator[Hit]:
    from aimwell.competence.models import TrainingRecord

    rows = (
        TrainingRecord.objects.filter(organisation_id=ctx.organisation.pk, source="quiz")
        .filter(Q(recorded_by__isnull=True) | ~Q(recorded_by=F("user")) | Q(course__quiz=[]))
        .select_related("course", "user")
    )
    for record in rows:
        yield Hit(
            str(record.pk),
            f"The {record.course.title} score of {record.user.email} ({record.score}, "
            f"{record.completed_on}) is marked as a quiz result but was not submitted by them "
            "through the quiz.",
            (ref(record.course.title, "competence:course", record.course_id),),
            url("competence:course", record.course_id),
        )


@rule(
    "implemented-control-without-evidence",
    title="Control marked implemented without evidence",
    clause="ISO/IEC 42001 6.1.3",
    severity=Severity.OBSERVATION,
    area=Area.STATEMENTS,
    example="The SoA says A.6.2.6 is implemented, but no evidence item is linked to A.6.2.6.",
    fix="Link the evidence that shows the control works, or mark it partial.",
)
def implemented_without_evidence(ctx: Context) -> Iterator[Hit]:
    from aimwell.controls.models import SoAEntry
    from aimwell.evidence.models import EvidenceItem

    entries = list(
        SoAEntry.objects.filter(
            organisation_id=ctx.organisation.pk,
            applicable=True,
            status="implemented",
            node__isnull=False,
        ).select_related("node")
    )
    if not entries:
        return
    linked = set(
        EvidenceItem.requirements.through.objects.filter(
            evidenceitem__organisation_id=ctx.organisation.pk,
            evidenceitem__is_retired=False,
            requirementnode_id__in=[e.node_id for e in entries],
        ).values_list("requirementnode_id", flat=True)
    )
    for entry in entries:
        if entry.node_id not in linked:
            yield Hit(
                str(entry.pk),
                f"{entry.node.ref_id} is marked implemented in the SoA with no evidence linked.",
                (ref(f"SoA {entry.node.ref_id}", "controls:entry", entry.node.ref_id),),
                url("evidence:home"),
            )


@rule(
    "measurement-typed-as-monitoring",
    title="Objective value typed in but marked as measured by monitoring",
    clause="ISO/IEC 42001 9.1",
    severity=Severity.MINOR,
    area=Area.STATEMENTS,
    example="A person recorded 0.82 for “Approval-rate parity” with the source “monitoring”; no "
    "monitoring run produced it.",
    fix="Let the monitor record the value (name its figure as monitor:<figure> in the measure), "
    "or mark a hand-made measurement as manual.",
)
def typed_as_monitoring(ctx: Context) -> Iterator[Hit]:
    from aimwell.objectives.models import Measurement

    rows = Measurement.objects.filter(
        organisation_id=ctx.organisation.pk, source="monitoring", recorded_by__isnull=False
    ).select_related("objective", "recorded_by")
    for m in rows:
        yield Hit(
            str(m.pk),
            f"The measurement {m.value} of “{m.objective.title}” on {m.measured_on} is marked as "
            f"from monitoring but was typed in by {m.recorded_by.email}.",
            (ref(m.objective.title, "objectives:objective", m.objective_id),),
            url("objectives:objective", m.objective_id),
        )


@rule(
    "objective-on-track-with-open-incident",
    title="Objective on track while an open incident concerns its AI system",
    clause="ISO/IEC 42001 6.2; 9.1",
    severity=Severity.MINOR,
    area=Area.STATEMENTS,
    example="“Approval-rate parity” is on track while INC-003, opened by a fairness breach of "
    "the credit-scoring system, is open.",
    fix="Measure the objective again; if the incident shows it is not met, its status will say so.",
)
def on_track_with_incident(ctx: Context) -> Iterator[Hit]:
    from aimwell.incidents.models import Incident
    from aimwell.objectives.models import AIObjective

    objectives = list(
        AIObjective.objects.filter(
            organisation_id=ctx.organisation.pk, status__in=["on_track", "achieved"]
        ).prefetch_related("systems")
    )
    if not objectives:
        return
    open_by_system: dict[Any, list[Any]] = {}
    for incident in (
        Incident.objects.filter(organisation_id=ctx.organisation.pk)
        .exclude(status="closed")
        .prefetch_related("systems")
    ):
        for system in incident.systems.all():
            open_by_system.setdefault(system.pk, []).append(incident)
    for objective in objectives:
        for system in objective.systems.all():
            for incident in open_by_system.get(system.pk, []):
                yield Hit(
                    f"{objective.pk}:{incident.pk}",
                    f"Objective “{objective.title}” is {objective.get_status_display().lower()} "
                    f"while {incident.reference} about “{system.name}” is open.",
                    (
                        ref(objective.title, "objectives:objective", objective.pk),
                        ref(incident.reference, "incidents:incident", incident.pk),
                    ),
                    url("objectives:objective", objective.pk),
                )
