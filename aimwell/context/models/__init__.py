"""Models of context (4.1, 4.2) and scope (4.3); governance's are in `aimwell.governance`."""

from aimwell.context.models.context import (
    Applicability,
    ContextIssue,
    InterestedParty,
    LegalRequirement,
    Objective,
    OrganisationAIRole,
)
from aimwell.context.models.scope import ScopeVersion

__all__ = [
    "Applicability",
    "ContextIssue",
    "InterestedParty",
    "LegalRequirement",
    "Objective",
    "OrganisationAIRole",
    "ScopeVersion",
]
