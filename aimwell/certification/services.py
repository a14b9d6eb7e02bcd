"""Writes of the certification project: the body and application, the audits of the cycle, the
external findings (major and minor ones become nonconformities), and the certificate, which plans
the surveillance audits and the recertification of its three-year cycle.

Every function is atomic and records an audit event; pages, API, CLI and the demo call them."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from aimwell.certification.choices import (
    NC_GRADES,
    Area,
    AuditKind,
    AuditOutcome,
    AuditStatus,
    Grade,
)
from aimwell.certification.models import (
    Certificate,
    CertificationProject,
    ExternalAudit,
    ExternalFinding,
)
from aimwell.core import references, writes
from aimwell.core.errors import DomainError

CERTIFICATE_YEARS = 3
# Months after the certificate's issue at which the cycle's audits are planned: surveillance
# audits once a year, and recertification early enough to finish before the expiry.
CYCLE_PLAN: tuple[tuple[str, int], ...] = (
    (AuditKind.SURVEILLANCE_1, 12),
    (AuditKind.SURVEILLANCE_2, 24),
    (AuditKind.RECERTIFICATION, 33),
)
NC_DUE_DAYS: dict[str, int] = {Grade.MAJOR: 30, Grade.MINOR: 90}


class CertificationError(DomainError):
    """A rule of the certification project was broken; the message says what to do instead."""


# Helpers -----------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clipped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def save_new(obj: models.Model, *, actor: Any, action: str) -> None:
    fields = getattr(obj, "AUDIT_FIELDS", ())
    writes.save_new(obj, actor=actor, action=action, fields=fields, error=CertificationError)


def apply_changes(
    obj: models.Model, *, actor: Any, action: str, allowed: Iterable[str], **changes: Any
) -> dict[str, list[Any]]:
    return writes.apply_changes(
        obj, actor=actor, action=action, allowed=allowed, error=CertificationError, **changes
    )


def set_related(obj: models.Model, name: str, targets: Iterable[Any], *, actor: Any) -> None:
    action = f"{type(obj).__name__.lower()}.{name}_changed"
    writes.set_related(obj, name, targets, actor=actor, action=action, error=CertificationError)


def _next_reference(organisation: Any) -> str:
    return references.next_reference(ExternalFinding, organisation.pk, "EXT")


# The project ------------------------------------------------------------------------------------

PROJECT_FIELDS = CertificationProject.AUDIT_FIELDS


def project_of(organisation: Any) -> CertificationProject | None:
    return CertificationProject.objects.filter(organisation=organisation).first()


@transaction.atomic
def get_or_create_project(organisation: Any, *, actor: Any) -> CertificationProject:
    project = project_of(organisation)
    if project is None:
        project = CertificationProject(organisation=organisation)
        save_new(project, actor=actor, action="certification.project_created")
    return project


@transaction.atomic
def update_project(
    project: CertificationProject,
    *,
    actor: Any,
    submitted_documents: Iterable[Any] | None = None,
    **changes: Any,
) -> CertificationProject:
    """Record the certification body and the application (what was submitted, when)."""
    if "body_name" in changes and not str(changes["body_name"]).strip():
        raise CertificationError("Name the certification body.", field="body_name")
    apply_changes(
        project,
        actor=actor,
        action="certification.project_updated",
        allowed=PROJECT_FIELDS,
        **changes,
    )
    if submitted_documents is not None:
        set_related(project, "submitted_documents", submitted_documents, actor=actor)
    return project


# Audits -----------------------------------------------------------------------------------------

AUDIT_EDITABLE = (
    "title",
    "planned_start",
    "planned_end",
    "scope",
    "areas",
    "all_systems",
    "lead_auditor",
    "team",
    "plan",
)


def _check_audit(planned_start: dt.date, planned_end: dt.date, areas: Iterable[str]) -> list[str]:
    if planned_end < planned_start:
        raise CertificationError("The audit cannot end before it starts.", field="planned_end")
    clean = list(dict.fromkeys(areas))
    unknown = [a for a in clean if a not in Area.values]
    if unknown:
        raise CertificationError(f"Unknown scope areas: {', '.join(unknown)}.", field="areas")
    return clean


@transaction.atomic
def plan_audit(
    project: CertificationProject,
    *,
    actor: Any,
    kind: str,
    planned_start: dt.date,
    planned_end: dt.date,
    scope: str = "",
    areas: Iterable[str] = (),
    all_systems: bool = True,
    systems: Iterable[Any] = (),
    lead_auditor: str = "",
    team: str = "",
    plan: str = "",
    title: str = "",
    cycle: int | None = None,
) -> ExternalAudit:
    if kind not in AuditKind.values:
        raise CertificationError(f"Unknown audit kind {kind!r}.", field="kind")
    areas = _check_audit(planned_start, planned_end, areas)
    if cycle is None:
        latest = project.certificates.order_by("-cycle").values_list("cycle", flat=True).first()
        cycle = latest or 1
        if kind == AuditKind.RECERTIFICATION and latest:
            cycle = latest + 1
    audit = ExternalAudit(
        organisation_id=project.organisation_id,
        project=project,
        kind=kind,
        title=title,
        cycle=cycle,
        planned_start=planned_start,
        planned_end=planned_end,
        scope=scope,
        areas=areas,
        all_systems=all_systems,
        lead_auditor=lead_auditor,
        team=team,
        plan=plan,
    )
    save_new(audit, actor=actor, action="certification.audit_planned")
    set_related(audit, "systems", systems, actor=actor)
    return audit


@transaction.atomic
def update_audit(
    audit: ExternalAudit, *, actor: Any, systems: Iterable[Any] | None = None, **changes: Any
) -> ExternalAudit:
    if audit.status in (AuditStatus.COMPLETED, AuditStatus.CANCELLED):
        raise CertificationError("A completed or cancelled audit cannot change.")
    if {"planned_start", "planned_end", "areas"} & set(changes):
        changes["areas"] = _check_audit(
            changes.get("planned_start", audit.planned_start),
            changes.get("planned_end", audit.planned_end),
            changes.get("areas", audit.areas),
        )
    apply_changes(
        audit, actor=actor, action="certification.audit_updated", allowed=AUDIT_EDITABLE, **changes
    )
    if systems is not None:
        set_related(audit, "systems", systems, actor=actor)
    return audit


@transaction.atomic
def start_audit(audit: ExternalAudit, *, actor: Any) -> ExternalAudit:
    if audit.status != AuditStatus.PLANNED:
        raise CertificationError("Only a planned audit can start.")
    apply_changes(
        audit,
        actor=actor,
        action="certification.audit_started",
        allowed=("status",),
        status=AuditStatus.IN_PROGRESS,
    )
    return audit


@transaction.atomic
def complete_audit(
    audit: ExternalAudit,
    *,
    actor: Any,
    outcome: str,
    notes: str = "",
    on: dt.date | None = None,
) -> ExternalAudit:
    """Record the audit's end and the certification body's conclusion."""
    if not audit.is_open:
        raise CertificationError("This audit is already completed or cancelled.")
    if outcome not in AuditOutcome.values:
        raise CertificationError(f"Unknown outcome {outcome!r}.", field="outcome")
    apply_changes(
        audit,
        actor=actor,
        action="certification.audit_completed",
        allowed=("status", "outcome", "outcome_notes", "completed_on"),
        status=AuditStatus.COMPLETED,
        outcome=outcome,
        outcome_notes=notes,
        completed_on=on or timezone.localdate(),
    )
    return audit


@transaction.atomic
def cancel_audit(audit: ExternalAudit, *, actor: Any, reason: str) -> ExternalAudit:
    if not audit.is_open:
        raise CertificationError("This audit is already completed or cancelled.")
    if not reason.strip():
        raise CertificationError("Say why the audit is cancelled.", field="reason")
    apply_changes(
        audit,
        actor=actor,
        action="certification.audit_cancelled",
        allowed=("status", "outcome_notes"),
        status=AuditStatus.CANCELLED,
        outcome_notes=reason,
    )
    return audit


# Findings ---------------------------------------------------------------------------------------


@transaction.atomic
def record_finding(
    audit: ExternalAudit,
    *,
    actor: Any,
    grade: str,
    title: str,
    description: str = "",
    requirement: Any = None,
    owner: Any = None,
    due_date: dt.date | None = None,
    engagement: Any = None,
) -> ExternalFinding:
    """A finding of the certification body. Major and minor nonconformities are raised in the
    operations register (source: external audit), where correction, root cause, corrective action
    and verification are followed up; the finding closes with that nonconformity."""
    from aimwell.improvement import services as improvement
    from aimwell.improvement.choices import NCSource
    from aimwell.operations.errors import OperationsError

    if grade not in Grade.values:
        raise CertificationError(f"Unknown grade {grade!r}.", field="grade")
    if not title.strip():
        raise CertificationError("Give the finding a title.", field="title")
    if audit.status == AuditStatus.CANCELLED:
        raise CertificationError("A cancelled audit takes no findings.")
    finding = ExternalFinding(
        organisation_id=audit.organisation_id,
        audit=audit,
        engagement=engagement,
        reference=_next_reference(audit.organisation),
        grade=grade,
        title=title,
        description=description,
        requirement=requirement,
        raised_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if grade in NC_GRADES:
        try:
            finding.nonconformity = improvement.raise_nonconformity(
                audit.organisation,
                actor=actor,
                title=f"{audit.get_kind_display()}: {title}",
                description=description or title,
                source=NCSource.EXTERNAL_AUDIT,
                severity="major" if grade == Grade.MAJOR else "minor",
                owner=owner,
                due_date=due_date or timezone.localdate() + dt.timedelta(days=NC_DUE_DAYS[grade]),
                requirement=requirement,
            )
        except OperationsError as exc:
            raise CertificationError(str(exc), field=exc.field) from exc
    save_new(finding, actor=actor, action="certification.finding_recorded")
    return finding


# Certificate ------------------------------------------------------------------------------------


@transaction.atomic
def record_certificate(
    project: CertificationProject,
    *,
    actor: Any,
    number: str,
    issued_on: dt.date,
    scope: str,
    audit: ExternalAudit | None = None,
) -> Certificate:
    """Record the certificate after a completed stage 2 (or recertification) audit with no open
    major finding, and plan the rest of its three-year cycle."""
    if not number.strip():
        raise CertificationError("Give the certificate number.", field="number")
    if not scope.strip():
        raise CertificationError("Give the certified scope.", field="scope")
    deciding = ExternalAudit.objects.filter(
        project=project,
        kind__in=[AuditKind.STAGE_2, AuditKind.RECERTIFICATION],
        status=AuditStatus.COMPLETED,
        certificate__isnull=True,
    )
    if audit is not None:
        deciding = deciding.filter(pk=audit.pk)
    audit = deciding.order_by("-completed_on").first()
    if audit is None:
        raise CertificationError(
            "A certificate can be recorded only after a completed stage 2 (or recertification) "
            "audit that has no certificate yet; complete the stage 2 audit first."
        )
    open_majors = ExternalFinding.objects.filter(project_q(project), grade=Grade.MAJOR).open()
    if open_majors.exists():
        refs = ", ".join(open_majors.values_list("reference", flat=True))
        raise CertificationError(
            f"Major findings are still open ({refs}): close their nonconformities (corrective "
            "action done and verified effective) before recording the certificate."
        )
    if audit.outcome == AuditOutcome.NOT_RECOMMENDED:
        raise CertificationError("The audit did not recommend certification.")
    certificate = Certificate(
        organisation_id=project.organisation_id,
        project=project,
        audit=audit,
        number=number.strip(),
        issued_on=issued_on,
        expires_on=add_months(issued_on, 12 * CERTIFICATE_YEARS),
        scope=scope,
        cycle=audit.cycle,
    )
    save_new(certificate, actor=actor, action="certification.certificate_recorded")
    plan_cycle(certificate, actor=actor)
    return certificate


def project_q(project: CertificationProject) -> models.Q:
    return models.Q(audit__project=project)


def plan_cycle(certificate: Certificate, *, actor: Any) -> list[ExternalAudit]:
    """Plan the surveillance audits and the recertification of the certificate's cycle (once)."""
    planned = []
    for kind, months in CYCLE_PLAN:
        cycle = certificate.cycle + (1 if kind == AuditKind.RECERTIFICATION else 0)
        exists = ExternalAudit.objects.filter(
            project=certificate.project, kind=kind, cycle=cycle
        ).exists()
        if exists:
            continue
        start = add_months(certificate.issued_on, months)
        planned.append(
            plan_audit(
                certificate.project,
                actor=actor,
                kind=kind,
                cycle=cycle,
                planned_start=start,
                planned_end=start + dt.timedelta(days=1),
                scope=certificate.scope,
                areas=[a.value for a in Area],
                title=f"{AuditKind(kind).label} (certificate {certificate.number})",
            )
        )
    return planned
