"""API schemas of documents."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema


class UserBriefOut(Schema):
    id: uuid.UUID
    email: str
    full_name: str


class VersionBriefOut(Schema):
    number: int
    status: str
    change_summary: str
    lock_version: int
    approved_by: UserBriefOut | None
    approved_at: dt.datetime | None
    published_at: dt.datetime | None
    body_sha256: str


class VersionOut(VersionBriefOut):
    body: str
    body_html: str
    submitted_by: UserBriefOut | None
    submitted_at: dt.datetime | None
    approval_note: str
    published_by: UserBriefOut | None

    @staticmethod
    def resolve_body_html(obj: Any) -> str:
        from aimwell.core.markdown import render_markdown

        return render_markdown(obj.body)


class DocumentOut(Schema):
    id: uuid.UUID
    reference: str
    title: str
    doc_type: str
    classification: str
    status: str
    owner: UserBriefOut | None
    approver: str
    template_key: str
    review_interval_months: int
    next_review_date: dt.date | None
    review_overdue: bool
    acknowledgement_roles: list[str]
    requirements: list[str]
    published_version: VersionBriefOut | None
    working_version: VersionBriefOut | None
    is_retired: bool

    @staticmethod
    def resolve_requirements(obj: Any) -> list[str]:
        return [n.urn for n in obj.requirements.all()]


class DocumentIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    doc_type: str = Field(description="policy, procedure, plan, record or template")
    reference: str | None = Field(default=None, max_length=30)
    classification: str = "internal"
    owner_email: str | None = None
    approver: str | None = Field(
        default=None, description="top_management, aims_manager or owner_or_manager"
    )
    requirements: list[str] = Field(default_factory=list, description="Requirement URNs")
    review_interval_months: int = Field(default=12, ge=1, le=60)
    acknowledgement_roles: list[str] = Field(default_factory=list)
    body: str = ""


class DocumentPatch(Schema):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    doc_type: str | None = None
    classification: str | None = None
    owner_email: str | None = None
    approver: str | None = None
    requirements: list[str] | None = None
    review_interval_months: int | None = Field(default=None, ge=1, le=60)
    acknowledgement_roles: list[str] | None = None


class FromTemplateIn(Schema):
    template: str = Field(description="A template key from GET /documents/templates")
    owner_email: str | None = None


class TemplateOut(Schema):
    key: str
    reference: str
    title: str
    doc_type: str
    requirements: list[str]
    approver: str | None
    review_months: int


class DraftIn(Schema):
    body: str
    lock_version: int = Field(description="The lock_version the edit started from")
    change_summary: str | None = Field(default=None, max_length=300)


class ConflictOut(Schema):
    message: str
    conflict_id: uuid.UUID
    current_lock_version: int
    current_body: str
    your_body: str


class NoteIn(Schema):
    note: str = Field(default="", max_length=500)


class AcknowledgementOut(Schema):
    email: str
    full_name: str
    role: str
    acknowledged_at: dt.datetime | None


class ChecklistRowOut(Schema):
    urn: str
    clause: str
    title: str
    state: str
    documents: list[str]
    template: str | None
    records: str | None = Field(
        None, description="What the register holds that counts as this documented information."
    )


class ChecklistOut(Schema):
    total: int
    satisfied: int
    score: float
    counts: dict[str, int]
    rows: list[ChecklistRowOut]
