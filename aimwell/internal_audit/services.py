"""Internal audit (9.2): programmes, audits with an independent lead auditor, checklists from the
catalog's audit questions, sampling of AI systems, findings and the report. A nonconformity
finding raises a nonconformity in the improvement register."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from aimwell.accounts.roles import AIMSProcess, Capability, can
from aimwell.catalog.models import RequirementNode
from aimwell.core.audit import record_for
from aimwell.improvement.choices import NCSource, Severity
from aimwell.internal_audit.choices import AuditStatus, ChecklistResult, FindingKind
from aimwell.internal_audit.models import Audit, AuditProgramme, ChecklistItem, Finding
from aimwell.internal_audit.processes import processes_of
from aimwell.inventory.models import AISystem
from aimwell.operations.errors import OperationsError
from aimwell.operations.writes import (
    apply_changes,
    member_of,
    next_reference,
    require_member,
    save_new,
    set_related,
)

ASSESSABLE_KINDS = ("requirement", "control")
# Days to resolve a nonconformity found by an audit, unless the auditor sets a date.
NC_DUE_DAYS = {FindingKind.MAJOR: 30, FindingKind.MINOR: 90}


# Programme ---------------------------------------------------------------------------------------


@transaction.atomic
def create_programme(
    organisation: Any,
    *,
    actor: Any,
    title: str,
    cycle_start: dt.date,
    cycle_end: dt.date,
    objectives: str = "",
    owner: Any = None,
) -> AuditProgramme:
    if cycle_end < cycle_start:
        raise OperationsError("The cycle must end after it starts.", field="cycle_end")
    require_member(organisation, owner, "owner")
    programme = AuditProgramme(
        organisation=organisation,
        title=title,
        cycle_start=cycle_start,
        cycle_end=cycle_end,
        objectives=objectives,
        owner=owner,
    )
    save_new(programme, actor=actor, action="audit_programme.created")
    return programme


@transaction.atomic
def update_programme(programme: AuditProgramme, *, actor: Any, **changes: Any) -> AuditProgramme:
    apply_changes(
        programme,
        actor=actor,
        action="audit_programme.updated",
        allowed=AuditProgramme.AUDIT_FIELDS,
        **changes,
    )
    if programme.cycle_end < programme.cycle_start:
        raise OperationsError("The cycle must end after it starts.", field="cycle_end")
    return programme


def assessable_nodes(organisation: Any = None) -> Any:
    """Every clause requirement and Annex A control of ISO/IEC 42001 (what a cycle must cover)."""
    return RequirementNode.objects.filter(
        framework__key="iso42001",
        framework__organisation__isnull=True,
        kind__in=ASSESSABLE_KINDS,
        is_retired=False,
    ).order_by("position")


def coverage(programme: AuditProgramme) -> dict[str, Any]:
    """Which clauses and controls the programme's audits cover, and which none does yet."""
    required = list(assessable_nodes().only("id", "ref_id", "title", "kind"))
    covered_ids = set(
        Audit.requirements.through.objects.filter(
            audit__programme=programme, audit__organisation_id=programme.organisation_id
        )
        .exclude(audit__status=AuditStatus.CANCELLED)
        .values_list("requirementnode_id", flat=True)
    )
    missing = [n for n in required if n.pk not in covered_ids]
    total = len(required)
    return {
        "total": total,
        "covered": total - len(missing),
        "percent": round(100 * (total - len(missing)) / total) if total else 100,
        "missing": missing,
    }


# Independence ------------------------------------------------------------------------------------


def independence_problems(
    organisation: Any,
    auditor: Any,
    *,
    processes: Iterable[str] = (),
    requirements: Iterable[RequirementNode] = (),
    systems: Iterable[AISystem] = (),
) -> list[str]:
    """Why this member may not audit this area: processes they own, AI systems they own."""
    if auditor is None:
        return []
    membership = member_of(organisation, auditor)
    if membership is None:
        return ["The lead auditor is not a member of this organisation."]
    problems: list[str] = []
    if not (
        can(membership, Capability.WRITE_AUDIT_RECORDS) or can(membership, Capability.MANAGE_AIMS)
    ):
        problems.append(f"{auditor.email} has a role that cannot write audit records.")
    audited = processes_of(requirements, processes)
    owned = sorted(set(membership.owned_processes) & audited)
    if owned:
        labels = ", ".join(AIMSProcess(p).label.lower() for p in owned)
        problems.append(
            f"{auditor.email} owns the {labels} process audited here and cannot audit their own "
            "work (ISO/IEC 42001 9.2.2); choose another auditor or change the scope."
        )
    for system in systems:
        if system.owner_id == auditor.pk:
            problems.append(
                f"{auditor.email} owns the AI system “{system.name}” sampled here and cannot "
                "audit it; choose another auditor or another sample."
            )
    return problems


def _check_independence(audit: Audit, requirements: Sequence[Any], systems: Sequence[Any]) -> None:
    problems = independence_problems(
        audit.organisation,
        audit.lead_auditor,
        processes=audit.processes,
        requirements=requirements,
        systems=systems,
    )
    if problems:
        raise OperationsError(" ".join(problems), field="lead_auditor")


# Audits ------------------------------------------------------------------------------------------


def _valid_processes(processes: Iterable[str]) -> list[str]:
    values = {p.value for p in AIMSProcess}
    result = []
    for process in processes:
        if process not in values:
            raise OperationsError(f"Unknown AIMS process {process!r}.", field="processes")
        result.append(process)
    return sorted(set(result))


def _own_systems(organisation: Any, systems: Iterable[AISystem]) -> list[AISystem]:
    systems = list(systems)
    for system in systems:
        if system.organisation_id != organisation.pk:
            raise OperationsError("That AI system belongs to another organisation.", "systems")
    return systems


@transaction.atomic
def create_audit(
    organisation: Any,
    *,
    actor: Any,
    title: str,
    scope: str,
    planned_start: dt.date,
    planned_end: dt.date,
    lead_auditor: Any,
    criteria: str = "ISO/IEC 42001:2023 and the organisation's AIMS documentation",
    programme: AuditProgramme | None = None,
    processes: Iterable[str] = (),
    requirements: Iterable[RequirementNode] = (),
    systems: Iterable[AISystem] = (),
) -> Audit:
    """Plan an audit; refuses a lead auditor who owns an audited process or sampled system."""
    if planned_end < planned_start:
        raise OperationsError("The audit must end after it starts.", field="planned_end")
    if programme is not None and programme.organisation_id != organisation.pk:
        raise OperationsError("That programme belongs to another organisation.", "programme")
    requirements = list(requirements)
    systems = _own_systems(organisation, systems)
    audit = Audit(
        organisation=organisation,
        reference=next_reference(Audit, organisation, "AUD"),
        title=title,
        scope=scope,
        criteria=criteria,
        planned_start=planned_start,
        planned_end=planned_end,
        lead_auditor=lead_auditor,
        programme=programme,
        processes=_valid_processes(processes),
    )
    _check_independence(audit, requirements, systems)
    save_new(audit, actor=actor, action="audit.created")
    set_related(audit, "requirements", requirements, actor=actor, action="audit.scope_changed")
    set_related(audit, "sampled_systems", systems, actor=actor, action="audit.sample_changed")
    _sync_checklist(audit, requirements)
    return audit


@transaction.atomic
def update_audit(audit: Audit, *, actor: Any, **changes: Any) -> Audit:
    if audit.status in (AuditStatus.REPORTED, AuditStatus.CANCELLED):
        raise OperationsError("A reported or cancelled audit can no longer change.")
    if "processes" in changes:
        changes["processes"] = _valid_processes(changes["processes"])
    allowed = tuple(f for f in Audit.AUDIT_FIELDS if f not in ("status", "conclusion"))
    for name, value in changes.items():
        setattr(audit, name, value)
    _check_independence(audit, list(audit.requirements.all()), list(audit.sampled_systems.all()))
    audit.refresh_from_db(fields=list(changes))
    apply_changes(audit, actor=actor, action="audit.updated", allowed=allowed, **changes)
    if audit.planned_end < audit.planned_start:
        raise OperationsError("The audit must end after it starts.", field="planned_end")
    return audit


@transaction.atomic
def set_scope(
    audit: Audit,
    *,
    actor: Any,
    requirements: Iterable[RequirementNode] | None = None,
    systems: Iterable[AISystem] | None = None,
) -> Audit:
    """Change the clauses and controls audited, or the sample; the checklist follows."""
    if audit.status in (AuditStatus.REPORTED, AuditStatus.CANCELLED):
        raise OperationsError("A reported or cancelled audit can no longer change.")
    nodes = list(requirements) if requirements is not None else list(audit.requirements.all())
    sample = (
        _own_systems(audit.organisation, systems)
        if systems is not None
        else list(audit.sampled_systems.all())
    )
    _check_independence(audit, nodes, sample)
    set_related(audit, "requirements", nodes, actor=actor, action="audit.scope_changed")
    set_related(audit, "sampled_systems", sample, actor=actor, action="audit.sample_changed")
    _sync_checklist(audit, nodes)
    return audit


def _sync_checklist(audit: Audit, nodes: Sequence[RequirementNode]) -> None:
    """One question per audit question of each node in scope; assessed questions are kept."""
    existing = {
        (item.requirement_id, item.question): item
        for item in ChecklistItem.objects.filter(audit=audit)
    }
    wanted: list[tuple[Any, str]] = []
    for node in sorted(nodes, key=lambda n: n.position):
        questions = node.audit_questions or [f"Is “{node.ref_id} {node.title}” met?"]
        wanted.extend((node.pk, q) for q in questions)
    keep = set(wanted)
    stale = [
        item.pk
        for key, item in existing.items()
        if key not in keep and item.result == ChecklistResult.NOT_ASSESSED
    ]
    ChecklistItem.objects.filter(pk__in=stale).delete()
    new = [
        ChecklistItem(
            organisation_id=audit.organisation_id,
            audit=audit,
            requirement_id=node_id,
            question=question,
            position=index,
        )
        for index, (node_id, question) in enumerate(wanted)
        if (node_id, question) not in existing
    ]
    ChecklistItem.objects.bulk_create(new)
    for index, key in enumerate(wanted):
        item = existing.get(key)
        if item is not None and item.position != index:
            ChecklistItem.objects.filter(pk=item.pk).update(position=index)


@transaction.atomic
def sample_systems(
    audit: Audit, *, actor: Any, size: int, seed: int | None = None
) -> list[AISystem]:
    """Draw a random sample of in-scope AI systems, leaving out those the auditor owns; the seed
    is recorded so the draw can be repeated."""
    if size < 1:
        raise OperationsError("Sample at least one AI system.", field="size")
    pool = list(
        AISystem.objects.filter(organisation_id=audit.organisation_id, in_scope=True)
        .exclude(owner_id=audit.lead_auditor_id)
        .order_by("name")
    )
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 1_000_000)
    chosen = random.Random(seed).sample(pool, min(size, len(pool)))
    chosen.sort(key=lambda s: s.name)
    set_scope(audit, actor=actor, systems=chosen)
    record_for(
        audit,
        actor=actor,
        action="audit.sampled",
        changes={"sample": [None, {"seed": seed, "size": size, "pool": len(pool)}]},
    )
    return chosen


@transaction.atomic
def start_audit(audit: Audit, *, actor: Any) -> Audit:
    if audit.status != AuditStatus.PLANNED:
        raise OperationsError("Only a planned audit can start.")
    apply_changes(
        audit,
        actor=actor,
        action="audit.started",
        allowed=("status",),
        status=AuditStatus.IN_PROGRESS,
    )
    return audit


@transaction.atomic
def cancel_audit(audit: Audit, *, actor: Any) -> Audit:
    if audit.status == AuditStatus.REPORTED:
        raise OperationsError("A reported audit cannot be cancelled.")
    apply_changes(
        audit,
        actor=actor,
        action="audit.cancelled",
        allowed=("status",),
        status=AuditStatus.CANCELLED,
    )
    return audit


def _require_open(audit: Audit) -> None:
    if audit.status != AuditStatus.IN_PROGRESS:
        raise OperationsError(
            "Start the audit before recording results; a reported audit is closed."
        )


@transaction.atomic
def assess(
    item: ChecklistItem,
    *,
    actor: Any,
    result: str,
    notes: str = "",
    evidence_reviewed: str = "",
) -> ChecklistItem:
    _require_open(item.audit)
    if result not in ChecklistResult.values:
        raise OperationsError(f"Unknown result {result!r}.", field="result")
    apply_changes(
        item,
        actor=actor,
        action="audit.checklist_assessed",
        allowed=ChecklistItem.AUDIT_FIELDS,
        result=result,
        notes=notes,
        evidence_reviewed=evidence_reviewed,
    )
    return item


@transaction.atomic
def add_finding(
    audit: Audit,
    *,
    actor: Any,
    kind: str,
    title: str,
    description: str,
    requirement: RequirementNode | None = None,
    system: AISystem | None = None,
    evidence_reviewed: str = "",
    evidence: Iterable[Any] = (),
    owner: Any = None,
    due_date: dt.date | None = None,
    raised_on: dt.date | None = None,
) -> Finding:
    """Record a finding; a major or minor nonconformity opens a nonconformity to correct, raised
    on `raised_on` (today by default: the day the finding was made)."""
    from aimwell.improvement import services as improvement

    _require_open(audit)
    if kind not in FindingKind.values:
        raise OperationsError(f"Unknown finding kind {kind!r}.", field="kind")
    if system is not None and system.organisation_id != audit.organisation_id:
        raise OperationsError("That AI system belongs to another organisation.", "system")
    count = Finding.objects.filter(audit=audit).count()
    finding = Finding(
        organisation_id=audit.organisation_id,
        audit=audit,
        reference=f"{audit.reference}-F{count + 1:02d}",
        kind=kind,
        title=title,
        description=description,
        requirement=requirement,
        system=system,
        evidence_reviewed=evidence_reviewed,
        raised_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    save_new(finding, actor=actor, action="audit.finding_added")
    set_related(finding, "evidence", evidence, actor=actor, action="audit.finding_evidence")
    if finding.is_nonconformity:
        today = raised_on or timezone.localdate()
        improvement.raise_nonconformity(
            audit.organisation,
            actor=actor,
            title=title,
            description=description,
            source=NCSource.AUDIT,
            severity=Severity.MAJOR if kind == FindingKind.MAJOR else Severity.MINOR,
            owner=owner if owner is not None else (system.owner if system else None),
            due_date=due_date or today + dt.timedelta(days=NC_DUE_DAYS[FindingKind(kind)]),
            requirement=requirement,
            systems=[system] if system else [],
            finding=finding,
            raised_on=today,
        )
    return finding


@transaction.atomic
def issue_report(audit: Audit, *, actor: Any, conclusion: str, on: dt.date | None = None) -> Audit:
    """Close the audit with its conclusion; every checklist question must have been assessed.
    The report is dated `on` (today by default), never before the audit started."""
    _require_open(audit)
    if not conclusion.strip():
        raise OperationsError("Write the audit's conclusion.", field="conclusion")
    open_items = audit.checklist.filter(result=ChecklistResult.NOT_ASSESSED).count()
    if open_items:
        raise OperationsError(
            f"{open_items} checklist question(s) are not assessed yet; assess them or mark them "
            "not applicable before issuing the report."
        )
    reported_on = on or timezone.localdate()
    if on is not None and (on < audit.planned_start or on > timezone.localdate()):
        raise OperationsError(
            "Date the report between the audit's start and today.", field="reported_on"
        )
    apply_changes(
        audit,
        actor=actor,
        action="audit.reported",
        allowed=("status", "conclusion", "reported_on"),
        status=AuditStatus.REPORTED,
        conclusion=conclusion,
        reported_on=reported_on,
    )
    return audit
