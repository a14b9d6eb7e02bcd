"""Writers of the context registers (4.1, 4.2): issues, interested parties, AI roles, the legal
register with applicability per AI system, and business objectives."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from aimwell.accounts.models import Organisation
from aimwell.context.errors import ContextError
from aimwell.context.models import (
    Applicability,
    ContextIssue,
    InterestedParty,
    LegalRequirement,
    Objective,
    OrganisationAIRole,
)
from aimwell.context.services import base
from aimwell.context.services.base import Spec
from aimwell.core.audit import diff, record_for
from aimwell.inventory.choices import AIRole
from aimwell.inventory.models import AISystem

ISSUE = Spec(
    ContextIssue,
    "context_issue",
    ContextIssue.AUDIT_FIELDS,
    m2m=("systems",),
    unique="title",
)
PARTY = Spec(
    InterestedParty,
    "interested_party",
    InterestedParty.AUDIT_FIELDS,
    m2m=("systems",),
    unique="name",
)
LEGAL = Spec(
    LegalRequirement,
    "legal_requirement",
    LegalRequirement.AUDIT_FIELDS,
    m2m=("catalog_nodes",),
    unique="name",
)
OBJECTIVE = Spec(Objective, "objective", Objective.AUDIT_FIELDS, unique="title")
AI_ROLE = Spec(OrganisationAIRole, "ai_role", OrganisationAIRole.AUDIT_FIELDS)


def create_issue(organisation: Organisation, *, actor: Any, **values: Any) -> ContextIssue:
    return base.create(ISSUE, organisation, actor=actor, **values)


def update_issue(issue: ContextIssue, *, actor: Any, **values: Any) -> ContextIssue:
    return base.update(ISSUE, issue, actor=actor, **values)


def delete_issue(issue: ContextIssue, *, actor: Any) -> None:
    base.delete(ISSUE, issue, actor=actor)


def create_party(organisation: Organisation, *, actor: Any, **values: Any) -> InterestedParty:
    return base.create(PARTY, organisation, actor=actor, **values)


def update_party(party: InterestedParty, *, actor: Any, **values: Any) -> InterestedParty:
    return base.update(PARTY, party, actor=actor, **values)


def delete_party(party: InterestedParty, *, actor: Any) -> None:
    base.delete(PARTY, party, actor=actor)


def create_legal_requirement(
    organisation: Organisation, *, actor: Any, **values: Any
) -> LegalRequirement:
    return base.create(LEGAL, organisation, actor=actor, **values)


def update_legal_requirement(
    requirement: LegalRequirement, *, actor: Any, **values: Any
) -> LegalRequirement:
    return base.update(LEGAL, requirement, actor=actor, **values)


def delete_legal_requirement(requirement: LegalRequirement, *, actor: Any) -> None:
    base.delete(LEGAL, requirement, actor=actor)


def create_objective(organisation: Organisation, *, actor: Any, **values: Any) -> Objective:
    return base.create(OBJECTIVE, organisation, actor=actor, **values)


def update_objective(objective: Objective, *, actor: Any, **values: Any) -> Objective:
    return base.update(OBJECTIVE, objective, actor=actor, **values)


def delete_objective(objective: Objective, *, actor: Any) -> None:
    base.delete(OBJECTIVE, objective, actor=actor)


@transaction.atomic
def set_ai_role(
    organisation: Organisation, role: str, *, actor: Any, note: str = ""
) -> OrganisationAIRole:
    """Declare that the organisation plays an AI role, or change the note on it."""
    try:
        role = AIRole(role).value
    except ValueError as exc:
        choices = ", ".join(AIRole.values)
        raise ContextError(f"Unknown AI role {role!r}; choose one of {choices}.", "role") from exc
    existing = OrganisationAIRole.objects.filter(organisation=organisation, role=role).first()
    if existing is None:
        return base.create(AI_ROLE, organisation, actor=actor, role=role, note=note)
    return base.update(AI_ROLE, existing, actor=actor, note=note)


def remove_ai_role(ai_role: OrganisationAIRole, *, actor: Any) -> None:
    base.delete(AI_ROLE, ai_role, actor=actor)


@transaction.atomic
def set_applicability(
    requirement: LegalRequirement, system: AISystem, *, actor: Any, note: str = ""
) -> Applicability:
    """Record that a requirement applies to an AI system (or change how)."""
    if system.organisation_id != requirement.organisation_id:
        raise ContextError(f"{system} is not an AI system of this organisation.", "system")
    if len(note) > 500:
        raise ContextError("Note: at most 500 characters.", "note")
    row = Applicability.objects.filter(requirement=requirement, system=system).first()
    if row is None:
        row = Applicability.objects.create(
            organisation_id=requirement.organisation_id,
            requirement=requirement,
            system=system,
            note=note,
        )
        changes = diff({}, {"requirement": requirement.name, "system": system.name, "note": note})
        record_for(requirement, actor=actor, action="legal_requirement.applies", changes=changes)
    elif row.note != note:
        changes = {"system": [system.name, system.name], "note": [row.note, note]}
        row.note = note
        row.save(update_fields=["note", "updated_at"])
        record_for(requirement, actor=actor, action="legal_requirement.applies", changes=changes)
    return row


@transaction.atomic
def remove_applicability(requirement: LegalRequirement, system: AISystem, *, actor: Any) -> None:
    row = Applicability.objects.filter(requirement=requirement, system=system).first()
    if row is None:
        raise ContextError(f"{requirement} is not recorded as applying to {system}.", "system")
    changes = diff({"system": system.name, "note": row.note}, {})
    row.delete()
    record_for(
        requirement, actor=actor, action="legal_requirement.no_longer_applies", changes=changes
    )
