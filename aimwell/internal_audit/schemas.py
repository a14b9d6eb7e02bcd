"""API schemas of audit programmes, audits, checklists and findings: explicit inputs, patches,
outputs and list queries."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import Field

from aimwell.internal_audit.choices import AuditStatus, ChecklistResult, FindingKind
from aimwell.operations.schemas import ListQuery, NodeRef, PageMeta, SystemRef, Text, Title, UserRef


class ProgrammeIn(Schema):
    title: str = Title
    cycle_start: dt.date
    cycle_end: dt.date
    objectives: str = Text
    owner_email: str | None = None


class ProgrammePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    cycle_start: dt.date | None = None
    cycle_end: dt.date | None = None
    objectives: str | None = Field(None, max_length=10000)
    owner_email: str | None = None


class ProgrammeOut(Schema):
    id: uuid.UUID
    title: str
    cycle_start: dt.date
    cycle_end: dt.date
    objectives: str
    owner: UserRef | None
    audit_count: int = 0


class CoverageOut(Schema):
    total: int
    covered: int
    percent: int
    missing: list[NodeRef]


class ProgrammeDetailOut(ProgrammeOut):
    coverage: CoverageOut


class ProgrammePage(PageMeta):
    items: list[ProgrammeOut]


class AuditIn(Schema):
    title: str = Title
    scope: str = Field(..., min_length=1, max_length=10000)
    criteria: str = Field(
        "ISO/IEC 42001:2023 and the organisation's AIMS documentation", max_length=10000
    )
    planned_start: dt.date
    planned_end: dt.date
    lead_auditor_email: str
    programme_id: uuid.UUID | None = None
    processes: list[str] = []
    requirement_urns: list[str] = Field([], description="Clauses and controls in scope, by URN.")
    system_ids: list[uuid.UUID] = []


class AuditPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    scope: str | None = Field(None, max_length=10000)
    criteria: str | None = Field(None, max_length=10000)
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    lead_auditor_email: str | None = None
    processes: list[str] | None = None
    requirement_urns: list[str] | None = None
    system_ids: list[uuid.UUID] | None = None


class AuditQuery(ListQuery):
    status: AuditStatus | None = None
    programme: uuid.UUID | None = None
    auditor: str | None = None


class AuditOut(Schema):
    id: uuid.UUID
    reference: str
    title: str
    status: AuditStatus
    planned_start: dt.date
    planned_end: dt.date
    lead_auditor: UserRef | None
    programme_id: uuid.UUID | None
    finding_count: int = 0


class ChecklistItemOut(Schema):
    id: uuid.UUID
    requirement: NodeRef | None
    question: str
    result: ChecklistResult
    notes: str
    evidence_reviewed: str


class ChecklistPatch(Schema):
    result: ChecklistResult
    notes: str = Text
    evidence_reviewed: str = Text


class FindingIn(Schema):
    kind: FindingKind
    title: str = Title
    description: str = Field(..., min_length=1, max_length=10000)
    requirement_urn: str | None = None
    system_id: uuid.UUID | None = None
    evidence_reviewed: str = Text
    evidence_ids: list[uuid.UUID] = []
    owner_email: str | None = Field(None, description="Owner of the nonconformity it raises.")
    due_date: dt.date | None = None


class FindingOut(Schema):
    id: uuid.UUID
    audit_id: uuid.UUID
    reference: str
    kind: FindingKind
    title: str
    description: str
    requirement: NodeRef | None
    system: SystemRef | None
    evidence_reviewed: str
    nonconformity_id: uuid.UUID | None = None

    @staticmethod
    def resolve_nonconformity_id(obj: object) -> uuid.UUID | None:
        nc = getattr(obj, "nonconformity", None)
        return nc.pk if nc is not None else None


class FindingQuery(ListQuery):
    kind: FindingKind | None = None
    audit: uuid.UUID | None = None


class FindingPage(PageMeta):
    items: list[FindingOut]


class AuditDetailOut(AuditOut):
    scope: str
    criteria: str
    processes: list[str]
    conclusion: str
    reported_on: dt.date | None
    requirements: list[NodeRef]
    sampled_systems: list[SystemRef]
    checklist: list[ChecklistItemOut]
    findings: list[FindingOut]


class AuditPage(PageMeta):
    items: list[AuditOut]


class SampleIn(Schema):
    size: int = Field(..., ge=1, le=100)
    seed: int | None = None


class ReportIn(Schema):
    conclusion: str = Field(..., min_length=1, max_length=20000)
