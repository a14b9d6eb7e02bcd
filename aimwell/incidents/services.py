"""AI incidents (A.8.4) with the EU AI Act's serious-incident reporting clock (Art. 73), and
concerns reported by members (A.3.3), anonymously if they wish."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from aimwell.accounts.models import Membership
from aimwell.accounts.roles import Role
from aimwell.core.audit import record_for
from aimwell.improvement import services as improvement
from aimwell.improvement.choices import NCSource
from aimwell.improvement.models import Nonconformity
from aimwell.incidents.choices import (
    REPORT_DAYS,
    ConcernCategory,
    ConcernKind,
    ConcernSource,
    ConcernStatus,
    IncidentSeverity,
    IncidentStatus,
    SeriousKind,
)
from aimwell.incidents.models import Concern, Incident
from aimwell.notifications.services import notify
from aimwell.operations.errors import OperationsError
from aimwell.operations.writes import (
    apply_changes,
    next_reference,
    require_member,
    save_new,
    set_related,
)

ANONYMOUS = "anonymous reporter"
INCIDENT_EDITABLE = (
    "title",
    "description",
    "severity",
    "harm",
    "occurred_at",
    "detected_at",
    "detection",
    "owner",
    "status",
    "response",
    "is_serious",
    "serious_kind",
    "aware_on",
    "authority",
    "affected_informed_on",
    "communication",
    "lessons",
)


def report_deadline(serious_kind: str, aware_on: dt.date) -> dt.date:
    """The last day to report a serious incident to the market surveillance authority: 15 days
    after becoming aware, 10 in case of a death, 2 for a widespread infringement or a serious
    disruption of critical infrastructure (EU AI Act Art. 73(2)-(4))."""
    if serious_kind not in REPORT_DAYS:
        raise OperationsError("Say which kind of serious incident this is.", field="serious_kind")
    return aware_on + dt.timedelta(days=REPORT_DAYS[serious_kind])


def _deadline_of(incident: Incident) -> dt.date | None:
    if not incident.is_serious:
        return None
    if not incident.serious_kind:
        raise OperationsError(
            "A serious incident needs its kind (death, health, critical infrastructure, ...).",
            field="serious_kind",
        )
    return report_deadline(incident.serious_kind, incident.aware_on or timezone.localdate())


@transaction.atomic
def record_incident(
    organisation: Any,
    *,
    actor: Any,
    title: str,
    description: str,
    severity: str,
    systems: Iterable[Any] = (),
    owner: Any = None,
    harm: str = "",
    occurred_at: dt.datetime | None = None,
    detected_at: dt.datetime | None = None,
    detection: str = "",
    response: str = "",
    is_serious: bool = False,
    serious_kind: str = "",
    aware_on: dt.date | None = None,
) -> Incident:
    if severity not in IncidentSeverity.values:
        raise OperationsError(f"Unknown severity {severity!r}.", field="severity")
    if serious_kind and serious_kind not in SeriousKind.values:
        raise OperationsError(f"Unknown kind {serious_kind!r}.", field="serious_kind")
    require_member(organisation, owner, "owner")
    incident = Incident(
        organisation=organisation,
        reference=next_reference(Incident, organisation, "INC"),
        title=title,
        description=description,
        severity=severity,
        owner=owner,
        harm=harm,
        occurred_at=occurred_at,
        detected_at=detected_at or timezone.now(),
        detection=detection,
        response=response,
        is_serious=is_serious,
        serious_kind=serious_kind if is_serious else "",
        aware_on=(aware_on or timezone.localdate()) if is_serious else aware_on,
        reported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    incident.report_deadline = _deadline_of(incident)
    save_new(incident, actor=actor, action="incident.recorded")
    set_related(incident, "systems", systems, actor=actor, action="incident.systems_changed")
    _warn_owner(incident)
    return incident


def _warn_owner(incident: Incident) -> None:
    if incident.owner is None or incident.report_deadline is None:
        return
    notify(
        incident.owner,
        incident.organisation,
        kind="incident.serious",
        title=(
            f"Serious incident {incident.reference}: report to the authority by "
            f"{incident.report_deadline:%d %b %Y}"
        ),
        url=f"/operations/incidents/{incident.pk}/",
        key=f"incident-serious:{incident.pk}:{incident.report_deadline}",
        due_date=incident.report_deadline,
    )


@transaction.atomic
def update_incident(incident: Incident, *, actor: Any, **changes: Any) -> Incident:
    if "owner" in changes:
        require_member(incident.organisation, changes["owner"], "owner")
    if changes.get("severity", incident.severity) not in IncidentSeverity.values:
        raise OperationsError("Unknown severity.", field="severity")
    if changes.get("status", incident.status) not in IncidentStatus.values:
        raise OperationsError("Unknown status.", field="status")
    kind = changes.get("serious_kind", incident.serious_kind)
    if kind and kind not in SeriousKind.values:
        raise OperationsError(f"Unknown kind {kind!r}.", field="serious_kind")
    if changes.get("is_serious", incident.is_serious) and not changes.get(
        "aware_on", incident.aware_on
    ):
        changes["aware_on"] = timezone.localdate()
    if not changes.get("is_serious", incident.is_serious):
        changes["serious_kind"] = ""
    probe = Incident(
        **{f: getattr(incident, f) for f in ("is_serious", "serious_kind", "aware_on")}
    )
    for name in ("is_serious", "serious_kind", "aware_on"):
        if name in changes:
            setattr(probe, name, changes[name])
    changes["report_deadline"] = _deadline_of(probe)
    if changes.get("status") == IncidentStatus.CLOSED and _must_report(incident, changes):
        raise OperationsError(
            "Record the report to the authority before closing a serious incident."
        )
    apply_changes(
        incident,
        actor=actor,
        action="incident.updated",
        allowed=(*INCIDENT_EDITABLE, "report_deadline"),
        **changes,
    )
    _warn_owner(incident)
    return incident


def _must_report(incident: Incident, changes: dict[str, Any]) -> bool:
    return bool(changes.get("is_serious", incident.is_serious)) and not (
        incident.authority_reported_on
    )


@transaction.atomic
def record_authority_report(
    incident: Incident,
    *,
    actor: Any,
    reported_on: dt.date,
    authority: str,
    communication: str = "",
) -> Incident:
    """The report to the market surveillance authority was made (Art. 73)."""
    if not incident.is_serious:
        raise OperationsError("Only a serious incident is reported to the authority.")
    if not authority.strip():
        raise OperationsError("Name the authority.", field="authority")
    apply_changes(
        incident,
        actor=actor,
        action="incident.reported_to_authority",
        allowed=("authority_reported_on", "authority", "communication"),
        authority_reported_on=reported_on,
        authority=authority,
        communication=communication or incident.communication,
    )
    return incident


@transaction.atomic
def open_nonconformity_for_incident(
    incident: Incident,
    *,
    actor: Any,
    title: str = "",
    owner: Any = None,
    due_date: dt.date | None = None,
) -> Nonconformity:
    severe = incident.is_serious or incident.severity in (
        IncidentSeverity.HIGH,
        IncidentSeverity.CRITICAL,
    )
    return improvement.raise_nonconformity(
        incident.organisation,
        actor=actor,
        title=title or f"Incident {incident.reference}: {incident.title}",
        description=incident.description,
        source=NCSource.INCIDENT,
        severity="major" if severe else "minor",
        owner=owner if owner is not None else incident.owner,
        due_date=due_date,
        systems=list(incident.systems.all()),
        incident=incident,
    )


# Concerns ----------------------------------------------------------------------------------------


def code_digest(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


@transaction.atomic
def report_concern(
    organisation: Any,
    *,
    reporter: Any,
    category: str,
    description: str,
    system: Any = None,
    anonymous: bool = False,
    received_on: dt.date | None = None,
) -> tuple[Concern, str]:
    """Record a concern; returns it and a follow-up code. An anonymous concern keeps no trace of
    its reporter, not even in the audit trail; the code lets them follow it."""
    if category not in ConcernCategory.values:
        raise OperationsError(f"Unknown category {category!r}.", field="category")
    if not description.strip():
        raise OperationsError("Describe the concern.", field="description")
    if system is not None and system.organisation_id != organisation.pk:
        raise OperationsError("That AI system belongs to another organisation.", "system")
    if received_on is not None and received_on > timezone.localdate():
        raise OperationsError("A concern cannot be received in the future.", field="received_on")
    code = secrets.token_urlsafe(12)
    concern = Concern(
        organisation=organisation,
        reference=next_reference(Concern, organisation, "CON"),
        system=system,
        category=category,
        description=description,
        is_anonymous=anonymous,
        reporter=None if anonymous else reporter,
        code_digest=code_digest(code),
        received_on=received_on or timezone.localdate(),
    )
    save_new(concern, actor=ANONYMOUS if anonymous else reporter, action="concern.reported")
    _notify_handlers(concern)
    return concern, code


def _notify_handlers(concern: Concern) -> None:
    organisation = concern.organisation
    handlers = Membership.objects.active().filter(
        organisation=organisation, role__in=[Role.ADMIN, Role.AIMS_MANAGER]
    )
    for membership in handlers.select_related("user"):
        notify(
            membership.user,
            organisation,
            kind="concern.reported",
            title=f"New concern {concern.reference} to triage ({concern.get_category_display()})",
            url=f"/operations/concerns/{concern.pk}/",
            key=f"concern-reported:{concern.pk}",
        )


PUBLIC_FORM = "public form"


def _external_reference(organisation: Any, year: int) -> str:
    """EXT-<year>-<nnnn>: numbered per organisation and year, apart from members' CON-nnn."""
    prefix = f"EXT-{year}-"
    refs = Concern.objects.filter(
        organisation=organisation, reference__startswith=prefix
    ).values_list("reference", flat=True)
    numbers = [int(r[len(prefix) :]) for r in refs if r[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


@transaction.atomic
def report_external_concern(
    organisation: Any,
    *,
    system: Any,
    category: str,
    kind: str,
    description: str,
    contact_email: str = "",
) -> Concern:
    """Record a concern sent from outside through the public transparency page (A.8.3, EU AI Act
    Art. 86). It joins members' concerns in the same triage; the audit trail names the public
    form as its actor and never records the contact email."""
    if category not in ConcernCategory.values:
        raise OperationsError(f"Unknown category {category!r}.", field="category")
    if kind not in ConcernKind.values:
        raise OperationsError(f"Unknown kind {kind!r}.", field="kind")
    if not description.strip():
        raise OperationsError("Describe the concern.", field="description")
    if system is None or system.organisation_id != organisation.pk:
        raise OperationsError("Name one of this organisation's AI systems.", "system")
    concern = Concern(
        organisation=organisation,
        reference=_external_reference(organisation, timezone.localdate().year),
        system=system,
        category=category,
        description=description,
        is_anonymous=True,
        source=ConcernSource.EXTERNAL,
        kind=kind,
        contact_email=contact_email.strip(),
        code_digest="",
    )
    save_new(concern, actor=PUBLIC_FORM, action="concern.reported", extra=("source", "kind"))
    _notify_handlers(concern)
    return concern


def concern_by_code(organisation: Any, code: str) -> Concern | None:
    if not code.strip():
        return None
    return Concern.objects.filter(organisation=organisation, code_digest=code_digest(code)).first()


@transaction.atomic
def triage_concern(
    concern: Concern,
    *,
    actor: Any,
    status: str,
    triage_notes: str = "",
    outcome: str = "",
    handler: Any = None,
) -> Concern:
    if status not in ConcernStatus.values:
        raise OperationsError(f"Unknown status {status!r}.", field="status")
    if status == ConcernStatus.CLOSED and not outcome.strip():
        raise OperationsError("Record the outcome before closing the concern.", field="outcome")
    require_member(concern.organisation, handler, "handler")
    apply_changes(
        concern,
        actor=actor,
        action="concern.triaged",
        allowed=("status", "triage_notes", "outcome", "handler", "closed_on"),
        status=status,
        triage_notes=triage_notes,
        outcome=outcome,
        handler=handler or concern.handler,
        closed_on=timezone.localdate() if status == ConcernStatus.CLOSED else None,
    )
    if concern.reporter is not None:
        notify(
            concern.reporter,
            concern.organisation,
            kind="concern.updated",
            title=f"Your concern {concern.reference} is now {concern.get_status_display().lower()}",
            url="/operations/concerns/mine/",
            key=f"concern-status:{concern.pk}:{status}",
        )
    return concern


@transaction.atomic
def open_nonconformity_for_concern(
    concern: Concern, *, actor: Any, title: str, owner: Any = None, due_date: dt.date | None = None
) -> Nonconformity:
    nc = improvement.raise_nonconformity(
        concern.organisation,
        actor=actor,
        title=title,
        description=concern.description,
        source=NCSource.COMPLAINT,
        owner=owner,
        due_date=due_date,
        systems=[concern.system] if concern.system else [],
        concern=concern,
    )
    record_for(
        concern, actor=actor, action="concern.nonconformity", changes={"nc": [None, nc.reference]}
    )
    return nc
