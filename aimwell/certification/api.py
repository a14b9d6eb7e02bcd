"""REST endpoints of the certification project and the external auditor's workspace."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from ninja import Router, Status
from ninja.errors import HttpError

from aimwell.accounts.lookups import member_user
from aimwell.accounts.models import Membership
from aimwell.accounts.request import AimwellRequest
from aimwell.catalog.models import RequirementNode
from aimwell.certification import access, checks, querysets, services, workspace
from aimwell.certification.models import (
    Certificate,
    Comment,
    Engagement,
    EvidenceAsk,
    ExternalAudit,
    ExternalFinding,
    Sample,
)
from aimwell.certification.schemas import (
    AnswerIn,
    AskIn,
    AskOut,
    AuditIn,
    AuditOut,
    AuditPatch,
    AuditStatusIn,
    CertificateIn,
    CertificateOut,
    CheckOut,
    CommentIn,
    CommentOut,
    EngagementIn,
    EngagementOut,
    FindingIn,
    FindingOut,
    ProjectIn,
    ProjectOut,
    SampleIn,
    SampleOut,
    StatusOut,
    WorkspaceOut,
)

router = Router(tags=["Certification"])
T = TypeVar("T")
P = "/certification"


# Presenters --------------------------------------------------------------------------------------


def audit_out(audit: ExternalAudit) -> dict[str, Any]:
    findings = getattr(audit, "finding_count", None)
    open_count = getattr(audit, "open_count", None)
    if findings is None:
        findings = audit.findings.count()
        open_count = audit.findings.open().count()
    return {
        **{f: getattr(audit, f) for f in ("id", "kind", "title", "cycle", "planned_start")},
        **{f: getattr(audit, f) for f in ("planned_end", "scope", "areas", "all_systems")},
        **{f: getattr(audit, f) for f in ("lead_auditor", "plan", "status", "outcome")},
        "outcome_notes": audit.outcome_notes,
        "completed_on": audit.completed_on,
        "system_ids": [s.pk for s in audit.systems.all()],
        "team": audit.team_members,
        "findings": findings,
        "open_findings": open_count or 0,
    }


def finding_out(f: ExternalFinding) -> dict[str, Any]:
    nc = f.nonconformity
    return {
        "id": f.pk,
        "audit_id": f.audit_id,
        "reference": f.reference,
        "grade": f.grade,
        "title": f.title,
        "description": f.description,
        "requirement_urn": f.requirement.urn if f.requirement else None,
        "nonconformity_id": nc.pk if nc else None,
        "nonconformity_reference": nc.reference if nc else None,
        "state": f.state,
    }


def engagement_out(e: Engagement) -> dict[str, Any]:
    return {
        "id": e.pk,
        "audit_id": e.audit_id,
        "guest_email": e.membership.user.email,
        "starts_at": e.starts_at,
        "ends_at": e.ends_at,
        "revoked_at": e.revoked_at,
        "is_current": e.is_current,
    }


def ask_out(a: EvidenceAsk) -> dict[str, Any]:
    return {
        "id": a.pk,
        "engagement_id": a.engagement_id,
        "title": a.title,
        "description": a.description,
        "owner_email": a.owner.email,
        "due_date": a.due_date,
        "status": a.status,
        "overdue": a.is_overdue(),
        "answer": a.answer,
        "evidence_id": a.evidence_id,
    }


def comment_out(c: Comment) -> dict[str, Any]:
    return {
        "id": c.pk,
        "author_email": c.author.email if c.author else None,
        "body": c.body,
        "created_at": c.created_at,
    }


def sample_out(s: Sample) -> dict[str, Any]:
    return {f: getattr(s, f) for f in ("id", "object_type", "object_id", "label", "note")}


# Look-ups ----------------------------------------------------------------------------------------


def requirement(urn: str | None) -> RequirementNode | None:
    if not urn:
        return None
    node = RequirementNode.objects.filter(urn=urn, framework__organisation__isnull=True).first()
    if node is None:
        raise HttpError(400, f"No catalog requirement or control {urn}.")
    return node


def systems(organisation: Any, ids: list[uuid.UUID]) -> list[Any]:
    from aimwell.inventory.models import AISystem

    found = list(AISystem.objects.filter(organisation=organisation, pk__in=ids))
    if len(found) != len(set(ids)):
        raise HttpError(400, "Some AI systems do not exist in this organisation.")
    return found


def _project(request: AimwellRequest) -> Any:
    project = services.project_of(request.organisation)
    if project is None:
        raise HttpError(404, "No certification project yet; a manager starts it.")
    return project


# Project and audits ------------------------------------------------------------------------------


def _project_out(project: Any) -> dict[str, Any]:
    out = {f: getattr(project, f) for f in ("id", *services.PROJECT_FIELDS)}
    out["submitted_document_ids"] = list(project.submitted_documents.values_list("pk", flat=True))
    return out


@router.get(P + "/project", response=ProjectOut)
def get_project(request: AimwellRequest) -> dict[str, Any]:
    access.non_guest_reader(request)
    return _project_out(_project(request))


@router.put(P + "/project", response=ProjectOut)
def put_project(request: AimwellRequest, payload: ProjectIn) -> dict[str, Any]:
    membership = access.manager(request)
    from aimwell.documents.models import Document

    data = payload.dict(exclude_unset=True)
    doc_ids = data.pop("submitted_document_ids", None)
    docs = None
    if doc_ids is not None:
        docs = list(Document.objects.filter(organisation=membership.organisation, pk__in=doc_ids))
        if len(docs) != len(set(doc_ids)):
            raise HttpError(400, "Some documents do not exist in this organisation.")
    data = {k: (v if v is not None or k == "applied_on" else "") for k, v in data.items()}

    def run() -> Any:
        project = services.get_or_create_project(membership.organisation, actor=request.user)
        return services.update_project(
            project, actor=request.user, submitted_documents=docs, **data
        )

    return _project_out(run())


@router.get(P + "/status", response=StatusOut)
def status(request: AimwellRequest) -> dict[str, Any]:
    membership = access.non_guest_reader(request)
    progress = checks.stage_progress(membership.organisation)
    project = services.project_of(membership.organisation)
    nxt = cert = None
    if project is not None:
        nxt = querysets.audits(project).filter(status__in=["planned", "in_progress"]).first()
        cert = project.certificates.order_by("-issued_on").first()
    return {
        "percent": progress.percent if progress else None,
        "detail": progress.detail if progress else "No certification project yet.",
        "next_audit": audit_out(nxt) if nxt else None,
        "certificate": cert,
    }


@router.get(P + "/audits", response=list[AuditOut])
def list_audits(request: AimwellRequest) -> list[dict[str, Any]]:
    membership = access.reader(request)
    project = services.project_of(membership.organisation)
    if project is None:
        return []
    qs = querysets.audits(project).prefetch_related("systems")
    if workspace.is_guest(membership):
        qs = qs.filter(engagements__in=Engagement.objects.current().filter(membership=membership))
    return [audit_out(a) for a in qs]


@router.post(P + "/audits", response={201: AuditOut})
def create_audit(request: AimwellRequest, payload: AuditIn) -> Status[dict[str, Any]]:
    membership = access.manager(request)
    org = membership.organisation
    chosen = systems(org, payload.system_ids)

    def run() -> ExternalAudit:
        project = services.get_or_create_project(org, actor=request.user)
        return services.plan_audit(
            project,
            actor=request.user,
            kind=payload.kind,
            title=payload.title,
            planned_start=payload.planned_start,
            planned_end=payload.planned_end,
            scope=payload.scope,
            areas=[a.value for a in payload.areas],
            all_systems=payload.all_systems,
            systems=chosen,
            lead_auditor=payload.lead_auditor,
            team="\n".join(payload.team),
            plan=payload.plan,
        )

    return Status(201, audit_out(run()))


@router.get(P + "/audits/{audit_id}", response=AuditOut)
def get_audit(request: AimwellRequest, audit_id: uuid.UUID) -> dict[str, Any]:
    audit, _ = access.get_audit(request, audit_id)
    return audit_out(audit)


@router.patch(P + "/audits/{audit_id}", response=AuditOut)
def patch_audit(
    request: AimwellRequest, audit_id: uuid.UUID, payload: AuditPatch
) -> dict[str, Any]:
    audit, membership = access.get_audit(request, audit_id, write=True)
    data = payload.dict(exclude_unset=True)
    ids = data.pop("system_ids", None)
    chosen = systems(membership.organisation, ids) if ids is not None else None
    if "team" in data:
        data["team"] = "\n".join(data["team"] or [])
    if data.get("areas") is not None:
        data["areas"] = [str(a) for a in data["areas"]]
    data = {k: v for k, v in data.items() if v is not None}
    services.update_audit(audit, actor=request.user, systems=chosen, **data)
    return audit_out(audit)


@router.post(P + "/audits/{audit_id}/status", response=AuditOut)
def audit_status(request: AimwellRequest, audit_id: uuid.UUID, payload: AuditStatusIn) -> Any:
    audit, _ = access.get_audit(request, audit_id, write=True)
    if payload.action == "start":
        services.start_audit(audit, actor=request.user)
    elif payload.action == "complete":
        if payload.outcome is None:
            raise HttpError(400, "Give the outcome of the audit.")
        outcome = payload.outcome
        services.complete_audit(
            audit, actor=request.user, outcome=outcome, notes=payload.notes, on=payload.on
        )
    else:
        services.cancel_audit(audit, actor=request.user, reason=payload.notes)
    return audit_out(audit)


@router.get(P + "/audits/{audit_id}/checklist", response=list[CheckOut])
def audit_checklist(request: AimwellRequest, audit_id: uuid.UUID) -> list[checks.Check]:
    _audit, membership = access.get_audit(request, audit_id)
    return checks.checklist(membership.organisation)


@router.get(P + "/audits/{audit_id}/findings", response=list[FindingOut])
def list_findings(request: AimwellRequest, audit_id: uuid.UUID) -> list[dict[str, Any]]:
    audit, _ = access.get_audit(request, audit_id)
    return [finding_out(f) for f in querysets.findings(audit)]


@router.post(P + "/audits/{audit_id}/findings", response={201: FindingOut})
def create_finding(
    request: AimwellRequest, audit_id: uuid.UUID, payload: FindingIn
) -> Status[dict[str, Any]]:
    audit, membership = access.get_audit(request, audit_id, write=True)
    owner = member_user(membership.organisation, payload.owner_email)
    node = requirement(payload.requirement_urn)
    finding = services.record_finding(
        audit,
        actor=request.user,
        grade=payload.grade,
        title=payload.title,
        description=payload.description,
        requirement=node,
        owner=owner,
        due_date=payload.due_date,
    )
    return Status(201, finding_out(finding))


@router.get(P + "/certificates", response=list[CertificateOut])
def list_certificates(request: AimwellRequest) -> list[Certificate]:
    membership = access.non_guest_reader(request)
    return list(Certificate.objects.filter(organisation=membership.organisation))


@router.post(P + "/certificates", response={201: CertificateOut})
def create_certificate(request: AimwellRequest, payload: CertificateIn) -> Status[Certificate]:
    access.manager(request)
    project = _project(request)
    audit = None
    if payload.audit_id is not None:
        audit, _ = access.get_audit(request, payload.audit_id)
    certificate = services.record_certificate(
        project,
        actor=request.user,
        number=payload.number,
        issued_on=payload.issued_on,
        scope=payload.scope,
        audit=audit,
    )
    return Status(201, certificate)


# Engagements and the workspace -------------------------------------------------------------------


@router.get(P + "/engagements", response=list[EngagementOut])
def list_engagements(request: AimwellRequest) -> list[dict[str, Any]]:
    membership = access.reader(request)
    qs = access.visible_engagements(
        membership, querysets.engagements(organisation=membership.organisation)
    )
    return [engagement_out(e) for e in qs]


@router.post(P + "/engagements", response={201: EngagementOut})
def create_engagement(request: AimwellRequest, payload: EngagementIn) -> Status[dict[str, Any]]:
    membership = access.manager(request)
    audit, _ = access.get_audit(request, payload.audit_id)
    guest = (
        Membership.objects.select_related("user")
        .filter(organisation=membership.organisation, user__email__iexact=payload.guest_email)
        .first()
    )
    if guest is None:
        raise HttpError(400, f"{payload.guest_email} is not a member of this organisation.")
    engagement = workspace.grant_engagement(
        audit,
        actor=request.user,
        membership=guest,
        ends_at=payload.ends_at,
        starts_at=payload.starts_at,
    )
    return Status(201, engagement_out(engagement))


@router.get(P + "/engagements/{engagement_id}", response=WorkspaceOut)
def get_workspace(request: AimwellRequest, engagement_id: uuid.UUID) -> dict[str, Any]:
    engagement, _ = access.get_engagement(request, engagement_id)
    data = querysets.workspace(engagement)
    return {
        "engagement": engagement_out(engagement),
        "audit": audit_out(engagement.audit),
        "samples": [sample_out(s) for s in data["samples"]],
        "comments": [comment_out(c) for c in data["comments"]],
        "requests": [ask_out(a) for a in data["asks"]],
        "findings": [finding_out(f) for f in data["findings"]],
    }


@router.post(P + "/engagements/{engagement_id}/revoke", response=EngagementOut)
def revoke(request: AimwellRequest, engagement_id: uuid.UUID) -> dict[str, Any]:
    access.manager(request)
    engagement, _ = access.get_engagement(request, engagement_id)
    workspace.revoke_engagement(engagement, actor=request.user)
    return engagement_out(engagement)


def _work(request: AimwellRequest, engagement_id: uuid.UUID) -> tuple[Engagement, Membership]:
    engagement, membership = access.get_engagement(request, engagement_id)
    workspace.require_work_in(membership, engagement)
    return engagement, membership


@router.post(P + "/engagements/{engagement_id}/samples", response={201: SampleOut})
def add_sample(
    request: AimwellRequest, engagement_id: uuid.UUID, payload: SampleIn
) -> Status[dict[str, Any]]:
    engagement, _ = _work(request, engagement_id)
    sample = workspace.add_sample(
        engagement,
        actor=request.user,
        object_type=payload.object_type,
        object_id=payload.object_id,
        label=payload.label,
        note=payload.note,
    )
    return Status(201, sample_out(sample))


@router.post(P + "/engagements/{engagement_id}/comments", response={201: CommentOut})
def add_comment(
    request: AimwellRequest, engagement_id: uuid.UUID, payload: CommentIn
) -> Status[dict[str, Any]]:
    engagement, _ = _work(request, engagement_id)
    comment = workspace.add_comment(engagement, actor=request.user, body=payload.body)
    return Status(201, comment_out(comment))


@router.post(P + "/engagements/{engagement_id}/requests", response={201: AskOut})
def add_request(
    request: AimwellRequest, engagement_id: uuid.UUID, payload: AskIn
) -> Status[dict[str, Any]]:
    engagement, membership = _work(request, engagement_id)
    owner = member_user(membership.organisation, payload.owner_email)
    ask = workspace.ask_evidence(
        engagement,
        actor=request.user,
        title=payload.title,
        description=payload.description,
        owner=owner,
        due_date=payload.due_date,
    )
    return Status(201, ask_out(ask))


@router.post(P + "/engagements/{engagement_id}/findings", response={201: FindingOut})
def add_finding(
    request: AimwellRequest, engagement_id: uuid.UUID, payload: FindingIn
) -> Status[dict[str, Any]]:
    engagement, membership = _work(request, engagement_id)
    node = requirement(payload.requirement_urn)
    owner = member_user(membership.organisation, payload.owner_email)
    finding = services.record_finding(
        engagement.audit,
        actor=request.user,
        grade=payload.grade,
        title=payload.title,
        description=payload.description,
        requirement=node,
        owner=owner,
        due_date=payload.due_date,
        engagement=engagement,
    )
    return Status(201, finding_out(finding))


@router.get(P + "/requests", response=list[AskOut])
def list_requests(request: AimwellRequest) -> list[dict[str, Any]]:
    """Open evidence requests: all of them for managers, one's own for other members."""
    membership = access.reader(request)
    from aimwell.accounts.roles import Capability, can

    if can(membership, Capability.MANAGE_AIMS):
        qs = querysets.open_asks(membership.organisation)
    elif workspace.is_guest(membership):
        qs = querysets.open_asks(membership.organisation).filter(engagement__membership=membership)
    else:
        qs = querysets.asks_for(request.user, membership.organisation).select_related("owner")
    return [ask_out(a) for a in qs]


@router.post(P + "/requests/{request_id}/answer", response=AskOut)
def answer_request(request: AimwellRequest, request_id: uuid.UUID, payload: AnswerIn) -> Any:
    ask, membership = access.get_ask(request, request_id)
    if not workspace.can_answer(membership, ask):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Only the owner of the request or an AIMS manager can answer it.")
    evidence = None
    if payload.evidence_id is not None:
        from aimwell.evidence.models import EvidenceItem

        evidence = EvidenceItem.objects.filter(
            organisation=membership.organisation, pk=payload.evidence_id
        ).first()
        if evidence is None:
            raise HttpError(400, "No such evidence item in this organisation.")
    workspace.answer_ask(ask, actor=request.user, answer=payload.answer, evidence=evidence)
    return ask_out(ask)
