"""API schemas of evidence."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema


class LinkOut(Schema):
    id: uuid.UUID
    target_type: str
    target_id: uuid.UUID
    target_label: str


class EvidenceOut(Schema):
    id: uuid.UUID
    title: str
    description: str
    kind: str
    owner_email: str | None
    file_name: str
    content_type: str
    size: int | None
    sha256: str
    url: str
    source: str
    effective_date: dt.date
    validity_days: int | None
    valid_until: dt.date | None
    freshness: str
    is_stale: bool
    is_retired: bool
    last_verified_at: dt.datetime | None
    last_verified_ok: bool | None
    requirements: list[str]
    links: list[LinkOut]

    @staticmethod
    def resolve_owner_email(obj: Any) -> str | None:
        return obj.owner.email if obj.owner_id else None

    @staticmethod
    def resolve_requirements(obj: Any) -> list[str]:
        return [n.urn for n in obj.requirements.all()]

    @staticmethod
    def resolve_links(obj: Any) -> list[Any]:
        return list(obj.links.all())


class LinkEvidenceIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    url: str = Field(max_length=500)
    description: str = ""
    effective_date: dt.date | None = None
    validity_days: int | None = Field(default=None, ge=1, le=3660)
    requirements: list[str] = Field(default_factory=list)


class EvidencePatch(Schema):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = None
    effective_date: dt.date | None = None
    validity_days: int | None = Field(default=None, ge=1, le=3660)
    requirements: list[str] | None = None


class LinkIn(Schema):
    target_type: str = Field(description="A registered type, e.g. inventory.aisystem")
    target_id: uuid.UUID


class VerifyOut(Schema):
    ok: bool
    sha256: str
    checked_at: dt.datetime


class FreshnessOut(Schema):
    total: int
    stale: int
    expiring: int
    current: int
    stale_requirements: int
    fresh_share: float


class RequestIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    requested_from_email: str
    due_date: dt.date
    requirement: str | None = None
    description: str = ""


class RequestOut(Schema):
    id: uuid.UUID
    title: str
    description: str
    requested_from_email: str
    requested_by_email: str | None
    due_date: dt.date
    requirement: str | None
    status: str
    is_overdue: bool
    evidence_id: uuid.UUID | None

    @staticmethod
    def resolve_requested_from_email(obj: Any) -> str:
        return obj.requested_from.email

    @staticmethod
    def resolve_requested_by_email(obj: Any) -> str | None:
        return obj.requested_by.email if obj.requested_by_id else None

    @staticmethod
    def resolve_requirement(obj: Any) -> str | None:
        return obj.requirement.urn if obj.requirement_id else None


class FulfilIn(Schema):
    evidence_id: uuid.UUID


class PackIn(Schema):
    scope: str = Field(default="aims", description="aims, framework or system")
    value: str = Field(default="", description="Framework URN or AI system id")


class PackOut(Schema):
    id: uuid.UUID
    scope: str
    scope_value: str
    scope_label: str
    created_at: dt.datetime
    created_by_email: str | None
    sha256: str
    size: int
    evidence_count: int
    document_count: int
    stale_count: int
    public_key: str
    audit_head_seq: int

    @staticmethod
    def resolve_created_by_email(obj: Any) -> str | None:
        return obj.created_by.email if obj.created_by_id else None


class PublicKeyOut(Schema):
    organisation_id: uuid.UUID
    algorithm: str
    public_key: str
