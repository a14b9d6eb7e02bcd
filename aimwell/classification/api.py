"""REST endpoints of the EU AI Act classification."""

import datetime as dt
import uuid
from typing import Any

from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from aimwell.accounts.access import get_for_user, request_organisation, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.classification import matrix as classification_matrix
from aimwell.classification import services as service
from aimwell.classification.engine import AnswersError, next_question, visible_questions
from aimwell.classification.models import Classification
from aimwell.classification.review import CLASSIFICATION_SUBJECT
from aimwell.inventory.choices import EUOperatorRole
from aimwell.inventory.models import AISystem, ReviewFlag

# Tagged with the inventory, where the classification endpoints were first documented.
router = Router(tags=["inventory"])


class OptionOut(Schema):
    id: str
    label: str
    help: str


class QuestionOut(Schema):
    id: str
    section: str
    type: str
    text: str
    help: str
    required: bool
    unit: str
    options: list[OptionOut]


class RulesOut(Schema):
    key: str
    version: str
    title: str
    sources: list[str]
    questions: list[QuestionOut]


class ClassifyIn(Schema):
    answers: dict[str, Any] = Field(..., description="question id -> answer")
    role: EUOperatorRole | None = Field(
        None, description="one role; default: the roles the organisation holds for the system"
    )
    roles: list[EUOperatorRole] | None = Field(
        None,
        description="several roles at once (e.g. provider and deployer); default: the system's",
    )

    def chosen_roles(self, system: AISystem) -> list[str]:
        if self.roles:
            return [str(r.value) for r in self.roles]
        if self.role:
            return [str(self.role.value)]
        return list(system.eu_roles or []) or ["deployer"]


class PreviewOut(Schema):
    complete: bool
    visible_questions: list[str]
    next_question: str | None
    errors: dict[str, str]
    outcome: dict[str, Any] | None


class ObligationOut(Schema):
    node_id: str
    roles: list[str] = Field(..., description="the operator roles the obligation falls on")
    urn: str
    title: str
    applies_from: list[dict[str, Any]]


class ClassificationOut(Schema):
    id: uuid.UUID
    system_id: uuid.UUID
    risk_class: str
    legal_basis: list[str]
    duties: list[str]
    rationale: list[str]
    obligations: list[ObligationOut]
    flags: list[str]
    citations: list[str]
    operator_role: str
    operator_roles: list[str]
    answers: dict[str, Any]
    ruleset_version: str
    rules_current: bool = Field(
        ..., description="false when decided under an older rule version than the one in use"
    )
    decided_by: str
    created_at: dt.datetime
    is_current: bool
    needs_review: bool


def _out(c: Classification, flagged: set[str], latest: str | None) -> dict[str, Any]:
    return {
        "id": c.pk,
        "system_id": c.system_id,
        "risk_class": c.risk_class,
        "legal_basis": c.legal_basis,
        "duties": c.duties,
        "rationale": c.rationale,
        "obligations": service.obligations_with_dates(c),
        "operator_role": c.operator_role,
        "operator_roles": c.operator_roles or ([c.operator_role] if c.operator_role else []),
        "flags": c.flags,
        "citations": c.citations,
        "answers": c.answers,
        "ruleset_version": c.ruleset.version,
        "rules_current": service.newer_rules(c, latest) is None,
        "decided_by": c.decided_by_label,
        "created_at": c.created_at,
        "is_current": c.is_current,
        "needs_review": str(c.pk) in flagged,
    }


def _flagged(system: AISystem) -> set[str]:
    return set(
        ReviewFlag.objects.filter(
            system=system, resolved_at__isnull=True, subject_type=CLASSIFICATION_SUBJECT
        ).values_list("subject_id", flat=True)
    )


@router.get(
    "/classification/rules",
    response=RulesOut,
    summary="The current EU AI Act classification rules and their questions",
)
def get_rules(request: AimwellRequest) -> dict[str, Any]:
    require(request.membership, Capability.READ_ALL)
    rules = service.rules_of(service.latest_rule_set())
    return {
        "key": rules.key,
        "version": rules.version,
        "title": rules.title,
        "sources": list(rules.sources),
        "questions": [
            {
                "id": q.id,
                "section": q.section,
                "type": q.type,
                "text": q.text,
                "help": q.help,
                "required": q.required,
                "unit": q.unit,
                "options": [{"id": o.id, "label": o.label, "help": o.help} for o in q.options],
            }
            for q in rules.questions
        ],
    }


@router.post(
    "/ai-systems/{system_id}/classification/preview",
    response=PreviewOut,
    summary="Which questions apply to these answers, and the outcome once complete",
)
def preview_classification(
    request: AimwellRequest, system_id: uuid.UUID, payload: ClassifyIn
) -> dict[str, Any]:
    system, _ = get_for_user(
        request.user, AISystem.objects.all(), system_id, organisation=request_organisation(request)
    )
    roles = payload.chosen_roles(system)
    rules, answers, outcome, errors = service.preview(
        service.latest_rule_set(), payload.answers, roles
    )
    nxt = next_question(rules, answers, roles)
    return {
        "complete": outcome is not None,
        "visible_questions": [q.id for q in visible_questions(rules, answers, roles)],
        "next_question": nxt.id if nxt else None,
        "errors": errors,
        "outcome": outcome.to_dict() if outcome else None,
    }


@router.post(
    "/ai-systems/{system_id}/classification",
    response={201: ClassificationOut},
    summary="Classify the system (keeps earlier decisions as history)",
)
def classify_system(
    request: AimwellRequest, system_id: uuid.UUID, payload: ClassifyIn
) -> Status[dict[str, Any]]:
    system, _ = get_for_user(
        request.user,
        AISystem.objects.all(),
        system_id,
        organisation=request_organisation(request),
        write=True,
    )
    try:
        result = service.classify_system(
            system,
            payload.answers,
            actor=request.user,
            role=payload.chosen_roles(system) if payload.roles or payload.role else None,
        )
    except AnswersError as exc:
        raise HttpError(422, "The answers are incomplete or invalid: " + str(exc)) from exc
    return Status(201, _out(result, _flagged(system), result.ruleset.version))


@router.get(
    "/ai-systems/{system_id}/classifications",
    response=list[ClassificationOut],
    summary="The system's classifications, newest first",
)
def list_classifications(request: AimwellRequest, system_id: uuid.UUID) -> list[dict[str, Any]]:
    system, _ = get_for_user(
        request.user, AISystem.objects.all(), system_id, organisation=request_organisation(request)
    )
    flagged = _flagged(system)
    latest = service.latest_rules_version()
    rows = system.classifications.select_related("ruleset").order_by("-created_at")
    return [_out(c, flagged, latest) for c in rows]


class MatrixControlOut(Schema):
    ref: str
    title: str
    applicable: bool | None
    status: str = Field(..., description="the SoA implementation status; '' when undecided")


class MatrixRecordOut(Schema):
    kind: str
    label: str
    count: int
    met: bool


class MatrixEvidenceOut(Schema):
    id: uuid.UUID
    title: str
    current: bool


class MatrixRowOut(Schema):
    node_id: str
    urn: str
    provision: str = Field(..., description="e.g. Art. 27, Annex IV")
    title: str
    roles: list[str] = Field(..., description="the operator roles the obligation falls on")
    status: str = Field(..., description="met, partly or open, computed from the state below")
    missing: list[str]
    controls: list[MatrixControlOut]
    records: list[MatrixRecordOut]
    evidence: list[MatrixEvidenceOut]


class ComplianceMatrixOut(Schema):
    system_id: uuid.UUID
    system: str
    risk_class: str | None
    roles: list[str]
    rules_version: str | None
    summary: dict[str, int]
    rows: list[MatrixRowOut]


@router.get(
    "/ai-systems/{system_id}/compliance-matrix",
    response=ComplianceMatrixOut,
    summary="EU AI Act obligations of the system with the controls, records and evidence that "
    "meet them, and a computed status",
)
def compliance_matrix(request: AimwellRequest, system_id: uuid.UUID) -> dict[str, Any]:
    system, _ = get_for_user(
        request.user, AISystem.objects.all(), system_id, organisation=request_organisation(request)
    )
    return classification_matrix.as_dict(classification_matrix.system_matrix(system))
