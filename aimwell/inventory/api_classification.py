"""REST endpoints of the EU AI Act classification (added to the inventory router)."""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from aimwell.accounts.access import get_for_user, request_organisation, require
from aimwell.accounts.roles import Capability
from aimwell.inventory import classification as service
from aimwell.inventory.api import router
from aimwell.inventory.choices import EUOperatorRole
from aimwell.inventory.classification_engine import AnswersError, next_question, visible_questions
from aimwell.inventory.models import AISystem, Classification, ReviewFlag


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
    role: EUOperatorRole | None = Field(None, description="default: the system's EU role")


class PreviewOut(Schema):
    complete: bool
    visible_questions: list[str]
    next_question: str | None
    errors: dict[str, str]
    outcome: dict[str, Any] | None


class ObligationOut(Schema):
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
            system=system, resolved_at__isnull=True, subject_type="inventory.classification"
        ).values_list("subject_id", flat=True)
    )


@router.get(
    "/classification/rules",
    response=RulesOut,
    summary="The current EU AI Act classification rules and their questions",
)
def get_rules(request: HttpRequest) -> dict[str, Any]:
    require(request.membership, Capability.READ_ALL)  # type: ignore[attr-defined]
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
    request: HttpRequest, system_id: uuid.UUID, payload: ClassifyIn
) -> dict[str, Any]:
    system, _ = get_for_user(
        request.user, AISystem.objects.all(), system_id, organisation=request_organisation(request)
    )
    role = payload.role or system.eu_role or "deployer"
    rules, answers, outcome, errors = service.preview(
        service.latest_rule_set(), payload.answers, role
    )
    nxt = next_question(rules, answers)
    return {
        "complete": outcome is not None,
        "visible_questions": [q.id for q in visible_questions(rules, answers)],
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
    request: HttpRequest, system_id: uuid.UUID, payload: ClassifyIn
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
            system, payload.answers, actor=request.user, role=payload.role
        )
    except AnswersError as exc:
        raise HttpError(422, "The answers are incomplete or invalid: " + str(exc)) from exc
    return Status(201, _out(result, _flagged(system), result.ruleset.version))


@router.get(
    "/ai-systems/{system_id}/classifications",
    response=list[ClassificationOut],
    summary="The system's classifications, newest first",
)
def list_classifications(request: HttpRequest, system_id: uuid.UUID) -> list[dict[str, Any]]:
    system, _ = get_for_user(
        request.user, AISystem.objects.all(), system_id, organisation=request_organisation(request)
    )
    flagged = _flagged(system)
    latest = service.latest_rules_version()
    rows = system.classifications.select_related("ruleset").order_by("-created_at")
    return [_out(c, flagged, latest) for c in rows]
