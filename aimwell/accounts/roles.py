"""The role contract every feature checks: one place decides what each role may do.

Features never invent their own roles; they ask `can(membership, Capability.X)` or, for an object,
`can_write(membership, obj)`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class Role(StrEnum):
    ADMIN = "admin"
    AIMS_MANAGER = "aims_manager"
    CONTRIBUTOR = "contributor"
    INTERNAL_AUDITOR = "internal_auditor"
    STAFF = "staff"
    EXTERNAL_AUDITOR = "external_auditor"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "Admin",
    Role.AIMS_MANAGER: "AIMS manager",
    Role.CONTRIBUTOR: "Contributor",
    Role.INTERNAL_AUDITOR: "Internal auditor",
    Role.STAFF: "Staff",
    Role.EXTERNAL_AUDITOR: "External auditor (guest)",
}

ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.ADMIN: "Runs the organisation in Aimwell: members, roles, settings, and everything an "
    "AIMS manager does.",
    Role.AIMS_MANAGER: "Runs the AI management system: writes every register, document and plan.",
    Role.CONTRIBUTOR: "Writes what they own (for example an AI system and its models, data and "
    "monitors); reads the rest.",
    Role.INTERNAL_AUDITOR: "Reads everything; writes audit records and findings.",
    Role.STAFF: "Reads published material, acknowledges policies, takes training, reports "
    "concerns.",
    Role.EXTERNAL_AUDITOR: "Guest with read-only access to the scope of an audit until an expiry "
    "date.",
}


class Capability(StrEnum):
    MANAGE_MEMBERS = "manage_members"
    MANAGE_AIMS = "manage_aims"
    CONTRIBUTE = "contribute"
    WRITE_AUDIT_RECORDS = "write_audit_records"
    READ_ALL = "read_all"
    READ_PUBLISHED = "read_published"
    VIEW_AUDIT_TRAIL = "view_audit_trail"
    ACKNOWLEDGE = "acknowledge"
    REPORT_CONCERN = "report_concern"
    USE_API_TOKENS = "use_api_tokens"


_ALL_READERS = {Capability.READ_ALL, Capability.READ_PUBLISHED}
_PARTICIPANT = {Capability.ACKNOWLEDGE, Capability.REPORT_CONCERN, Capability.USE_API_TOKENS}

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.ADMIN: frozenset(
        {
            Capability.MANAGE_MEMBERS,
            Capability.MANAGE_AIMS,
            Capability.CONTRIBUTE,
            Capability.VIEW_AUDIT_TRAIL,
            *_ALL_READERS,
            *_PARTICIPANT,
        }
    ),
    Role.AIMS_MANAGER: frozenset(
        {
            Capability.MANAGE_AIMS,
            Capability.CONTRIBUTE,
            Capability.VIEW_AUDIT_TRAIL,
            *_ALL_READERS,
            *_PARTICIPANT,
        }
    ),
    Role.CONTRIBUTOR: frozenset({Capability.CONTRIBUTE, *_ALL_READERS, *_PARTICIPANT}),
    Role.INTERNAL_AUDITOR: frozenset(
        {Capability.WRITE_AUDIT_RECORDS, Capability.VIEW_AUDIT_TRAIL, *_ALL_READERS, *_PARTICIPANT}
    ),
    Role.STAFF: frozenset({Capability.READ_PUBLISHED, *_PARTICIPANT}),
    Role.EXTERNAL_AUDITOR: frozenset({*_ALL_READERS, Capability.VIEW_AUDIT_TRAIL}),
}


class AIMSProcess(StrEnum):
    """AIMS processes a member can own; ownership decides internal-audit independence."""

    CONTEXT_AND_SCOPE = "context_and_scope"
    LEADERSHIP_AND_POLICY = "leadership_and_policy"
    RISK_MANAGEMENT = "risk_management"
    IMPACT_ASSESSMENT = "impact_assessment"
    DOCUMENT_CONTROL = "document_control"
    COMPETENCE_AND_TRAINING = "competence_and_training"
    AI_LIFECYCLE = "ai_lifecycle"
    DATA_GOVERNANCE = "data_governance"
    SUPPLIER_MANAGEMENT = "supplier_management"
    MONITORING = "monitoring"
    INCIDENT_MANAGEMENT = "incident_management"
    INTERNAL_AUDIT = "internal_audit"
    MANAGEMENT_REVIEW = "management_review"
    IMPROVEMENT = "improvement"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class HasCapabilities(Protocol):
    role: str


class OwnedObject(Protocol):
    def is_owned_by(self, user_id: object) -> bool: ...


def capabilities_of(role: str) -> frozenset[Capability]:
    return ROLE_CAPABILITIES[Role(role)]


def can(membership: HasCapabilities | None, capability: Capability) -> bool:
    if membership is None:
        return False
    return capability in capabilities_of(membership.role)


def can_write(
    membership: HasCapabilities | None, obj: object, *, audit_record: bool = False
) -> bool:
    """May this member change this object? Audit records are the internal auditor's to write."""
    if membership is None:
        return False
    if can(membership, Capability.MANAGE_AIMS):
        return True
    if audit_record and can(membership, Capability.WRITE_AUDIT_RECORDS):
        return True
    if can(membership, Capability.CONTRIBUTE):
        is_owned_by = getattr(obj, "is_owned_by", None)
        user_id = getattr(membership, "user_id", None)
        return bool(is_owned_by and is_owned_by(user_id))
    return False
