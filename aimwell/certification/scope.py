"""What a guest (external auditor) may open: the areas and AI systems of their engagements' audits.

Pages and API operations are matched by the first segment of their path, so the rule stays one
table instead of a check in every view of every app. A path that belongs to no known area is
refused unless the engagement covers every area: a new app is closed to guests until it is added
here, never open by accident."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from aimwell.certification.choices import Area

# First path segment of the web pages → area.
WEB_AREAS: dict[str, str] = {
    "documents": Area.DOCUMENTS,
    "evidence": Area.EVIDENCE,
    "risks": Area.RISKS,
    "risk-actions": Area.RISKS,
    "impact-assessments": Area.RISKS,
    "soa": Area.CONTROLS,
    "readiness": Area.CONTROLS,
    "baseline": Area.CONTROLS,
    "ai-systems": Area.SYSTEMS,
    "inventory": Area.SYSTEMS,
    "review-flags": Area.SYSTEMS,
    "monitoring": Area.SYSTEMS,
    "lifecycle": Area.SYSTEMS,
    "changes": Area.SYSTEMS,
    "operations": Area.OPERATIONS,
    "context": Area.CONTEXT,
    "audit": Area.AUDIT_TRAIL,
}

# First segment after /api/v1/ → area.
API_AREAS: dict[str, str] = {
    "documents": Area.DOCUMENTS,
    "evidence": Area.EVIDENCE,
    "risks": Area.RISKS,
    "risk-methods": Area.RISKS,
    "impact-assessments": Area.RISKS,
    "treatment-actions": Area.RISKS,
    "soa": Area.CONTROLS,
    "readiness": Area.CONTROLS,
    "baseline": Area.CONTROLS,
    "controls": Area.CONTROLS,
    "ai-systems": Area.SYSTEMS,
    "ai-models": Area.SYSTEMS,
    "datasets": Area.SYSTEMS,
    "suppliers": Area.SYSTEMS,
    "inventory": Area.SYSTEMS,
    "classification": Area.SYSTEMS,
    "review-flags": Area.SYSTEMS,
    "monitors": Area.SYSTEMS,
    "monitor-runs": Area.SYSTEMS,
    "monitoring": Area.SYSTEMS,
    "lifecycle": Area.SYSTEMS,
    "changes": Area.SYSTEMS,
    "audits": Area.OPERATIONS,
    "audit-programmes": Area.OPERATIONS,
    "findings": Area.OPERATIONS,
    "nonconformities": Area.OPERATIONS,
    "actions": Area.OPERATIONS,
    "management-reviews": Area.OPERATIONS,
    "incidents": Area.OPERATIONS,
    "concerns": Area.OPERATIONS,
    "trainings": Area.OPERATIONS,
    "training-records": Area.OPERATIONS,
    "training-gaps": Area.OPERATIONS,
    "ai-objectives": Area.OPERATIONS,
    "notifications": Area.OPERATIONS,
    "context": Area.CONTEXT,
    "scope": Area.CONTEXT,
    "principles": Area.CONTEXT,
    "oversight-bodies": Area.CONTEXT,
    "legal-requirements": Area.CONTEXT,
    "raci": Area.CONTEXT,
    "interested-parties": Area.CONTEXT,
    "objectives": Area.CONTEXT,
    "aims-roles": Area.CONTEXT,
    "leadership-commitments": Area.CONTEXT,
    "meetings": Area.CONTEXT,
    "decisions": Area.CONTEXT,
    "audit-events": Area.AUDIT_TRAIL,
}

# Open to every guest: the shell, signing in and out (with a second factor or single sign-on),
# their own account's security and the invitations sent to them, the framework catalog
# (reference content, no organisation data), the public transparency pages (open to anyone
# anyway), and the certification workspace, whose views check the engagement.
WEB_ALWAYS = {
    "",
    "signin",
    "signout",
    "password",
    "account",
    "invitations",
    "sso",
    "organisation",
    "catalog",
    "certification",
    "public",
}
API_ALWAYS = {"me", "catalog", "certification"}
# Writes a guest may make at all; everything else is refused before any view runs.
WRITE_ALLOWED_WEB = {
    "signout",
    "password",
    "account",
    "invitations",
    "sso",
    "organisation",
    "certification",
}
WRITE_ALLOWED_API = {"certification"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# POSTs that only check, compute or package what the guest may read (re-hashing evidence or the
# audit trail, previewing a classification, exporting a pack): treated as reads of their area. A
# certification pack spans every area, so it needs a scope that covers them all. Listed one by
# one so a new write never slips through by its name.
READ_ONLY_POSTS = (
    re.compile(r"^evidence/[^/]+/verify$"),
    re.compile(r"^evidence/packs$"),
    re.compile(r"^audit-events/verify$"),
    re.compile(r"^ai-systems/[^/]+/classification/preview$"),
    re.compile(r"^reports/certification-packs?(/build)?$"),
)
# A segment naming one AI system follows one of these (`/ai-systems/<id>/`, the system card's
# `/api/v1/systems/<id>/card` and `/transparency/systems/<id>/`).
SYSTEM_SEGMENTS = {"ai-systems", "systems"}


@dataclass(frozen=True)
class GuestScope:
    """The union of the scopes of a guest's current engagements."""

    areas: frozenset[str]
    all_systems: bool
    system_ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def everything(self) -> bool:
        return self.areas >= set(Area.values)

    @classmethod
    def of(cls, audits: Iterable[object]) -> GuestScope:
        areas: set[str] = set()
        all_systems = False
        system_ids: set[str] = set()
        for audit in audits:
            areas |= set(getattr(audit, "areas", []))
            all_systems = all_systems or bool(getattr(audit, "all_systems", False))
            system_ids |= {str(s.pk) for s in audit.systems.all()}  # type: ignore[attr-defined]
        return cls(frozenset(areas), all_systems, frozenset(system_ids))


def _segments(path: str) -> tuple[bool, list[str]]:
    parts = [p for p in path.split("/") if p]
    if parts[:2] == ["api", "v1"]:
        return True, parts[2:]
    return False, parts


def refusal(scope: GuestScope | None, method: str, path: str) -> str | None:
    """Why a guest may not make this request, or None when they may.

    `scope` is None for a guest with no current engagement: only the shell stays open."""
    is_api, parts = _segments(path)
    first = parts[0] if parts else ""
    read_only_post = method.upper() == "POST" and any(
        pattern.match("/".join(parts)) for pattern in READ_ONLY_POSTS
    )
    if method.upper() not in SAFE_METHODS and not read_only_post:
        if first not in (WRITE_ALLOWED_API if is_api else WRITE_ALLOWED_WEB):
            return (
                "As an external auditor you can only add samples, comments, evidence requests "
                "and findings in your audit workspace."
            )
        return None
    if first in (API_ALWAYS if is_api else WEB_ALWAYS):
        return None
    if scope is None:
        return (
            "You have no current audit engagement with this organisation: access opens when "
            "the AIMS manager engages you on an audit and ends with the engagement."
        )
    area = (API_AREAS if is_api else WEB_AREAS).get(first)
    if area is None and not scope.everything:
        return "This part of the AIMS is outside the scope of your audit."
    if area is not None and area not in scope.areas:
        return f"{Area(area).label} are outside the scope of your audit."
    if not scope.all_systems:
        allowed = {_uuid_hex(s) for s in scope.system_ids}
        for name, candidate in pairwise(parts):
            system = _uuid_hex(candidate) if name in SYSTEM_SEGMENTS else None
            if system is not None and system not in allowed:
                return "This AI system is outside the scope of your audit."
    return None


def _uuid_hex(value: str) -> str | None:
    """The id's hex form, for every spelling a view accepts (the API parses ids leniently:
    upper case, no hyphens, `{…}`, `urn:uuid:…`), or None when it names no object."""
    try:
        return uuid.UUID(value).hex
    except ValueError:
        return None
