"""Models of context (4.1, 4.2), governance (5.1, 5.3, A.3.2) and scope (4.3)."""

from aimwell.context.models.context import (
    Applicability,
    ContextIssue,
    InterestedParty,
    LegalRequirement,
    Objective,
    OrganisationAIRole,
)
from aimwell.context.models.governance import (
    AIMSRole,
    Decision,
    LeadershipCommitment,
    Meeting,
    OversightBody,
    Principle,
    PrincipleLink,
    RaciEntry,
)
from aimwell.context.models.scope import ScopeVersion

__all__ = [
    "AIMSRole",
    "Applicability",
    "ContextIssue",
    "Decision",
    "InterestedParty",
    "LeadershipCommitment",
    "LegalRequirement",
    "Meeting",
    "Objective",
    "OrganisationAIRole",
    "OversightBody",
    "Principle",
    "PrincipleLink",
    "RaciEntry",
    "ScopeVersion",
]
