"""REST API of audit programmes, audits, checklists and findings (under /api/v1/, tagged
"operations" as before the split)."""

from __future__ import annotations

import uuid
from typing import Any

from ninja import Query, Router, Status
from ninja.errors import HttpError

from aimwell.accounts.lookups import member_user
from aimwell.accounts.request import AimwellRequest
from aimwell.core import concurrency
from aimwell.evidence.models import EvidenceItem
from aimwell.internal_audit import querysets
from aimwell.internal_audit import services as audit_services
from aimwell.internal_audit.models import Audit, AuditProgramme, ChecklistItem, Finding
from aimwell.internal_audit.schemas import (
    AuditDetailOut,
    AuditIn,
    AuditPage,
    AuditPatch,
    AuditQuery,
    ChecklistItemOut,
    ChecklistPatch,
    FindingIn,
    FindingOut,
    FindingPage,
    FindingQuery,
    ProgrammeDetailOut,
    ProgrammeIn,
    ProgrammePage,
    ProgrammePatch,
    ReportIn,
    SampleIn,
)
from aimwell.operations.lists import filtered, page_of
from aimwell.operations.rest import (
    AUDIT_WRITERS,
    get_object,
    membership,
    node_by_urn,
    nodes_by_urn,
    page_dict,
    params,
    require_any,
    system_by_id,
    systems_by_id,
)
from aimwell.operations.schemas import ListQuery

router = Router(tags=["operations"])


def _programme_detail(programme: AuditProgramme) -> dict[str, Any]:
    return {
        **{f: getattr(programme, f) for f in ("id", "title", "cycle_start", "cycle_end")},
        "objectives": programme.objectives,
        "owner": programme.owner,
        "audit_count": programme.audits.count(),
        "coverage": audit_services.coverage(programme),
    }


@router.get("/audit-programmes", response=ProgrammePage, summary="Audit programmes")
def list_programmes(request: AimwellRequest, query: Query[ListQuery]) -> dict[str, Any]:
    m = membership(request)
    rows = filtered(querysets.PROGRAMMES, m.organisation, params(query))
    return page_dict(page_of(rows, query.page, query.page_size))


@router.post(
    "/audit-programmes", response={201: ProgrammeDetailOut}, summary="Create an audit programme"
)
def create_programme(request: AimwellRequest, payload: ProgrammeIn) -> Status[dict[str, Any]]:
    m = require_any(request, *AUDIT_WRITERS)
    values = payload.model_dump()
    values["owner"] = member_user(m.organisation, values.pop("owner_email"))
    programme = audit_services.create_programme(m.organisation, actor=request.user, **values)
    return Status(201, _programme_detail(programme))


@router.get(
    "/audit-programmes/{programme_id}",
    response=ProgrammeDetailOut,
    summary="An audit programme and its coverage of clauses and controls",
)
def get_programme(request: AimwellRequest, programme_id: uuid.UUID) -> dict[str, Any]:
    return _programme_detail(get_object(request, AuditProgramme.objects.all(), programme_id))


@router.patch(
    "/audit-programmes/{programme_id}",
    response=ProgrammeDetailOut,
    summary="Change an audit programme",
)
def update_programme(
    request: AimwellRequest, programme_id: uuid.UUID, payload: ProgrammePatch
) -> dict[str, Any]:
    m = require_any(request, *AUDIT_WRITERS)
    programme = get_object(request, AuditProgramme.objects.all(), programme_id)
    concurrency.fetched(programme, write=True)
    changes = payload.model_dump(exclude_unset=True)
    if "owner_email" in changes:
        changes["owner"] = member_user(m.organisation, changes.pop("owner_email"))
    audit_services.update_programme(programme, actor=request.user, **changes)
    return _programme_detail(programme)


def _audit_detail(audit: Audit) -> dict[str, Any]:
    audit = (
        Audit.objects.select_related("lead_auditor")
        .prefetch_related("requirements", "sampled_systems")
        .get(pk=audit.pk)
    )
    return {
        **{
            f: getattr(audit, f)
            for f in (
                "id",
                "reference",
                "title",
                "status",
                "planned_start",
                "planned_end",
                "lead_auditor",
                "programme_id",
                "scope",
                "criteria",
                "processes",
                "conclusion",
                "reported_on",
            )
        },
        "finding_count": audit.findings.count(),
        "requirements": list(audit.requirements.all()),
        "sampled_systems": list(audit.sampled_systems.all()),
        "checklist": list(audit.checklist.select_related("requirement")),
        "findings": list(audit.findings.select_related("requirement", "system", "nonconformity")),
    }


def _audit_for_write(request: AimwellRequest, audit_id: uuid.UUID) -> Audit:
    return get_object(  # type: ignore[no-any-return]
        request, Audit.objects.all(), audit_id, write=True, audit_record=True
    )


@router.get("/audits", response=AuditPage, summary="Internal audits (filter, sort, paginate)")
def list_audits(request: AimwellRequest, query: Query[AuditQuery]) -> dict[str, Any]:
    m = membership(request)
    rows = filtered(querysets.AUDITS, m.organisation, params(query))
    return page_dict(page_of(rows, query.page, query.page_size))


@router.post("/audits", response={201: AuditDetailOut}, summary="Plan an internal audit")
def create_audit(request: AimwellRequest, payload: AuditIn) -> Status[dict[str, Any]]:
    m = require_any(request, *AUDIT_WRITERS)
    org = m.organisation
    values = payload.model_dump()
    programme = None
    if values["programme_id"]:
        programme = AuditProgramme.objects.filter(
            organisation=org, pk=values["programme_id"]
        ).first()
        if programme is None:
            raise HttpError(400, "No such audit programme in this organisation.")
    audit = audit_services.create_audit(
        org,
        actor=request.user,
        title=values["title"],
        scope=values["scope"],
        criteria=values["criteria"],
        planned_start=values["planned_start"],
        planned_end=values["planned_end"],
        lead_auditor=member_user(org, values["lead_auditor_email"]),
        programme=programme,
        processes=values["processes"],
        requirements=nodes_by_urn(values["requirement_urns"]),
        systems=systems_by_id(org, values["system_ids"]),
    )
    return Status(201, _audit_detail(audit))


@router.get("/audits/{audit_id}", response=AuditDetailOut, summary="An audit with its checklist")
def get_audit(request: AimwellRequest, audit_id: uuid.UUID) -> dict[str, Any]:
    return _audit_detail(get_object(request, Audit.objects.all(), audit_id))


@router.patch("/audits/{audit_id}", response=AuditDetailOut, summary="Change an audit")
def update_audit(
    request: AimwellRequest, audit_id: uuid.UUID, payload: AuditPatch
) -> dict[str, Any]:
    audit = _audit_for_write(request, audit_id)
    org = audit.organisation
    changes = payload.model_dump(exclude_unset=True)
    urns = changes.pop("requirement_urns", None)
    ids = changes.pop("system_ids", None)
    if "lead_auditor_email" in changes:
        changes["lead_auditor"] = member_user(org, changes.pop("lead_auditor_email"))
    changes = {k: v for k, v in changes.items() if v is not None}
    if changes:
        audit_services.update_audit(audit, actor=request.user, **changes)
    if urns is not None or ids is not None:
        audit_services.set_scope(
            audit,
            actor=request.user,
            requirements=nodes_by_urn(urns) if urns is not None else None,
            systems=systems_by_id(org, ids) if ids is not None else None,
        )
    return _audit_detail(audit)


@router.post("/audits/{audit_id}/start", response=AuditDetailOut, summary="Start an audit")
def start_audit(request: AimwellRequest, audit_id: uuid.UUID) -> dict[str, Any]:
    audit = _audit_for_write(request, audit_id)
    audit_services.start_audit(audit, actor=request.user)
    return _audit_detail(audit)


@router.post(
    "/audits/{audit_id}/sample",
    response=AuditDetailOut,
    summary="Draw a random sample of in-scope AI systems (the auditor's own are left out)",
)
def sample_audit(request: AimwellRequest, audit_id: uuid.UUID, payload: SampleIn) -> dict[str, Any]:
    audit = _audit_for_write(request, audit_id)
    audit_services.sample_systems(audit, actor=request.user, size=payload.size, seed=payload.seed)
    return _audit_detail(audit)


@router.patch(
    "/audits/{audit_id}/checklist/{item_id}",
    response=ChecklistItemOut,
    summary="Record the result of a checklist question",
)
def assess_item(
    request: AimwellRequest, audit_id: uuid.UUID, item_id: uuid.UUID, payload: ChecklistPatch
) -> ChecklistItem:
    audit = _audit_for_write(request, audit_id)
    item: ChecklistItem | None = (
        ChecklistItem.objects.filter(audit=audit, pk=item_id).select_related("audit").first()
    )
    if item is None:
        raise HttpError(404, "Not found.")
    audit_services.assess(item, actor=request.user, **payload.model_dump())
    return item


@router.post(
    "/audits/{audit_id}/findings",
    response={201: FindingOut},
    summary="Record a finding (a nonconformity finding raises a nonconformity)",
)
def add_finding(
    request: AimwellRequest, audit_id: uuid.UUID, payload: FindingIn
) -> Status[Finding]:
    audit = _audit_for_write(request, audit_id)
    org = audit.organisation
    values = payload.model_dump()
    evidence = list(EvidenceItem.objects.filter(organisation=org, pk__in=values["evidence_ids"]))
    if len(evidence) != len(set(values["evidence_ids"])):
        raise HttpError(400, "No such evidence item in this organisation.")
    finding = audit_services.add_finding(
        audit,
        actor=request.user,
        kind=values["kind"],
        title=values["title"],
        description=values["description"],
        requirement=node_by_urn(values["requirement_urn"]),
        system=system_by_id(org, values["system_id"]),
        evidence_reviewed=values["evidence_reviewed"],
        evidence=evidence,
        owner=member_user(org, values["owner_email"]),
        due_date=values["due_date"],
    )
    return Status(201, finding)


@router.post("/audits/{audit_id}/report", response=AuditDetailOut, summary="Issue the report")
def issue_report(request: AimwellRequest, audit_id: uuid.UUID, payload: ReportIn) -> dict[str, Any]:
    audit = _audit_for_write(request, audit_id)
    audit_services.issue_report(audit, actor=request.user, conclusion=payload.conclusion)
    return _audit_detail(audit)


@router.get("/findings", response=FindingPage, summary="Audit findings (filter, paginate)")
def list_findings(request: AimwellRequest, query: Query[FindingQuery]) -> dict[str, Any]:
    m = membership(request)
    rows = filtered(querysets.FINDINGS, m.organisation, params(query))
    return page_dict(page_of(rows, query.page, query.page_size))
