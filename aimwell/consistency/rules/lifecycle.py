"""Life cycle and planned changes: what the Annex A.6 records of each AI system and the change
requests of clause 6.3 say against each other and against the system's state.

Most of these contradictions cannot be made through the product's own forms (its services refuse
them); they arrive with imported or restored data, or when a later record changes what an earlier
one relied on (a failed re-measurement after a deployment approval, a system reclassified as
high-risk after its log policy was set). Each rule reads a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from aimwell.consistency.registry import Area, Context, Hit, Severity, ref, rule, url

DEPLOYED = "deployed"


def _in_scope(ctx: Context) -> dict[Any, Any]:
    """AI systems in scope and not retired, by primary key (shared by the rules here)."""
    from aimwell.inventory.models import AISystem

    def compute() -> dict[Any, Any]:
        rows = (
            AISystem.objects.filter(organisation_id=ctx.organisation.pk, in_scope=True)
            .exclude(lifecycle_stage="retired")
            .order_by("name")
            # Plain rows, not model instances: at scale there are thousands of them.
            .values_list("pk", "name", "lifecycle_stage", "risk_class", named=True)
        )
        return {system.pk: system for system in rows}

    return ctx.once("lifecycle_systems", compute)


def _latest_approvals(ctx: Context) -> dict[Any, Any]:
    """The latest deployment approval of each system in scope (with its model)."""
    from aimwell.lifecycle.models import DeploymentApproval

    def compute() -> dict[Any, Any]:
        latest: dict[Any, Any] = {}
        rows = (
            DeploymentApproval.objects.filter(organisation_id=ctx.organisation.pk)
            .select_related("model")
            .order_by("system_id", "-number")
        )
        systems = _in_scope(ctx)
        for approval in rows:
            if approval.system_id in systems:
                latest.setdefault(approval.system_id, approval)
        return latest

    return ctx.once("lifecycle_latest_approvals", compute)


def _criteria(ctx: Context) -> dict[Any, list[Any]]:
    """The acceptance criteria of each approved system's frozen plan, with their results and
    acceptances prefetched in three queries."""
    from aimwell.lifecycle.models import AcceptanceCriterion, CriterionAcceptance, VVResult

    def compute() -> dict[Any, list[Any]]:
        # Filtered by organisation, then by system in Python: a list of thousands of keys in
        # an IN clause costs more to build than the rows it saves.
        approved = _latest_approvals(ctx)
        org = ctx.organisation.pk
        results: dict[Any, list[Any]] = defaultdict(list)
        for result in VVResult.objects.filter(organisation_id=org):
            if result.system_id in approved:
                results[result.criterion_id].append(result)
        acceptances: dict[Any, list[Any]] = defaultdict(list)
        for acceptance in CriterionAcceptance.objects.filter(organisation_id=org):
            if acceptance.system_id in approved:
                acceptances[acceptance.criterion_id].append(acceptance)
        out: dict[Any, list[Any]] = defaultdict(list)
        criteria = AcceptanceCriterion.objects.filter(organisation_id=org).order_by("key")
        for criterion in criteria:
            if criterion.system_id in approved:
                out[criterion.system_id].append(
                    (criterion, results[criterion.pk], acceptances[criterion.pk])
                )
        return out

    return ctx.once("lifecycle_criteria", compute)


def _lifecycle_page(system_id: Any) -> str:
    return url("lifecycle:system", system_id)


@rule(
    "deployed-without-approval",
    title="Deployed AI system without a deployment approval",
    clause="ISO/IEC 42001 A.6.2.5",
    severity=Severity.MAJOR,
    area=Area.LIFECYCLE,
    example="The inventory says the chatbot is deployed; no one approved its deployment.",
    fix="Approve the deployment on the system's life-cycle page once its preconditions are met, "
    "or correct its life-cycle stage.",
)
def deployed_without_approval(ctx: Context) -> Iterator[Hit]:
    approved = _latest_approvals(ctx)
    for pk, system in _in_scope(ctx).items():
        if system.lifecycle_stage == DEPLOYED and pk not in approved:
            yield Hit(
                str(pk),
                f"{system.name} is deployed but has no deployment approval.",
                (ref(system.name, "inventory:system", pk),),
                _lifecycle_page(pk),
            )


@rule(
    "deployment-approval-reopened",
    title="Deployed model version not covered by its approval",
    clause="ISO/IEC 42001 A.6.2.5",
    severity=Severity.MAJOR,
    area=Area.LIFECYCLE,
    example="Approval 1 covers credit-scorer 3.1; the system now runs 3.2 (synced from the model "
    "registry), and nobody approved it.",
    fix="Approve the deployment of the version the system runs now, or roll the system back to "
    "the approved version.",
)
def approval_reopened(ctx: Context) -> Iterator[Hit]:
    from aimwell.inventory.models import AISystem
    from aimwell.lifecycle.status import approval_state

    approvals = _latest_approvals(ctx)
    through = AISystem.models_used.through
    models: dict[Any, list[Any]] = defaultdict(list)
    rows = through.objects.filter(aisystem__organisation_id=ctx.organisation.pk)
    for row in rows.select_related("aimodel"):
        if row.aisystem_id in approvals:
            models[row.aisystem_id].append(row.aimodel)
    systems = _in_scope(ctx)
    for pk, approval in approvals.items():
        system = systems[pk]
        if system.lifecycle_stage != DEPLOYED:
            continue
        state, reason = approval_state(approval, models[pk])
        if state == "reopened":
            yield Hit(
                f"{pk}:{approval.number}",
                f"Deployment approval {approval.number} of {system.name} no longer covers what "
                f"it runs: {reason}.",
                (ref(system.name, "inventory:system", pk),),
                _lifecycle_page(pk),
            )


def _covered_on(results: list[Any], acceptances: list[Any], when: dt.datetime) -> bool:
    """Was the criterion passed (or its failure accepted, or it waived) by `when`?"""
    day = timezone.localdate(when)
    if any(r.passed and r.measured_on <= day for r in results):
        return True
    return any(a.accepted_at <= when for a in acceptances)


@rule(
    "deployment-approved-before-vv-passed",
    title="Deployment approved before verification and validation passed",
    clause="ISO/IEC 42001 A.6.2.4; A.6.2.5",
    severity=Severity.MAJOR,
    area=Area.LIFECYCLE,
    example="Approval 2 of the credit model is dated 3 Mar; its fairness criterion AC-2 first "
    "passed on a measurement of 9 Mar.",
    fix="Record the results the approval relied on with their real dates, or approve the "
    "deployment again now that every criterion has passed.",
)
def approved_before_vv(ctx: Context) -> Iterator[Hit]:
    criteria = _criteria(ctx)
    systems = _in_scope(ctx)
    for pk, approval in _latest_approvals(ctx).items():
        late = [
            criterion.key
            for criterion, results, acceptances in criteria.get(pk, [])
            if not _covered_on(results, acceptances, approval.approved_at)
        ]
        if late:
            name = systems[pk].name
            yield Hit(
                f"{pk}:{approval.number}",
                f"Deployment approval {approval.number} of {name} is dated "
                f"{timezone.localdate(approval.approved_at)}, before "
                f"{', '.join(late)} had passed or been accepted.",
                (ref(name, "inventory:system", pk),),
                _lifecycle_page(pk),
            )


@rule(
    "deployed-with-failing-vv",
    title="Approved system whose V&V now fails",
    clause="ISO/IEC 42001 A.6.2.4",
    severity=Severity.MAJOR,
    area=Area.LIFECYCLE,
    example="The CV screener is approved and deployed; its latest measurement of AC-1 fails and "
    "no one accepted the residual risk.",
    fix="Treat the failure (retrain, restrict use, or suspend), or record a residual-risk "
    "acceptance for the failed criterion within your authority.",
)
def failing_vv(ctx: Context) -> Iterator[Hit]:
    from aimwell.lifecycle.status import criterion_state

    systems = _in_scope(ctx)
    for pk, approval in _latest_approvals(ctx).items():
        failed = [
            criterion.key
            for criterion, results, acceptances in _criteria(ctx).get(pk, [])
            if criterion_state(criterion, results, acceptances).status == "failed"
        ]
        if failed:
            name = systems[pk].name
            yield Hit(
                f"{pk}:{','.join(failed)}",
                f"{name} has deployment approval {approval.number}, but {', '.join(failed)} "
                "now fail without a residual-risk acceptance.",
                (ref(name, "inventory:system", pk),),
                _lifecycle_page(pk),
            )


@rule(
    "vv-result-before-freeze",
    title="V&V result measured before its criteria were fixed",
    clause="ISO/IEC 42001 A.6.2.4",
    severity=Severity.MAJOR,
    area=Area.LIFECYCLE,
    example="AC-1 of the credit model was measured on 2 Feb; the V&V plan was frozen on 5 Feb, so "
    "the threshold may have been set after the figure was known.",
    fix="Measure again after the freeze, or correct the measurement date if it was mistyped.",
)
def result_before_freeze(ctx: Context) -> Iterator[Hit]:
    from aimwell.lifecycle.models import VVResult

    rows = (
        VVResult.objects.filter(organisation_id=ctx.organisation.pk)
        .filter(criterion__plan__frozen_at__isnull=False)
        .select_related("criterion__plan", "system")
        .order_by("measured_on", "created_at")
    )
    for result in rows:
        frozen = timezone.localdate(result.criterion.plan.frozen_at)
        if result.measured_on < frozen:
            yield Hit(
                str(result.pk),
                f"{result.criterion.key} of {result.system.name} was measured on "
                f"{result.measured_on}, before the V&V plan was frozen on {frozen}.",
                (ref(result.system.name, "inventory:system", result.system_id),),
                _lifecycle_page(result.system_id),
            )


@rule(
    "design-approved-without-requirements",
    title="Design approved without approved requirements",
    clause="ISO/IEC 42001 A.6.2.2; A.6.2.3",
    severity=Severity.MINOR,
    area=Area.LIFECYCLE,
    example="The design record of the support assistant is approved; its requirements are still "
    "a draft (or were changed after the design was approved).",
    fix="Approve the requirements the design answers, then review the design against them.",
)
def design_without_requirements(ctx: Context) -> Iterator[Hit]:
    from aimwell.lifecycle.choices import RecordStatus
    from aimwell.lifecycle.models import DesignRecord, RequirementsSpec

    approved_spec = RequirementsSpec.objects.filter(
        system_id=OuterRef("system_id"), status=RecordStatus.APPROVED
    )
    rows = (
        DesignRecord.objects.filter(
            organisation_id=ctx.organisation.pk, status=RecordStatus.APPROVED
        )
        .annotate(spec_ok=Exists(approved_spec))
        .filter(spec_ok=False)
        .select_related("system")
    )
    for design in rows:
        name = design.system.name
        yield Hit(
            str(design.pk),
            f"The design of {name} (v{design.version}) is approved, but its requirements are not.",
            (ref(name, "inventory:system", design.system_id),),
            _lifecycle_page(design.system_id),
        )


@rule(
    "high-risk-without-log-policy",
    title="High-risk AI system without an event-log policy",
    clause="ISO/IEC 42001 A.6.2.8; EU AI Act Art. 12",
    severity=Severity.MINOR,
    area=Area.LIFECYCLE,
    example="The credit model is classified high-risk; no record says which events it logs or "
    "for how long.",
    fix="Write the system's event-log policy on its life-cycle page.",
)
def missing_log_policy(ctx: Context) -> Iterator[Hit]:
    from aimwell.lifecycle.models import LoggingPolicy

    with_policy = set(
        LoggingPolicy.objects.filter(organisation_id=ctx.organisation.pk).values_list(
            "system_id", flat=True
        )
    )
    for pk, system in _in_scope(ctx).items():
        if system.risk_class == "high_risk" and pk not in with_policy:
            yield Hit(
                str(pk),
                f"{system.name} is high-risk and has no event-log policy.",
                (ref(system.name, "inventory:system", pk),),
                _lifecycle_page(pk),
            )


@rule(
    "log-retention-below-minimum",
    title="High-risk system's logs kept less than six months",
    clause="EU AI Act Art. 19; Art. 26(6)",
    severity=Severity.MAJOR,
    area=Area.LIFECYCLE,
    example="The CV screener became high-risk after its log policy was set to keep logs 30 days.",
    fix="Raise the retention of the system's event-log policy to at least 183 days.",
)
def short_retention(ctx: Context) -> Iterator[Hit]:
    from aimwell.lifecycle.models import LoggingPolicy
    from aimwell.lifecycle.services.records import HIGH_RISK_MIN_RETENTION_DAYS

    rows = LoggingPolicy.objects.filter(
        organisation_id=ctx.organisation.pk,
        system__risk_class="high_risk",
        system__in_scope=True,
        retention_days__lt=HIGH_RISK_MIN_RETENTION_DAYS,
    ).select_related("system")
    for policy in rows:
        name = policy.system.name
        yield Hit(
            str(policy.pk),
            f"{name} is high-risk, but its event-log policy keeps logs {policy.retention_days} "
            f"days (at least {HIGH_RISK_MIN_RETENTION_DAYS}).",
            (ref(name, "inventory:system", policy.system_id),),
            _lifecycle_page(policy.system_id),
        )


def _change_ref(change: Any) -> Any:
    return ref(f"{change.reference} {change.title}", "change_control:detail", change.pk)


@rule(
    "change-implemented-before-approval",
    title="Change implemented before it was approved",
    clause="ISO/IEC 42001 6.3",
    severity=Severity.MAJOR,
    area=Area.LIFECYCLE,
    example="CHG-004 was implemented on 2 Jun; it was approved on 9 Jun (or never).",
    fix="Record the approval the change really had, or correct the implementation date; a change "
    "made without approval is a nonconformity to raise.",
)
def change_before_approval(ctx: Context) -> Iterator[Hit]:
    from aimwell.change_control.choices import ChangeStatus
    from aimwell.change_control.models import ChangeRequest

    rows = ChangeRequest.objects.filter(
        organisation_id=ctx.organisation.pk,
        status__in=(ChangeStatus.IMPLEMENTED, ChangeStatus.REVIEWED),
    ).annotate(decided_on=TruncDate("decided_at"))
    rows = rows.filter(Q(decided_at__isnull=True) | Q(implemented_on__lt=F("decided_on")))
    for change in rows.order_by("reference"):
        decided = (
            f"approved on {timezone.localdate(change.decided_at)}"
            if change.decided_at
            else "has no approval"
        )
        yield Hit(
            str(change.pk),
            f"{change.reference} was implemented on {change.implemented_on} but {decided}.",
            (_change_ref(change),),
            url("change_control:detail", change.pk),
        )


@rule(
    "change-review-overdue",
    title="Implemented change not reviewed by its review date",
    clause="ISO/IEC 42001 6.3",
    severity=Severity.MINOR,
    area=Area.LIFECYCLE,
    example="CHG-002 was implemented in May with a review due on 1 Jul; it has not been reviewed.",
    fix="Review the change (did it have the intended effect, without side effects?) and record it.",
)
def change_review_overdue(ctx: Context) -> Iterator[Hit]:
    from aimwell.change_control.choices import ChangeStatus
    from aimwell.change_control.models import ChangeRequest

    rows = ChangeRequest.objects.filter(
        organisation_id=ctx.organisation.pk,
        status=ChangeStatus.IMPLEMENTED,
        review_after__lt=ctx.today,
    ).order_by("reference")
    for change in rows:
        yield Hit(
            str(change.pk),
            f"{change.reference} was due for review after implementation on "
            f"{change.review_after}; it has not been reviewed.",
            (_change_ref(change),),
            url("change_control:detail", change.pk),
        )


@rule(
    "change-past-planned-date",
    title="Approved change not implemented by its planned date",
    clause="ISO/IEC 42001 6.3",
    severity=Severity.OBSERVATION,
    area=Area.LIFECYCLE,
    example="CHG-003 was approved to be made on 15 Apr; it is still waiting.",
    fix="Record the implementation, or plan a new date (or withdraw the change) and say why.",
)
def change_past_planned_date(ctx: Context) -> Iterator[Hit]:
    from aimwell.change_control.choices import ChangeStatus
    from aimwell.change_control.models import ChangeRequest

    rows = ChangeRequest.objects.filter(
        organisation_id=ctx.organisation.pk,
        status=ChangeStatus.APPROVED,
        planned_for__lt=ctx.today,
    ).order_by("reference")
    for change in rows:
        yield Hit(
            str(change.pk),
            f"{change.reference} was planned for {change.planned_for} and is not implemented.",
            (_change_ref(change),),
            url("change_control:detail", change.pk),
        )
