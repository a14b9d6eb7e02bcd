"""What the life-cycle records add up to, computed, never entered: each criterion's status, the
V&V outcome, the deployment gate's preconditions and whether the current approval still covers the
system's model version. Everything is loaded for a batch of systems in a fixed number of queries,
so lists cost the same whatever the number of systems or records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from aimwell.change_control.choices import OPEN_CHANGE_STATUSES
from aimwell.change_control.models import ChangeRequest
from aimwell.classification.models import Classification
from aimwell.inventory.models import AIModel, AISystem, ReviewFlag
from aimwell.lifecycle.choices import AcceptanceKind, RecordStatus
from aimwell.lifecycle.models import (
    AcceptanceCriterion,
    CriterionAcceptance,
    DeploymentApproval,
    DesignRecord,
    LoggingPolicy,
    RequirementsSpec,
    VVPlan,
    VVResult,
)

APPROVAL_SUBJECT = "lifecycle.deploymentapproval"

# The gate's named preconditions, in the order a refusal lists them.
PRECONDITIONS = (
    ("classification", "EU AI Act classification current"),
    ("risk_assessment", "Risk assessment current"),
    ("impact_assessment", "Impact assessment current"),
    ("vv", "Verification and validation passed"),
    ("technical_documentation", "Technical documentation complete"),
    ("monitoring", "Monitoring configured"),
)
PRECONDITION_NAMES = dict(PRECONDITIONS)


@dataclass
class CriterionState:
    criterion: AcceptanceCriterion
    status: str  # pending, passed, failed, accepted, waived
    latest: VVResult | None
    acceptance: CriterionAcceptance | None
    results: list[VVResult] = field(default_factory=list)


@dataclass
class Precondition:
    key: str
    name: str
    met: bool
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "met": self.met, "detail": self.detail}


@dataclass
class SystemLifecycle:
    system: AISystem
    requirements: RequirementsSpec | None = None
    design: DesignRecord | None = None
    plan: VVPlan | None = None
    criteria: list[CriterionState] = field(default_factory=list)
    logging: LoggingPolicy | None = None
    approval: DeploymentApproval | None = None
    approval_state: str = "none"  # none, approved, reopened
    approval_reason: str = ""
    preconditions: list[Precondition] = field(default_factory=list)
    open_changes: int = 0

    @property
    def vv_outcome(self) -> str:
        """not_planned, planned (not frozen), in_progress, failed, passed, accepted."""
        if self.plan is None:
            return "not_planned"
        if not self.plan.is_frozen:
            return "planned"
        statuses = [c.status for c in self.criteria]
        if "failed" in statuses:
            return "failed"
        if "pending" in statuses or not statuses:
            return "in_progress"
        if all(s == "passed" for s in statuses):
            return "passed"
        return "accepted"

    @property
    def missing(self) -> list[str]:
        return [p.name for p in self.preconditions if not p.met]

    @property
    def gate_open(self) -> bool:
        return not self.missing


def criterion_state(
    criterion: AcceptanceCriterion,
    results: list[VVResult],
    acceptances: list[CriterionAcceptance],
) -> CriterionState:
    """A criterion passes on its latest result; a failed latest result is carried only by an
    acceptance given after it; a criterion without a passing result may be waived."""
    latest = max(results, key=lambda r: (r.measured_on, r.created_at), default=None)
    acceptance = max(acceptances, key=lambda a: a.accepted_at, default=None)
    if latest is not None and latest.passed:
        status = "passed"
    elif acceptance is not None and acceptance.kind == AcceptanceKind.WAIVED:
        status = "waived"
    elif latest is None:
        status = "pending"
    elif acceptance is not None and acceptance.accepted_at >= latest.created_at:
        status = "accepted"
    else:
        status = "failed"
    return CriterionState(criterion, status, latest, acceptance, results)


def _latest_by_system(rows: Iterable[Any]) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for row in rows:
        out.setdefault(row.system_id, row)
    return out


def load(systems: Iterable[AISystem]) -> dict[Any, SystemLifecycle]:
    """The life cycle of each system, keyed by system id, in a fixed number of queries."""
    systems = list(systems)
    ids = [s.pk for s in systems]
    out = {s.pk: SystemLifecycle(s) for s in systems}
    if not ids:
        return out
    for model, attr in (
        (RequirementsSpec, "requirements"),
        (DesignRecord, "design"),
        (VVPlan, "plan"),
        (LoggingPolicy, "logging"),
    ):
        for row in model.objects.filter(system_id__in=ids).select_related("owner"):
            setattr(out[row.system_id], attr, row)
    results: dict[Any, list[VVResult]] = defaultdict(list)
    for result in VVResult.objects.filter(system_id__in=ids).select_related("monitor_run"):
        results[result.criterion_id].append(result)
    acceptances: dict[Any, list[CriterionAcceptance]] = defaultdict(list)
    for acceptance in CriterionAcceptance.objects.filter(system_id__in=ids):
        acceptances[acceptance.criterion_id].append(acceptance)
    for criterion in AcceptanceCriterion.objects.filter(system_id__in=ids).order_by("key"):
        out[criterion.system_id].criteria.append(
            criterion_state(criterion, results[criterion.pk], acceptances[criterion.pk])
        )
    approvals = _latest_by_system(
        DeploymentApproval.objects.filter(system_id__in=ids)
        .select_related("model")
        .order_by("system_id", "-number")
    )
    models_by_system = _models_by_system(ids)
    for system_id, approval in approvals.items():
        entry = out[system_id]
        entry.approval = approval
        entry.approval_state, entry.approval_reason = approval_state(
            approval, models_by_system.get(system_id, [])
        )
    for system_id, count in (
        ChangeRequest.objects.filter(system_id__in=ids, status__in=OPEN_CHANGE_STATUSES)
        .values_list("system_id")
        .annotate(n=Count("pk"))
    ):
        out[system_id].open_changes = count
    facts = _gate_facts(ids, systems[0].organisation_id)
    for entry in out.values():
        entry.preconditions = _preconditions(entry, facts)
    return out


def load_one(system: AISystem) -> SystemLifecycle:
    return load([system])[system.pk]


def _models_by_system(ids: list[Any]) -> dict[Any, list[AIModel]]:
    through = AISystem.models_used.through
    out: dict[Any, list[AIModel]] = defaultdict(list)
    for row in through.objects.filter(aisystem_id__in=ids).select_related("aimodel"):
        out[row.aisystem_id].append(row.aimodel)
    return out


def approval_state(approval: DeploymentApproval, models: list[AIModel]) -> tuple[str, str]:
    """Does the approval still cover what the system runs? It covers one model version: when the
    system no longer uses it, uses a newer version of the same model, or the version was retired,
    the approval is reopened, whichever path changed the system's models."""
    covered = approval.model
    if covered.retired_on is not None:
        return "reopened", f"{covered} was retired on {covered.retired_on.isoformat()}"
    if all(m.pk != covered.pk for m in models):
        now = ", ".join(str(m) for m in models if m.name == covered.name) or "another model"
        return "reopened", f"the system now runs {now}, not the approved {covered}"
    newer = [
        m
        for m in models
        if m.name == covered.name and m.pk != covered.pk and m.created_at > covered.created_at
    ]
    if newer:
        return "reopened", f"a newer version {newer[-1]} was added after {covered} was approved"
    return "approved", f"covers {covered}"


@dataclass
class _GateFacts:
    classified: dict[Any, Classification]
    flagged: set[tuple[str, str]]
    risk_ok: set[Any]
    risk_detail: dict[Any, str]
    ia_ok: set[Any]
    ia_detail: dict[Any, str]
    monitors: dict[Any, int]


def _gate_facts(ids: list[Any], organisation_id: Any) -> _GateFacts:
    from aimwell.impact_assessments.models import ImpactAssessment
    from aimwell.impact_assessments.review import IMPACT_SUBJECT
    from aimwell.monitoring.models import Monitor
    from aimwell.risks import review
    from aimwell.risks.models import Risk

    today = timezone.localdate()
    classified = {
        c.system_id: c
        for c in Classification.objects.filter(system_id__in=ids, is_current=True).order_by(
            "created_at"
        )
    }
    flagged = set(
        ReviewFlag.objects.filter(system_id__in=ids, resolved_at__isnull=True).values_list(
            "subject_type", "subject_id"
        )
    )
    has_risk: set[Any] = set()
    risk_detail: dict[Any, str] = {}
    for pk, system_id, reference, review_date in (
        Risk.objects.filter(system_id__in=ids)
        .exclude(status="closed")
        .values_list("pk", "system_id", "reference", "review_date")
    ):
        has_risk.add(system_id)
        if review_date is not None and review_date < today:
            risk_detail[system_id] = f"risk {reference} is overdue for review"
        elif (review.RISK_SUBJECT, str(pk)) in flagged:
            risk_detail[system_id] = f"risk {reference} is flagged for review"
    ia_ok: set[Any] = set()
    ia_detail: dict[Any, str] = {}
    for pk, system_id, reference, status, next_review in ImpactAssessment.objects.filter(
        system_id__in=ids
    ).values_list("pk", "system_id", "reference", "status", "next_review_date"):
        if status != "approved":
            ia_detail.setdefault(system_id, f"impact assessment {reference} is not approved")
        elif next_review is not None and next_review < today:
            ia_detail.setdefault(system_id, f"impact assessment {reference} is overdue")
        elif (IMPACT_SUBJECT, str(pk)) in flagged:
            ia_detail.setdefault(system_id, f"impact assessment {reference} is flagged for review")
        else:
            ia_ok.add(system_id)
    monitors = dict(
        Monitor.objects.filter(system_id__in=ids, is_active=True)
        .values_list("system_id")
        .annotate(n=Count("pk"))
    )
    return _GateFacts(
        classified,
        flagged,
        has_risk - set(risk_detail),
        {**{i: "no open risk is assessed for it" for i in ids if i not in has_risk}, **risk_detail},
        ia_ok,
        ia_detail,
        monitors,
    )


def technical_documentation_gaps(entry: SystemLifecycle) -> list[str]:
    """The life-cycle records that make up a high-risk system's technical documentation and
    are not yet in place."""
    gaps = []
    if entry.requirements is None or entry.requirements.status != RecordStatus.APPROVED:
        gaps.append("approved requirements and specification")
    if entry.design is None or entry.design.status != RecordStatus.APPROVED:
        gaps.append("approved design and development record")
    if entry.plan is None or not entry.plan.is_frozen:
        gaps.append("frozen V&V plan")
    if entry.logging is None:
        gaps.append("event-log policy")
    return gaps


def _preconditions(entry: SystemLifecycle, facts: _GateFacts) -> list[Precondition]:
    pk = entry.system.pk
    found: dict[str, tuple[bool, str]] = {}
    current = facts.classified.get(pk)
    if current is None:
        found["classification"] = (False, "the system has not been classified")
    elif ("classification.classification", str(current.pk)) in facts.flagged:
        found["classification"] = (False, "the classification is flagged for review")
    else:
        found["classification"] = (
            True,
            f"{current.risk_class.replace('_', ' ')}, "
            f"decided {current.created_at.date().isoformat()}",
        )
    found["risk_assessment"] = (
        (True, "open risks assessed and current")
        if pk in facts.risk_ok
        else (False, facts.risk_detail.get(pk, "no current risk assessment"))
    )
    found["impact_assessment"] = (
        (True, "an approved impact assessment is current")
        if pk in facts.ia_ok
        else (False, facts.ia_detail.get(pk, "no impact assessment"))
    )
    outcome = entry.vv_outcome
    found["vv"] = (
        outcome in ("passed", "accepted"),
        {
            "not_planned": "no V&V plan",
            "planned": "the V&V plan is not frozen",
            "in_progress": "some criteria have no result yet",
            "failed": "a criterion failed without a residual-risk acceptance",
            "passed": "every criterion passed",
            "accepted": "passed, with failed or waived criteria accepted",
        }[outcome],
    )
    high_risk = current is not None and current.risk_class == "high_risk"
    if not high_risk:
        found["technical_documentation"] = (True, "not required: the system is not high-risk")
    else:
        gaps = technical_documentation_gaps(entry)
        found["technical_documentation"] = (
            (False, "missing: " + ", ".join(gaps)) if gaps else (True, "records complete")
        )
    count = facts.monitors.get(pk, 0)
    found["monitoring"] = (
        (True, f"{count} active monitor(s)") if count else (False, "no active monitor")
    )
    return [Precondition(key, name, *found[key]) for key, name in PRECONDITIONS]


def change_inputs(organisation: Any, *, since: Any, on: Any) -> dict[str, int]:
    """Management review input (9.3.2 b): change requests proposed, decided, implemented and
    reviewed in the period (`since` exclusive, or ever; `on` inclusive), and those still open."""

    def period(name: str) -> Q:
        q = Q(**{f"{name}__lte": on})
        return q & Q(**{f"{name}__gt": since}) if since else q

    rows = ChangeRequest.objects.filter(organisation_id=organisation.pk).aggregate(
        proposed=Count("pk", filter=period("created_at__date")),
        approved=Count("pk", filter=period("decided_at__date") & ~Q(status="rejected")),
        rejected=Count("pk", filter=period("decided_at__date") & Q(status="rejected")),
        implemented=Count("pk", filter=period("implemented_on")),
        reviewed=Count("pk", filter=period("reviewed_on")),
        open=Count("pk", filter=Q(status__in=OPEN_CHANGE_STATUSES)),
    )
    return {k: int(v or 0) for k, v in rows.items()}
