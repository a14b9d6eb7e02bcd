"""API schemas of context (4.1, 4.2) and scope (4.3): explicit fields in and out."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from aimwell.context.choices import (
    IssueCategory,
    IssueKind,
    ObjectiveStatus,
    PartyCategory,
    PartyKind,
    RequirementKind,
    ScopeStatus,
)
from aimwell.inventory.choices import AIRole


class UserRefOut(Schema):
    id: uuid.UUID
    name: str
    email: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.display_name)


class MemberRefOut(Schema):
    """A member of the organisation: `id` is the membership's."""

    id: uuid.UUID
    user_id: uuid.UUID
    name: str
    role: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.user.display_name)


class SystemRefOut(Schema):
    id: uuid.UUID
    name: str
    eu_role: str
    in_scope: bool


class NodeRefOut(Schema):
    urn: str
    title: str


# Context issues


class IssueIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    kind: IssueKind
    category: IssueCategory
    description: str = ""
    effect: str = ""
    owner_id: uuid.UUID | None = None
    last_reviewed: dt.date | None = None
    is_active: bool = True
    system_ids: list[uuid.UUID] = []


class IssuePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    kind: IssueKind | None = None
    category: IssueCategory | None = None
    description: str | None = None
    effect: str | None = None
    owner_id: uuid.UUID | None = None
    last_reviewed: dt.date | None = None
    is_active: bool | None = None
    system_ids: list[uuid.UUID] | None = None


class IssueOut(Schema):
    id: uuid.UUID
    title: str
    kind: IssueKind
    category: IssueCategory
    description: str
    effect: str
    owner: UserRefOut | None
    last_reviewed: dt.date | None
    is_active: bool
    systems: list[SystemRefOut]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_systems(obj: Any) -> list[Any]:
        return list(obj.systems.all())


class IssueFilter(Schema):
    q: str | None = None
    system: uuid.UUID | None = Field(None, description="Only those concerning this AI system")
    kind: IssueKind | None = None
    category: IssueCategory | None = None
    is_active: bool | None = None
    sort: str = Field("title", description="title, kind, category or updated; '-' reverses")


# Interested parties


class PartyIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: PartyKind
    category: PartyCategory
    needs: str = ""
    is_requirement: bool = False
    how_addressed: str = ""
    owner_id: uuid.UUID | None = None
    last_reviewed: dt.date | None = None
    system_ids: list[uuid.UUID] = []


class PartyPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: PartyKind | None = None
    category: PartyCategory | None = None
    needs: str | None = None
    is_requirement: bool | None = None
    how_addressed: str | None = None
    owner_id: uuid.UUID | None = None
    last_reviewed: dt.date | None = None
    system_ids: list[uuid.UUID] | None = None


class PartyOut(Schema):
    id: uuid.UUID
    name: str
    kind: PartyKind
    category: PartyCategory
    needs: str
    is_requirement: bool
    how_addressed: str
    owner: UserRefOut | None
    last_reviewed: dt.date | None
    systems: list[SystemRefOut]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_systems(obj: Any) -> list[Any]:
        return list(obj.systems.all())


class PartyFilter(Schema):
    q: str | None = None
    system: uuid.UUID | None = Field(None, description="Only those concerning this AI system")
    kind: PartyKind | None = None
    category: PartyCategory | None = None
    is_requirement: bool | None = None
    sort: str = Field("name", description="name, kind, category or updated; '-' reverses")


# The organisation's AI roles


class AIRoleIn(Schema):
    note: str = ""


class AIRoleOut(Schema):
    role: AIRole
    label: str
    declared: bool
    note: str


# Legal, regulatory and contractual requirements


class LegalIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: RequirementKind
    jurisdiction: str = Field("", max_length=120)
    reference: str = Field("", max_length=200)
    url: str = Field("", max_length=500)
    summary: str = ""
    owner_id: uuid.UUID | None = None
    last_reviewed: dt.date | None = None
    is_active: bool = True
    catalog_urns: list[str] = []


class LegalPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: RequirementKind | None = None
    jurisdiction: str | None = Field(None, max_length=120)
    reference: str | None = Field(None, max_length=200)
    url: str | None = Field(None, max_length=500)
    summary: str | None = None
    owner_id: uuid.UUID | None = None
    last_reviewed: dt.date | None = None
    is_active: bool | None = None
    catalog_urns: list[str] | None = None


class ApplicabilityOut(Schema):
    system: SystemRefOut
    note: str


class ApplicabilityIn(Schema):
    note: str = Field("", max_length=500)


class LegalOut(Schema):
    id: uuid.UUID
    name: str
    kind: RequirementKind
    jurisdiction: str
    reference: str
    url: str
    summary: str
    owner: UserRefOut | None
    last_reviewed: dt.date | None
    is_active: bool
    applicability: list[ApplicabilityOut]
    catalog_nodes: list[NodeRefOut]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_applicability(obj: Any) -> list[Any]:
        return list(obj.applicability.all())

    @staticmethod
    def resolve_catalog_nodes(obj: Any) -> list[Any]:
        return list(obj.catalog_nodes.all())


class LegalFilter(Schema):
    q: str | None = None
    system: uuid.UUID | None = Field(None, description="Only those concerning this AI system")
    kind: RequirementKind | None = None
    jurisdiction: str | None = None
    is_active: bool | None = None
    sort: str = Field("name", description="name, kind, jurisdiction or updated; '-' reverses")


# Objectives


class ObjectiveIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    owner_id: uuid.UUID | None = None
    target_date: dt.date | None = None
    status: ObjectiveStatus = ObjectiveStatus.ACTIVE


class ObjectivePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    owner_id: uuid.UUID | None = None
    target_date: dt.date | None = None
    status: ObjectiveStatus | None = None


class ObjectiveOut(Schema):
    id: uuid.UUID
    title: str
    description: str
    owner: UserRefOut | None
    target_date: dt.date | None
    status: ObjectiveStatus
    created_at: dt.datetime
    updated_at: dt.datetime


class ObjectiveFilter(Schema):
    q: str | None = None
    status: ObjectiveStatus | None = None
    sort: str = Field("title", description="title, target or status; '-' reverses")


# Scope


class ScopeVersionOut(Schema):
    number: int
    status: ScopeStatus
    text: str
    html: str
    change_note: str
    created_at: dt.datetime
    created_by: UserRefOut | None
    approved_by: UserRefOut | None
    approved_at: dt.datetime | None

    @staticmethod
    def resolve_html(obj: Any) -> str:
        from aimwell.core.markdown import render_markdown

        return render_markdown(obj.text)


class ScopeVersionBriefOut(Schema):
    number: int
    status: ScopeStatus
    change_note: str
    created_at: dt.datetime
    approved_by: UserRefOut | None
    approved_at: dt.datetime | None


class ScopeOverviewOut(Schema):
    approved: ScopeVersionOut | None
    draft: ScopeVersionOut | None
    changes_since_approved: list[str]


class ScopeDraftIn(Schema):
    from_live_data: bool = Field(
        False, description="Draft from live data instead of the latest version's text."
    )


class ScopeDraftPatch(Schema):
    text: str | None = Field(None, min_length=1, max_length=50_000)
    change_note: str | None = Field(None, max_length=500)


class ScopePreviewOut(Schema):
    text: str
    facts: dict[str, Any]
