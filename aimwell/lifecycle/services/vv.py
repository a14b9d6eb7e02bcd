"""Verification and validation (A.6.2.4): a plan whose acceptance criteria are frozen (timestamp
and SHA-256) before results count; results judged against the frozen thresholds; failed or waived
criteria carried only by a residual-risk acceptance within the acceptor's authority."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from aimwell.core import writes
from aimwell.inventory.models import AISystem
from aimwell.lifecycle.choices import AcceptanceKind, Comparison, CriterionKind
from aimwell.lifecycle.errors import LifecycleError, NotAuthorised
from aimwell.lifecycle.models import AcceptanceCriterion, CriterionAcceptance, VVPlan, VVResult
from aimwell.lifecycle.services.common import label_of, record, record_evidence, user_of

FROZEN = "The V&V plan was frozen on {date}: its criteria cannot change."


@transaction.atomic
def save_plan(system: AISystem, *, actor: Any, **values: Any) -> VVPlan:
    plan = VVPlan.objects.filter(system=system).first()
    if plan is None:
        values.setdefault("owner", system.owner)
        plan = VVPlan(organisation_id=system.organisation_id, system=system, **values)
        writes.save_new(
            plan, actor=actor, action="vv_plan.created", fields=VVPlan.FIELDS, error=LifecycleError
        )
        return plan
    _not_frozen(plan)
    from aimwell.lifecycle.services.common import change_versioned

    change_versioned(plan, actor=actor, action="vv_plan.updated", **values)
    return plan


def _not_frozen(plan: VVPlan) -> None:
    if plan.frozen_at is not None:
        raise LifecycleError(FROZEN.format(date=plan.frozen_at.date().isoformat()))


@transaction.atomic
def add_criterion(
    plan: VVPlan,
    *,
    actor: Any,
    key: str,
    kind: str,
    metric: str,
    comparison: str,
    threshold: float,
    group: str = "",
    description: str = "",
) -> AcceptanceCriterion:
    """A measurable acceptance criterion; refused once the plan is frozen."""
    _not_frozen(plan)
    if kind not in CriterionKind.values:
        raise LifecycleError(f"Kind must be one of {', '.join(CriterionKind.values)}.", "kind")
    if comparison not in Comparison.values:
        raise LifecycleError(
            f"Comparison must be one of {', '.join(Comparison.values)}.", "comparison"
        )
    criterion = AcceptanceCriterion(
        organisation_id=plan.organisation_id,
        plan=plan,
        system_id=plan.system_id,
        key=key.strip(),
        kind=kind,
        metric=metric.strip(),
        comparison=comparison,
        threshold=threshold,
        group=group.strip(),
        description=description.strip(),
    )
    writes.save_new(
        criterion,
        actor=actor,
        action="vv_criterion.created",
        fields=AcceptanceCriterion.FIELDS,
        error=LifecycleError,
        duplicate="The plan already has a criterion “{obj.key}”.",
    )
    return criterion


@transaction.atomic
def remove_criterion(criterion: AcceptanceCriterion, *, actor: Any) -> None:
    _not_frozen(criterion.plan)
    record(criterion.plan, actor, "vv_criterion.removed", {"criterion": [str(criterion), None]})
    criterion.delete()


def criteria_digest(plan: VVPlan, frozen_at: dt.datetime) -> str:
    """SHA-256 of the plan's criteria in canonical JSON, with the system and the freezing time."""
    criteria = [
        {
            "key": c.key,
            "kind": c.kind,
            "metric": c.metric,
            "comparison": c.comparison,
            "threshold": c.threshold,
            "group": c.group,
            "description": c.description,
        }
        for c in plan.criteria.order_by("key")
    ]
    canonical = json.dumps(
        {"system": str(plan.system_id), "frozen_at": frozen_at.isoformat(), "criteria": criteria},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def plan_intact(plan: VVPlan) -> bool:
    """Do the criteria still hash to what was recorded when the plan was frozen?"""
    return (
        plan.frozen_at is not None and criteria_digest(plan, plan.frozen_at) == plan.criteria_sha256
    )


@transaction.atomic
def freeze_plan(plan: VVPlan, *, actor: Any) -> VVPlan:
    """Freeze the criteria with a timestamp and their SHA-256; a frozen plan stays as it is."""
    if plan.is_frozen:
        return plan
    if not plan.criteria.exists():
        raise LifecycleError("Add at least one acceptance criterion before freezing the plan.")
    frozen_at = timezone.now()
    plan.frozen_at = frozen_at
    plan.frozen_by_label = label_of(actor)
    plan.criteria_sha256 = criteria_digest(plan, frozen_at)
    plan.save(update_fields=["frozen_at", "frozen_by_label", "criteria_sha256", "updated_at"])
    record(plan, actor, "vv_plan.frozen", {"criteria_sha256": [None, plan.criteria_sha256]})
    record_evidence(
        plan,
        ref="A.6.2.4",
        title=f"V&V plan of {plan.system.name} frozen",
        payload={
            "system": plan.system.name,
            "frozen_at": frozen_at,
            "criteria_sha256": plan.criteria_sha256,
            "criteria": [str(c) for c in plan.criteria.order_by("key")],
        },
        actor=actor,
    )
    return plan


def _criterion_of(system: AISystem, criterion_id: Any) -> AcceptanceCriterion:
    criterion = (
        AcceptanceCriterion.objects.select_related("plan")
        .filter(pk=criterion_id, organisation_id=system.organisation_id)
        .first()
    )
    if criterion is None or criterion.system_id != system.pk:
        raise LifecycleError(
            f"That acceptance criterion is not one of {system.name}'s.", field="criterion_id"
        )
    return criterion


@transaction.atomic
def record_result(
    system: AISystem,
    *,
    criterion_id: Any,
    actor: Any,
    value: float | None = None,
    monitor_run: Any = None,
    measured_on: dt.date | None = None,
    note: str = "",
) -> VVResult:
    """Attach a measurement (typed, or read from a monitoring run's summary) to a criterion of a
    frozen plan; whether it passes is decided here from the frozen threshold."""
    criterion = _criterion_of(system, criterion_id)
    if not criterion.plan.is_frozen:
        raise LifecycleError("Freeze the V&V plan before attaching results.")
    if monitor_run is not None:
        if monitor_run.system_id != system.pk:
            raise LifecycleError(
                f"That monitoring run is not one of {system.name}'s.", field="monitor_run_id"
            )
        summary = monitor_run.summary or {}
        if value is None:
            if not isinstance(summary.get(criterion.metric), (int, float)):
                raise LifecycleError(
                    f"Run #{monitor_run.number} has no figure “{criterion.metric}”; enter the "
                    "value by hand.",
                    field="value",
                )
            value = float(summary[criterion.metric])
        measured_on = measured_on or (
            monitor_run.finished_at.date() if monitor_run.finished_at else None
        )
    if value is None:
        raise LifecycleError("Give the measured value or a monitoring run.", field="value")
    result = VVResult(
        organisation_id=system.organisation_id,
        criterion=criterion,
        system=system,
        value=value,
        passed=criterion.met_by(value),
        measured_on=measured_on or timezone.localdate(),
        monitor_run=monitor_run,
        note=note[:500],
        recorded_by_label=label_of(actor),
    )
    writes.save_new(
        result,
        actor=actor,
        action="vv_result.recorded",
        fields=("value", "passed", "measured_on", "note"),
        error=LifecycleError,
    )
    return result


@transaction.atomic
def accept_criterion(
    system: AISystem,
    *,
    criterion_id: Any,
    kind: str,
    likelihood: int,
    consequence: int,
    rationale: str,
    actor: Any,
    membership: Any,
) -> CriterionAcceptance:
    """Accept the residual risk of a failed criterion, or waive a criterion, within the
    acceptor's risk-acceptance authority (the risks app's rule, on the current risk method)."""
    from aimwell.risks.services.method import current_method
    from aimwell.risks.services.treatment import authority_refusal

    criterion = _criterion_of(system, criterion_id)
    if kind not in AcceptanceKind.values:
        raise LifecycleError(f"Kind must be one of {', '.join(AcceptanceKind.values)}.", "kind")
    if not criterion.plan.is_frozen:
        raise LifecycleError("Freeze the V&V plan before accepting or waiving a criterion.")
    latest = criterion.results.order_by("-measured_on", "-created_at").first()
    if kind == AcceptanceKind.FAILED and (latest is None or latest.passed):
        raise LifecycleError(f"{criterion.key} has not failed: there is nothing to accept.")
    if kind == AcceptanceKind.WAIVED and latest is not None and latest.passed:
        raise LifecycleError(f"{criterion.key} passed: there is nothing to waive.")
    if not rationale.strip():
        raise LifecycleError("Give the reason the residual risk is acceptable.", "rationale")
    method = current_method(system.organisation)
    if method is None:
        raise LifecycleError("Publish a risk method first: it scores the residual risk.")
    if not (
        1 <= likelihood <= method.likelihood_max and 1 <= consequence <= method.consequence_max
    ):
        raise LifecycleError(
            f"Likelihood is 1-{method.likelihood_max} and consequence 1-"
            f"{method.consequence_max} on {method}.",
            "likelihood",
        )
    level = method.level(likelihood, consequence)
    refusal = authority_refusal(membership, method, level)
    if refusal:
        raise NotAuthorised(refusal)
    acceptance = CriterionAcceptance(
        organisation_id=system.organisation_id,
        criterion=criterion,
        system=system,
        kind=kind,
        residual_likelihood=likelihood,
        residual_consequence=consequence,
        residual_level=level,
        method=method,
        rationale=rationale.strip(),
        accepted_by=user_of(actor),
        accepted_by_label=label_of(actor),
        accepted_at=timezone.now(),
    )
    writes.save_new(
        acceptance,
        actor=actor,
        action="vv_acceptance.recorded",
        fields=(
            "kind",
            "residual_likelihood",
            "residual_consequence",
            "residual_level",
            "rationale",
        ),
        error=LifecycleError,
    )
    return acceptance
