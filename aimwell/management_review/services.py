"""Management review (9.3): planned by top management, its inputs gathered from live data
(9.3.2), its decisions turned into tracked actions (9.3.3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from aimwell.context.models import ContextIssue, InterestedParty
from aimwell.evidence.models import EvidenceItem
from aimwell.improvement.choices import ActionStatus, NCStatus
from aimwell.improvement.models import Action, Nonconformity
from aimwell.incidents.choices import ConcernStatus
from aimwell.incidents.models import Concern, Incident
from aimwell.internal_audit.choices import AuditStatus, FindingKind
from aimwell.internal_audit.models import Audit, Finding
from aimwell.management_review.choices import ReviewStatus
from aimwell.management_review.models import ManagementReview
from aimwell.objectives.choices import ObjectiveStatus
from aimwell.objectives.models import AIObjective, Measurement
from aimwell.operations.errors import OperationsError
from aimwell.operations.writes import apply_changes, member_of, save_new

EDITABLE = (
    "title",
    "planned_on",
    "chair",
    "attendees",
    "input_notes",
    "minutes",
    "conclusions",
    "decisions",
)


def _require_top_management(organisation: Any, chair: Any) -> None:
    if chair is None:
        return
    membership = member_of(organisation, chair)
    if membership is None or not membership.is_top_management:
        raise OperationsError(
            "Top management chairs the management review (9.3); choose a member designated as "
            "top management.",
            field="chair",
        )


@transaction.atomic
def plan_review(
    organisation: Any,
    *,
    actor: Any,
    title: str,
    planned_on: dt.date,
    chair: Any = None,
    attendees: str = "",
) -> ManagementReview:
    _require_top_management(organisation, chair)
    review = ManagementReview(
        organisation=organisation,
        title=title,
        planned_on=planned_on,
        chair=chair,
        attendees=attendees,
    )
    save_new(review, actor=actor, action="management_review.planned")
    return review


@transaction.atomic
def update_review(review: ManagementReview, *, actor: Any, **changes: Any) -> ManagementReview:
    changed = {k for k, v in changes.items() if getattr(review, k, None) != v}
    if review.status == ReviewStatus.HELD and changed - {"minutes", "decisions"}:
        raise OperationsError("A held review keeps its record; only minutes and decisions change.")
    if "chair" in changes:
        _require_top_management(review.organisation, changes["chair"])
    apply_changes(
        review, actor=actor, action="management_review.updated", allowed=EDITABLE, **changes
    )
    return review


def previous_review(review: ManagementReview) -> ManagementReview | None:
    return (
        ManagementReview.objects.filter(
            organisation_id=review.organisation_id,
            status=ReviewStatus.HELD,
            held_on__lt=review.held_on or review.planned_on,
        )
        .exclude(pk=review.pk)
        .order_by("-held_on")
        .first()
    )


def review_inputs(
    organisation: Any, *, since: dt.date | None, on: dt.date, exclude_review: Any = None
) -> dict[str, Any]:
    """The inputs of 9.3.2 counted from the registers: what happened since the previous review
    (`since`, or ever when None) up to `on`."""

    def period(field: str) -> Q:
        q = Q(**{f"{field}__lte": on})
        return q & Q(**{f"{field}__gt": since}) if since else q

    org = organisation
    prior_actions = Action.objects.filter(organisation=org, review__isnull=False)
    if exclude_review is not None:
        prior_actions = prior_actions.exclude(review=exclude_review)
    prior = prior_actions.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=ActionStatus.DONE)),
        open=Count("pk", filter=Q(status=ActionStatus.OPEN)),
        overdue=Count("pk", filter=Q(status=ActionStatus.OPEN, due_date__lt=on)),
    )
    issues = ContextIssue.objects.filter(organisation=org)
    parties = InterestedParty.objects.filter(organisation=org)

    def changes(qs: Any) -> dict[str, int]:
        return {
            "added": qs.filter(period("created_at__date")).count(),
            "changed": qs.filter(period("updated_at__date"))
            .exclude(period("created_at__date"))
            .count(),
        }

    ncs = Nonconformity.objects.filter(organisation=org)
    nc_figures = ncs.aggregate(
        open=Count("pk", filter=~Q(status=NCStatus.CLOSED)),
        overdue=Count("pk", filter=~Q(status=NCStatus.CLOSED) & Q(due_date__lt=on)),
        raised=Count("pk", filter=period("raised_on")),
        closed=Count("pk", filter=Q(status=NCStatus.CLOSED) & period("closed_on")),
        major_open=Count("pk", filter=~Q(status=NCStatus.CLOSED) & Q(severity="major")),
    )
    by_source = dict(ncs.filter(period("raised_on")).values_list("source").annotate(n=Count("pk")))
    corrective = Action.objects.filter(organisation=org, nonconformity__isnull=False).aggregate(
        open=Count("pk", filter=Q(status=ActionStatus.OPEN)),
        overdue=Count("pk", filter=Q(status=ActionStatus.OPEN, due_date__lt=on)),
        done=Count("pk", filter=Q(status=ActionStatus.DONE) & period("completed_on")),
    )
    audits = Audit.objects.filter(organisation=org)
    findings = Finding.objects.filter(
        organisation=org, audit__status=AuditStatus.REPORTED, audit__reported_on__lte=on
    )
    if since:
        findings = findings.filter(audit__reported_on__gt=since)
    finding_counts = dict(findings.values_list("kind").annotate(n=Count("pk")))
    objectives = AIObjective.objects.filter(organisation=org).exclude(
        status=ObjectiveStatus.RETIRED
    )
    objective_counts = dict(objectives.values_list("status").annotate(n=Count("pk")))
    incidents = Incident.objects.filter(organisation=org)
    concerns = Concern.objects.filter(organisation=org)
    evidence = EvidenceItem.objects.filter(organisation=org, is_retired=False)
    from aimwell.lifecycle.status import change_inputs

    return {
        "period": {"since": since.isoformat() if since else None, "until": on.isoformat()},
        "previous_actions": prior,
        "context_changes": {"issues": changes(issues), "interested_parties": changes(parties)},
        "planned_changes": change_inputs(org, since=since, on=on),
        "nonconformities": {**nc_figures, "by_source": by_source},
        "corrective_actions": corrective,
        "monitoring": {
            "measurements": Measurement.objects.filter(organisation=org, measured_on__lte=on)
            .filter(Q(measured_on__gt=since) if since else Q())
            .count(),
            "evidence_expired": evidence.filter(valid_until__lt=on).count(),
        },
        "audits": {
            "reported": audits.filter(
                Q(status=AuditStatus.REPORTED) & period("reported_on")
            ).count(),
            "planned": audits.filter(status=AuditStatus.PLANNED).count(),
            "findings": {k.value: finding_counts.get(k.value, 0) for k in FindingKind},
        },
        "objectives": {
            "total": sum(objective_counts.values()),
            **{
                s.value: objective_counts.get(s.value, 0)
                for s in ObjectiveStatus
                if s != ObjectiveStatus.RETIRED
            },
        },
        "incidents": {
            "recorded": incidents.filter(period("detected_at__date")).count(),
            "serious": incidents.filter(period("detected_at__date"), is_serious=True).count(),
            "open": incidents.exclude(status="closed").count(),
        },
        "feedback": {
            "concerns": concerns.filter(period("received_on")).count(),
            "concerns_open": concerns.exclude(status=ConcernStatus.CLOSED).count(),
        },
        "improvement": {"opportunities": finding_counts.get(FindingKind.OFI.value, 0)},
    }


@transaction.atomic
def gather_inputs(
    review: ManagementReview, *, actor: Any, on: dt.date | None = None
) -> ManagementReview:
    """Fill the review's inputs from the data, since the previous held review."""
    if review.status == ReviewStatus.HELD:
        raise OperationsError("A held review keeps the inputs it was held with.")
    today = on or timezone.localdate()
    previous = previous_review(review)
    inputs = review_inputs(
        review.organisation,
        since=previous.held_on if previous else None,
        on=today,
        exclude_review=review,
    )
    inputs["previous_review"] = previous.title if previous else None
    apply_changes(
        review,
        actor=actor,
        action="management_review.inputs_gathered",
        allowed=("inputs", "inputs_gathered_at"),
        inputs=inputs,
        inputs_gathered_at=timezone.now(),
    )
    return review


@transaction.atomic
def hold_review(
    review: ManagementReview,
    *,
    actor: Any,
    held_on: dt.date,
    minutes: str,
    conclusions: str,
    decisions: str = "",
) -> ManagementReview:
    """Record that the review took place, with its conclusions on the AIMS (9.3.3)."""
    if review.status == ReviewStatus.HELD:
        raise OperationsError("This review has already been held.")
    if not review.inputs:
        raise OperationsError("Gather the inputs before holding the review.")
    if review.chair is None:
        raise OperationsError("Name the chair (top management) first.", field="chair")
    if not conclusions.strip():
        raise OperationsError(
            "Conclude on the suitability, adequacy and effectiveness of the AIMS.",
            field="conclusions",
        )
    apply_changes(
        review,
        actor=actor,
        action="management_review.held",
        allowed=("status", "held_on", "minutes", "conclusions", "decisions"),
        status=ReviewStatus.HELD,
        held_on=held_on,
        minutes=minutes,
        conclusions=conclusions,
        decisions=decisions,
    )
    return review
