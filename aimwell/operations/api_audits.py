"""REST endpoints of internal audit, nonconformities and actions."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Query, Status
from ninja.errors import HttpError

from aimwell.accounts.access import get_for_user
from aimwell.accounts.lookups import member_user
from aimwell.accounts.roles import Capability, can, can_write
from aimwell.core import concurrency
from aimwell.evidence.models import EvidenceItem
from aimwell.operations import querysets
from aimwell.operations.api_support import (
    guard,
    membership,
    node_by_urn,
    nodes_by_urn,
    page_dict,
    params,
    require_any,
    router,
    system_by_id,
    systems_by_id,
)
from aimwell.operations.models import (
    Action,
    Audit,
    AuditProgramme,
    ChecklistItem,
    Finding,
    Nonconformity,
)
from aimwell.operations.schemas import (
    ActionIn,
    ActionOut,
    ActionPage,
    ActionPatch,
    ActionQuery,
    AuditDetailOut,
    AuditIn,
    AuditPage,
    AuditPatch,
    AuditQuery,
    CancelIn,
    ChecklistItemOut,
    ChecklistPatch,
    CloseIn,
    CompleteIn,
    CorrectionIn,
    FindingIn,
    FindingOut,
    FindingPage,
    FindingQuery,
    ListQuery,
    NonconformityDetailOut,
    NonconformityIn,
    NonconformityPage,
    NonconformityPatch,
    NonconformityQuery,
    ProgrammeDetailOut,
    ProgrammeIn,
    ProgrammePage,
    ProgrammePatch,
    ReportIn,
    RootCauseIn,
    SampleIn,
    VerificationIn,
)
from aimwell.operations.services import audits as audit_services
from aimwell.operations.services import improvement

AUDIT_WRITERS = (Capability.MANAGE_AIMS, Capability.WRITE_AUDIT_RECORDS)


def _get(request: HttpRequest, qs: Any, pk: Any, **kw: Any) -> Any:
    obj, _ = get_for_user(
        request.user,
        qs,
        pk,
        organisation=request.organisation,  # type: ignore[attr-defined]
        **kw,
    )
    return obj


# Programmes --------------------------------------------------------------------------------------


def _programme_detail(programme: AuditProgramme) -> dict[str, Any]:
    return {
        **{f: getattr(programme, f) for f in ("id", "title", "cycle_start", "cycle_end")},
        "objectives": programme.objectives,
        "owner": programme.owner,
        "audit_count": programme.audits.count(),
        "coverage": audit_services.coverage(programme),
    }


@router.get("/audit-programmes", response=ProgrammePage, summary="Audit programmes")
def list_programmes(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    m = membership(request)
    rows = querysets.filtered("programmes", m.organisation, params(query))
    return page_dict(querysets.page_of(rows, query.page, query.page_size))


@router.post(
    "/audit-programmes", response={201: ProgrammeDetailOut}, summary="Create an audit programme"
)
def create_programme(request: HttpRequest, payload: ProgrammeIn) -> Status[dict[str, Any]]:
    m = require_any(request, *AUDIT_WRITERS)
    values = payload.model_dump()
    values["owner"] = member_user(m.organisation, values.pop("owner_email"))
    programme = guard(
        lambda: audit_services.create_programme(m.organisation, actor=request.user, **values)
    )
    return Status(201, _programme_detail(programme))


@router.get(
    "/audit-programmes/{programme_id}",
    response=ProgrammeDetailOut,
    summary="An audit programme and its coverage of clauses and controls",
)
def get_programme(request: HttpRequest, programme_id: uuid.UUID) -> dict[str, Any]:
    return _programme_detail(_get(request, AuditProgramme.objects.all(), programme_id))


@router.patch(
    "/audit-programmes/{programme_id}",
    response=ProgrammeDetailOut,
    summary="Change an audit programme",
)
def update_programme(
    request: HttpRequest, programme_id: uuid.UUID, payload: ProgrammePatch
) -> dict[str, Any]:
    m = require_any(request, *AUDIT_WRITERS)
    programme = _get(request, AuditProgramme.objects.all(), programme_id)
    concurrency.fetched(programme, write=True)
    changes = payload.model_dump(exclude_unset=True)
    if "owner_email" in changes:
        changes["owner"] = member_user(m.organisation, changes.pop("owner_email"))
    guard(lambda: audit_services.update_programme(programme, actor=request.user, **changes))
    return _programme_detail(programme)


# Audits ------------------------------------------------------------------------------------------


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


def _audit_for_write(request: HttpRequest, audit_id: uuid.UUID) -> Audit:
    return _get(  # type: ignore[no-any-return]
        request, Audit.objects.all(), audit_id, write=True, audit_record=True
    )


@router.get("/audits", response=AuditPage, summary="Internal audits (filter, sort, paginate)")
def list_audits(request: HttpRequest, query: Query[AuditQuery]) -> dict[str, Any]:
    m = membership(request)
    rows = guard(lambda: querysets.filtered("audits", m.organisation, params(query)))
    return page_dict(querysets.page_of(rows, query.page, query.page_size))


@router.post("/audits", response={201: AuditDetailOut}, summary="Plan an internal audit")
def create_audit(request: HttpRequest, payload: AuditIn) -> Status[dict[str, Any]]:
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
    audit = guard(
        lambda: audit_services.create_audit(
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
    )
    return Status(201, _audit_detail(audit))


@router.get("/audits/{audit_id}", response=AuditDetailOut, summary="An audit with its checklist")
def get_audit(request: HttpRequest, audit_id: uuid.UUID) -> dict[str, Any]:
    return _audit_detail(_get(request, Audit.objects.all(), audit_id))


@router.patch("/audits/{audit_id}", response=AuditDetailOut, summary="Change an audit")
def update_audit(request: HttpRequest, audit_id: uuid.UUID, payload: AuditPatch) -> dict[str, Any]:
    audit = _audit_for_write(request, audit_id)
    org = audit.organisation
    changes = payload.model_dump(exclude_unset=True)
    urns = changes.pop("requirement_urns", None)
    ids = changes.pop("system_ids", None)
    if "lead_auditor_email" in changes:
        changes["lead_auditor"] = member_user(org, changes.pop("lead_auditor_email"))
    changes = {k: v for k, v in changes.items() if v is not None}
    if changes:
        guard(lambda: audit_services.update_audit(audit, actor=request.user, **changes))
    if urns is not None or ids is not None:
        guard(
            lambda: audit_services.set_scope(
                audit,
                actor=request.user,
                requirements=nodes_by_urn(urns) if urns is not None else None,
                systems=systems_by_id(org, ids) if ids is not None else None,
            )
        )
    return _audit_detail(audit)


@router.post("/audits/{audit_id}/start", response=AuditDetailOut, summary="Start an audit")
def start_audit(request: HttpRequest, audit_id: uuid.UUID) -> dict[str, Any]:
    audit = _audit_for_write(request, audit_id)
    guard(lambda: audit_services.start_audit(audit, actor=request.user))
    return _audit_detail(audit)


@router.post(
    "/audits/{audit_id}/sample",
    response=AuditDetailOut,
    summary="Draw a random sample of in-scope AI systems (the auditor's own are left out)",
)
def sample_audit(request: HttpRequest, audit_id: uuid.UUID, payload: SampleIn) -> dict[str, Any]:
    audit = _audit_for_write(request, audit_id)
    guard(
        lambda: audit_services.sample_systems(
            audit, actor=request.user, size=payload.size, seed=payload.seed
        )
    )
    return _audit_detail(audit)


@router.patch(
    "/audits/{audit_id}/checklist/{item_id}",
    response=ChecklistItemOut,
    summary="Record the result of a checklist question",
)
def assess_item(
    request: HttpRequest, audit_id: uuid.UUID, item_id: uuid.UUID, payload: ChecklistPatch
) -> ChecklistItem:
    audit = _audit_for_write(request, audit_id)
    item = ChecklistItem.objects.filter(audit=audit, pk=item_id).select_related("audit").first()
    if item is None:
        raise HttpError(404, "Not found.")
    guard(lambda: audit_services.assess(item, actor=request.user, **payload.model_dump()))
    return item


@router.post(
    "/audits/{audit_id}/findings",
    response={201: FindingOut},
    summary="Record a finding (a nonconformity finding raises a nonconformity)",
)
def add_finding(request: HttpRequest, audit_id: uuid.UUID, payload: FindingIn) -> Status[Finding]:
    audit = _audit_for_write(request, audit_id)
    org = audit.organisation
    values = payload.model_dump()
    evidence = list(EvidenceItem.objects.filter(organisation=org, pk__in=values["evidence_ids"]))
    if len(evidence) != len(set(values["evidence_ids"])):
        raise HttpError(400, "No such evidence item in this organisation.")
    finding = guard(
        lambda: audit_services.add_finding(
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
    )
    return Status(201, finding)


@router.post("/audits/{audit_id}/report", response=AuditDetailOut, summary="Issue the report")
def issue_report(request: HttpRequest, audit_id: uuid.UUID, payload: ReportIn) -> dict[str, Any]:
    audit = _audit_for_write(request, audit_id)
    guard(
        lambda: audit_services.issue_report(
            audit, actor=request.user, conclusion=payload.conclusion
        )
    )
    return _audit_detail(audit)


@router.get("/findings", response=FindingPage, summary="Audit findings (filter, paginate)")
def list_findings(request: HttpRequest, query: Query[FindingQuery]) -> dict[str, Any]:
    m = membership(request)
    rows = guard(lambda: querysets.filtered("findings", m.organisation, params(query)))
    return page_dict(querysets.page_of(rows, query.page, query.page_size))


# Nonconformities ---------------------------------------------------------------------------------


def _nc_out(nc: Nonconformity) -> Nonconformity:
    """The nonconformity with what its detail schema reads, in a fixed number of queries."""
    return (
        Nonconformity.objects.select_related("owner", "requirement", "verified_by")
        .prefetch_related("systems", Prefetch("actions", Action.objects.select_related("owner")))
        .get(pk=nc.pk)
    )


def _nc_for(request: HttpRequest, nc_id: uuid.UUID, *, audit_record: bool = False) -> Nonconformity:
    return _get(  # type: ignore[no-any-return]
        request, Nonconformity.objects.all(), nc_id, write=True, audit_record=audit_record
    )


@router.get(
    "/nonconformities", response=NonconformityPage, summary="Nonconformities (filter, paginate)"
)
def list_nonconformities(request: HttpRequest, query: Query[NonconformityQuery]) -> dict[str, Any]:
    m = membership(request)
    rows = guard(lambda: querysets.filtered("nonconformities", m.organisation, params(query)))
    return page_dict(querysets.page_of(rows, query.page, query.page_size))


@router.post(
    "/nonconformities", response={201: NonconformityDetailOut}, summary="Raise a nonconformity"
)
def raise_nonconformity(request: HttpRequest, payload: NonconformityIn) -> Status[Nonconformity]:
    m = require_any(request, *AUDIT_WRITERS)
    org = m.organisation
    values = payload.model_dump()
    nc = guard(
        lambda: improvement.raise_nonconformity(
            org,
            actor=request.user,
            title=values["title"],
            description=values["description"],
            source=values["source"],
            severity=values["severity"],
            owner=member_user(org, values["owner_email"]),
            due_date=values["due_date"],
            requirement=node_by_urn(values["requirement_urn"]),
            systems=systems_by_id(org, values["system_ids"]),
        )
    )
    return Status(201, _nc_out(nc))


@router.get("/nonconformities/{nc_id}", response=NonconformityDetailOut, summary="A nonconformity")
def get_nonconformity(request: HttpRequest, nc_id: uuid.UUID) -> Nonconformity:
    return _nc_out(_get(request, Nonconformity.objects.all(), nc_id))


@router.patch(
    "/nonconformities/{nc_id}", response=NonconformityDetailOut, summary="Change a nonconformity"
)
def update_nonconformity(
    request: HttpRequest, nc_id: uuid.UUID, payload: NonconformityPatch
) -> Nonconformity:
    nc = _nc_for(request, nc_id)
    changes = payload.model_dump(exclude_unset=True)
    if "owner_email" in changes:
        changes["owner"] = member_user(nc.organisation, changes.pop("owner_email"))
    if "requirement_urn" in changes:
        changes["requirement"] = node_by_urn(changes.pop("requirement_urn"))
    guard(lambda: improvement.update_nonconformity(nc, actor=request.user, **changes))
    return _nc_out(nc)


@router.post(
    "/nonconformities/{nc_id}/correction",
    response=NonconformityDetailOut,
    summary="Record the correction",
)
def record_correction(
    request: HttpRequest, nc_id: uuid.UUID, payload: CorrectionIn
) -> Nonconformity:
    nc = _nc_for(request, nc_id)
    guard(
        lambda: improvement.record_correction(
            nc, actor=request.user, correction=payload.correction, done_on=payload.done_on
        )
    )
    return _nc_out(nc)


@router.post(
    "/nonconformities/{nc_id}/root-cause",
    response=NonconformityDetailOut,
    summary="Record the root cause",
)
def record_root_cause(
    request: HttpRequest, nc_id: uuid.UUID, payload: RootCauseIn
) -> Nonconformity:
    nc = _nc_for(request, nc_id)
    guard(
        lambda: improvement.record_root_cause(
            nc, actor=request.user, root_cause=payload.root_cause, method=payload.method
        )
    )
    return _nc_out(nc)


@router.post(
    "/nonconformities/{nc_id}/actions",
    response={201: ActionOut},
    summary="Plan a corrective action",
)
def add_corrective_action(
    request: HttpRequest, nc_id: uuid.UUID, payload: ActionIn
) -> Status[Action]:
    nc = _nc_for(request, nc_id)
    action = guard(
        lambda: improvement.add_corrective_action(
            nc,
            actor=request.user,
            title=payload.title,
            description=payload.description,
            owner=member_user(nc.organisation, payload.owner_email),
            due_date=payload.due_date,
        )
    )
    return Status(201, action)


@router.post(
    "/nonconformities/{nc_id}/verification",
    response=NonconformityDetailOut,
    summary="Verify the effectiveness of the corrective action",
)
def verify(request: HttpRequest, nc_id: uuid.UUID, payload: VerificationIn) -> Nonconformity:
    nc = _nc_for(request, nc_id, audit_record=True)
    guard(
        lambda: improvement.verify_effectiveness(
            nc,
            actor=request.user,
            result=payload.result,
            notes=payload.notes,
            on=payload.verified_on,
        )
    )
    return _nc_out(nc)


@router.post(
    "/nonconformities/{nc_id}/close",
    response=NonconformityDetailOut,
    summary="Close a nonconformity (only after its corrective action was verified effective)",
)
def close(request: HttpRequest, nc_id: uuid.UUID, payload: CloseIn) -> Nonconformity:
    nc = _nc_for(request, nc_id, audit_record=True)
    guard(lambda: improvement.close_nonconformity(nc, actor=request.user, on=payload.closed_on))
    return _nc_out(nc)


# Actions -----------------------------------------------------------------------------------------


def _action_for_write(request: HttpRequest, action_id: uuid.UUID) -> Action:
    """Managers, contributors who own it or its nonconformity, and any participant who owns it."""
    action, m = get_for_user(
        request.user,
        Action.objects.select_related("nonconformity", "owner"),
        action_id,
        organisation=request.organisation,  # type: ignore[attr-defined]
    )
    own = action.owner_id == request.user.pk and can(m, Capability.ACKNOWLEDGE)
    if not (own or can_write(m, action)):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Your role does not allow changing this.")
    concurrency.fetched(action, write=True)
    return action


@router.get("/actions", response=ActionPage, summary="Tracked actions (filter, paginate)")
def list_actions(request: HttpRequest, query: Query[ActionQuery]) -> dict[str, Any]:
    m = membership(request)
    base = Action.objects.all()
    if query.kind == "corrective":
        base = base.filter(nonconformity__isnull=False)
    elif query.kind == "review":
        base = base.filter(review__isnull=False)
    values = params(query)
    values.pop("kind", None)
    rows = guard(lambda: querysets.filtered("actions", m.organisation, values, base=base))
    return page_dict(querysets.page_of(rows, query.page, query.page_size))


@router.get("/actions/{action_id}", response=ActionOut, summary="A tracked action")
def get_action(request: HttpRequest, action_id: uuid.UUID) -> Action:
    return _get(request, Action.objects.select_related("owner"), action_id)  # type: ignore[no-any-return]


@router.patch("/actions/{action_id}", response=ActionOut, summary="Change an action")
def update_action(request: HttpRequest, action_id: uuid.UUID, payload: ActionPatch) -> Action:
    action = _action_for_write(request, action_id)
    changes = payload.model_dump(exclude_unset=True)
    if "owner_email" in changes:
        changes["owner"] = member_user(action.organisation, changes.pop("owner_email"))
    guard(lambda: improvement.update_action(action, actor=request.user, **changes))
    return action


@router.post("/actions/{action_id}/complete", response=ActionOut, summary="Complete an action")
def complete_action(request: HttpRequest, action_id: uuid.UUID, payload: CompleteIn) -> Action:
    action = _action_for_write(request, action_id)
    guard(
        lambda: improvement.complete_action(
            action, actor=request.user, note=payload.note, on=payload.completed_on
        )
    )
    return action


@router.post("/actions/{action_id}/cancel", response=ActionOut, summary="Cancel an action")
def cancel_action(request: HttpRequest, action_id: uuid.UUID, payload: CancelIn) -> Action:
    action = _action_for_write(request, action_id)
    guard(lambda: improvement.cancel_action(action, actor=request.user, reason=payload.reason))
    return action
