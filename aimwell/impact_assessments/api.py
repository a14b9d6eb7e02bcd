"""REST endpoints of AI system impact assessments."""

from __future__ import annotations

import uuid
from typing import Any

from ninja import Router, Status
from ninja.errors import HttpError

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can_write
from aimwell.impact_assessments import querysets
from aimwell.impact_assessments import services as impact
from aimwell.impact_assessments.models import ImpactAssessment
from aimwell.impact_assessments.review import IMPACT_SUBJECT
from aimwell.impact_assessments.schemas import (
    ImpactDetailOut,
    ImpactIn,
    ImpactOut,
    ImpactPatch,
    RiskFromImpactIn,
)
from aimwell.inventory.models import AISystem
from aimwell.risks import edge
from aimwell.risks.presenters import risk_out
from aimwell.risks.review import open_flags
from aimwell.risks.schemas import ApproveIn, RiskDetailOut

# Listed under the risks as well, where the API documented them first.
router = Router(tags=["risks", "impact assessments"])


def _assessment(
    request: AimwellRequest, assessment_id: uuid.UUID, *, write: bool = False
) -> tuple[ImpactAssessment, Any]:
    return get_for_user(
        request.user,
        ImpactAssessment.objects.select_related("system", "owner"),
        assessment_id,
        organisation=request.organisation,
        write=write,
    )


def detail(assessment: ImpactAssessment) -> dict[str, Any]:
    flags = open_flags(IMPACT_SUBJECT, [assessment.pk]).get(str(assessment.pk), [])
    fields = [
        "id",
        "reference",
        "title",
        "system_id",
        "status",
        "fria_required",
        "dpia_required",
        "next_review_date",
        "approved_by_label",
        "approved_at",
        "intended_use",
        "foreseeable_misuse",
        "affected_individuals",
        "affected_groups",
        "vulnerable_groups",
        "societal_reach",
        "impacts",
        "overall_residual",
        "reassessment_triggers",
        "fria",
        "dpia_reference",
    ]
    return {
        **{f: getattr(assessment, f) for f in fields},
        "system": assessment.system.name,
        "review_overdue": assessment.review_overdue,
        "needs_review": bool(flags),
        "significant_areas": [r["key"] for r in assessment.significant_areas()],
        "owner": assessment.owner.email if assessment.owner_id else None,  # type: ignore[union-attr]
        "approval_problems": impact.approval_problems(assessment),
        "derived_risks": list(assessment.derived_risks.values_list("reference", flat=True)),
        "review_flags": flags,
    }


@router.get("/impact-assessments", response=list[ImpactOut], summary="Impact assessments")
def list_assessments(request: AimwellRequest, system: str | None = None) -> Any:
    membership = require(request.membership, Capability.READ_ALL)
    return querysets.assessments_list(membership.organisation, system)


@router.post(
    "/impact-assessments",
    response={201: ImpactDetailOut},
    summary="Start an impact assessment of an AI system",
)
def create_assessment(request: AimwellRequest, payload: ImpactIn) -> Status[Any]:
    membership = require(request.membership, Capability.CONTRIBUTE)
    org = membership.organisation
    system = AISystem.objects.filter(organisation=org, pk=payload.system_id).first()
    if system is None:
        raise HttpError(400, "No such AI system in this organisation.")
    if not can_write(membership, system):
        raise HttpError(403, "You may assess only the AI systems you own.")
    values = payload.model_dump(exclude_none=True)
    values.pop("system_id")

    def create() -> ImpactAssessment:
        email = values.pop("owner_email", None)
        values["owner"] = edge.member_user(org, email) if email else request.user
        if values.get("dpia_required") is None:
            values.pop("dpia_required", None)
        return impact.create_assessment(org, actor=request.user, system=system, **values)

    return Status(201, detail(create()))


@router.get(
    "/impact-assessments/{assessment_id}", response=ImpactDetailOut, summary="One assessment"
)
def get_assessment(request: AimwellRequest, assessment_id: uuid.UUID) -> dict[str, Any]:
    assessment, _ = _assessment(request, assessment_id)
    return detail(assessment)


@router.patch(
    "/impact-assessments/{assessment_id}",
    response=ImpactDetailOut,
    summary="Change an assessment (an approved one returns to draft)",
)
def update_assessment(
    request: AimwellRequest, assessment_id: uuid.UUID, payload: ImpactPatch
) -> dict[str, Any]:
    assessment, membership = _assessment(request, assessment_id, write=True)
    changes = payload.model_dump(exclude_unset=True)

    def update() -> ImpactAssessment:
        if "owner_email" in changes:
            changes["owner"] = edge.member_user(membership.organisation, changes.pop("owner_email"))
        return impact.update_assessment(assessment, actor=request.user, **changes)

    return detail(update())


@router.post(
    "/impact-assessments/{assessment_id}/approve",
    response=ImpactDetailOut,
    summary="Approve the assessment (closes its needs-review flags)",
)
def approve(request: AimwellRequest, assessment_id: uuid.UUID, payload: ApproveIn) -> Any:
    assessment, membership = _assessment(request, assessment_id)
    require(membership, Capability.MANAGE_AIMS)
    impact.approve(assessment, actor=request.user, membership=membership, note=payload.note)
    return detail(assessment)


@router.post(
    "/impact-assessments/{assessment_id}/risks",
    response={201: RiskDetailOut},
    summary="Turn a significant impact into a register risk",
)
def risk_from_impact(
    request: AimwellRequest, assessment_id: uuid.UUID, payload: RiskFromImpactIn
) -> Status[Any]:
    assessment, _ = _assessment(request, assessment_id, write=True)
    risk = impact.risk_from_impact(assessment, payload.area, actor=request.user)
    return Status(201, risk_out(risk))
