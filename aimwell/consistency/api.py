"""REST endpoints of the pre-audit check: run it, list its rules, acknowledge a finding with a
reason or withdraw an acknowledgement."""

from __future__ import annotations

import uuid
from typing import Any

from ninja import Router, Status
from ninja.errors import HttpError

from aimwell.accounts.access import require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, Role
from aimwell.consistency import engine, services
from aimwell.consistency.models import Acknowledgement
from aimwell.consistency.registry import RULES, Area, Severity
from aimwell.consistency.schemas import AcknowledgeIn, AcknowledgementOut, CheckOut, RuleOut

router = Router(tags=["Pre-audit check"])
BASE = "/pre-audit-check"


def _reader(request: AimwellRequest) -> Any:
    membership = require(request.membership, Capability.READ_ALL)
    if membership.role == Role.EXTERNAL_AUDITOR:
        raise HttpError(403, "The pre-audit check is for the organisation's members.")
    return membership


def _manager(request: AimwellRequest) -> Any:
    return require(request.membership, Capability.MANAGE_AIMS)


@router.get(BASE, response=CheckOut, summary="Run the pre-audit check")
def run_check(
    request: AimwellRequest, severity: str | None = None, area: str | None = None
) -> dict[str, Any]:
    """Every finding, grouped order by clause; filter by `severity` (major, minor, observation)
    and `area` (time, statements, coverage, records, lifecycle). Counts are of all findings."""
    membership = _reader(request)
    if severity is not None and severity not in Severity._value2member_map_:
        raise HttpError(400, "severity is one of major, minor, observation.")
    if area is not None and area not in Area._value2member_map_:
        raise HttpError(400, "area is one of time, statements, coverage, records, lifecycle.")
    data = engine.run(membership.organisation).as_dict()
    data["findings"] = [
        f
        for f in data["findings"]
        if (severity is None or f["severity"] == severity) and (area is None or f["area"] == area)
    ]
    return data


@router.get(BASE + "/rules", response=list[RuleOut], summary="The rules of the pre-audit check")
def list_rules(request: AimwellRequest) -> list[dict[str, str]]:
    _reader(request)
    return [
        {
            "key": r.key,
            "title": r.title,
            "clause": r.clause,
            "severity": r.severity.value,
            "area": r.area.value,
            "example": r.example,
            "fix": r.fix,
        }
        for r in RULES.values()
    ]


@router.get(
    BASE + "/acknowledgements",
    response=list[AcknowledgementOut],
    summary="Acknowledged findings",
)
def list_acknowledgements(request: AimwellRequest) -> list[Acknowledgement]:
    membership = _reader(request)
    return list(Acknowledgement.objects.filter(organisation=membership.organisation))


@router.post(
    BASE + "/acknowledgements",
    response={201: AcknowledgementOut},
    summary="Acknowledge a finding with a reason (AIMS managers)",
)
def acknowledge(request: AimwellRequest, payload: AcknowledgeIn) -> Status[Acknowledgement]:
    membership = _manager(request)
    try:
        ack = services.acknowledge(
            membership.organisation,
            payload.finding,
            reason=payload.reason,
            actor=request.user,
            membership=membership,
        )
    except services.ConsistencyError as exc:
        raise HttpError(400, exc.message) from exc
    return Status(201, ack)


@router.delete(
    BASE + "/acknowledgements/{acknowledgement_id}",
    response={204: None},
    summary="Withdraw an acknowledgement (AIMS managers)",
)
def withdraw(request: AimwellRequest, acknowledgement_id: uuid.UUID) -> Status[None]:
    membership = _manager(request)
    ack = Acknowledgement.objects.filter(
        organisation=membership.organisation, pk=acknowledgement_id
    ).first()
    if ack is None:
        raise HttpError(404, "No such acknowledgement.")
    services.withdraw(ack, actor=request.user, membership=membership)
    return Status(204, None)
