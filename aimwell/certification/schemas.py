"""Explicit API schemas of the certification project (in, patch and out shapes)."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema

from aimwell.certification.choices import Area, AuditKind, AuditOutcome, Grade, SampleType


class ProjectIn(Schema):
    body_name: str | None = Field(None, max_length=200)
    accreditation_body: str | None = Field(None, max_length=200)
    accreditation_number: str | None = Field(None, max_length=100)
    contact_name: str | None = Field(None, max_length=200)
    contact_email: str | None = Field(None, max_length=254)
    standard: str | None = Field(None, max_length=100)
    applied_on: dt.date | None = None
    application_notes: str | None = None
    submitted_document_ids: list[uuid.UUID] | None = None


class ProjectOut(Schema):
    id: uuid.UUID
    body_name: str
    accreditation_body: str
    accreditation_number: str
    contact_name: str
    contact_email: str
    standard: str
    applied_on: dt.date | None
    application_notes: str
    submitted_document_ids: list[uuid.UUID]


class AuditIn(Schema):
    kind: AuditKind
    title: str = Field("", max_length=200)
    planned_start: dt.date
    planned_end: dt.date
    scope: str = ""
    areas: list[Area] = []
    all_systems: bool = True
    system_ids: list[uuid.UUID] = []
    lead_auditor: str = Field("", max_length=200)
    team: list[str] = []
    plan: str = ""


class AuditPatch(Schema):
    title: str | None = Field(None, max_length=200)
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    scope: str | None = None
    areas: list[Area] | None = None
    all_systems: bool | None = None
    system_ids: list[uuid.UUID] | None = None
    lead_auditor: str | None = Field(None, max_length=200)
    team: list[str] | None = None
    plan: str | None = None


class AuditStatusIn(Schema):
    action: str = Field(..., pattern="^(start|complete|cancel)$")
    outcome: AuditOutcome | None = None
    notes: str = ""
    on: dt.date | None = None


class AuditOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    cycle: int
    planned_start: dt.date
    planned_end: dt.date
    scope: str
    areas: list[str]
    all_systems: bool
    system_ids: list[uuid.UUID]
    lead_auditor: str
    team: list[str]
    plan: str
    status: str
    outcome: str
    outcome_notes: str
    completed_on: dt.date | None
    findings: int
    open_findings: int


class FindingIn(Schema):
    grade: Grade
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    requirement_urn: str | None = None
    owner_email: str | None = None
    due_date: dt.date | None = None


class FindingOut(Schema):
    id: uuid.UUID
    audit_id: uuid.UUID
    reference: str
    grade: str
    title: str
    description: str
    requirement_urn: str | None
    nonconformity_id: uuid.UUID | None
    nonconformity_reference: str | None
    state: str


class CertificateIn(Schema):
    number: str = Field(..., min_length=1, max_length=100)
    issued_on: dt.date
    scope: str = Field(..., min_length=1)
    audit_id: uuid.UUID | None = None


class CertificateOut(Schema):
    id: uuid.UUID
    audit_id: uuid.UUID
    number: str
    issued_on: dt.date
    expires_on: dt.date
    scope: str
    cycle: int


class CheckOut(Schema):
    key: str
    label: str
    passed: bool
    detail: str
    url: str | None


class EngagementIn(Schema):
    audit_id: uuid.UUID
    guest_email: str
    ends_at: dt.datetime
    starts_at: dt.datetime | None = None


class EngagementOut(Schema):
    id: uuid.UUID
    audit_id: uuid.UUID
    guest_email: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    revoked_at: dt.datetime | None
    is_current: bool


class SampleIn(Schema):
    """A system, control, document or evidence item is named by its id (checked against the
    audit's scope); a record kept outside Aimwell by a label alone."""

    object_type: SampleType
    object_id: str = Field("", max_length=64)
    label: str = Field("", max_length=300, description="Defaults to the picked record's name.")
    note: str = ""


class SampleOut(Schema):
    id: uuid.UUID
    object_type: str
    object_id: str
    label: str
    note: str


class CommentIn(Schema):
    body: str = Field(..., min_length=1)


class CommentOut(Schema):
    id: uuid.UUID
    author_email: str | None
    body: str
    created_at: dt.datetime


class AskIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    owner_email: str
    due_date: dt.date


class AskOut(Schema):
    id: uuid.UUID
    engagement_id: uuid.UUID
    title: str
    description: str
    owner_email: str
    due_date: dt.date
    status: str
    overdue: bool
    answer: str
    evidence_id: uuid.UUID | None


class AnswerIn(Schema):
    answer: str = ""
    evidence_id: uuid.UUID | None = None


class WorkspaceOut(Schema):
    engagement: EngagementOut
    audit: AuditOut
    samples: list[SampleOut]
    comments: list[CommentOut]
    requests: list[AskOut]
    findings: list[FindingOut]


class StatusOut(Schema):
    percent: float | None
    detail: str
    next_audit: AuditOut | None
    certificate: CertificateOut | None
