"""API schemas of governance (5.1, 5.3, A.3.2): explicit fields in and out."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from aimwell.accounts.roles import AIMSProcess
from aimwell.context.schemas import MemberRefOut, NodeRefOut, SystemRefOut, UserRefOut
from aimwell.governance.choices import BodyKind, DecisionStatus, PrincipleStatus, Raci

# Principles


class PrincipleIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    statement: str = Field(..., min_length=1)
    rationale: str = ""
    owner_id: uuid.UUID | None = None
    status: PrincipleStatus = PrincipleStatus.DRAFT
    catalog_urns: list[str] = []


class PrinciplePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    statement: str | None = Field(None, min_length=1)
    rationale: str | None = None
    owner_id: uuid.UUID | None = None
    status: PrincipleStatus | None = None
    catalog_urns: list[str] | None = None


class PrincipleLinkIn(Schema):
    object_type: str = Field(..., description="Model label, e.g. inventory.aisystem")
    object_id: str = Field(..., max_length=64)


class PrincipleLinkOut(Schema):
    id: uuid.UUID
    object_type: str
    object_id: str
    object_label: str


class PrincipleOut(Schema):
    id: uuid.UUID
    name: str
    statement: str
    rationale: str
    owner: UserRefOut | None
    status: PrincipleStatus
    catalog_nodes: list[NodeRefOut]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_catalog_nodes(obj: Any) -> list[Any]:
        return list(obj.catalog_nodes.all())


class PrincipleFilter(Schema):
    q: str | None = None
    status: PrincipleStatus | None = None
    sort: str = Field("name", description="name, status or updated; '-' reverses")


# AIMS roles and RACI


class AIMSRoleIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    responsibilities: str = ""
    authorities: str = ""
    holder_ids: list[uuid.UUID] = Field([], description="Membership ids of the holders")


class AIMSRolePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    responsibilities: str | None = None
    authorities: str | None = None
    holder_ids: list[uuid.UUID] | None = None


class AIMSRoleOut(Schema):
    id: uuid.UUID
    name: str
    responsibilities: str
    authorities: str
    holders: list[MemberRefOut]

    @staticmethod
    def resolve_holders(obj: Any) -> list[Any]:
        return list(obj.holders.all())


class NameFilter(Schema):
    q: str | None = None
    sort: str = "name"


class RaciIn(Schema):
    member_id: uuid.UUID = Field(..., description="Membership id")
    letter: Raci
    system_id: uuid.UUID | None = None
    process: AIMSProcess | None = None
    note: str = Field("", max_length=300)


class RaciOut(Schema):
    id: uuid.UUID
    system: SystemRefOut | None
    process: str
    member: MemberRefOut
    letter: Raci
    note: str


class RaciFilter(Schema):
    system_id: uuid.UUID | None = None
    process: AIMSProcess | None = None
    member_id: uuid.UUID | None = None
    letter: Raci | None = None


class RaciRowOut(Schema):
    key: str
    label: str
    cells: dict[str, str] = Field(description="Membership id to R, A, C or I")
    has_accountable: bool


class RaciMatrixOut(Schema):
    axis: str
    members: list[MemberRefOut]
    rows: list[RaciRowOut]


# Oversight bodies


class BodyIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: BodyKind
    terms_of_reference: str = ""
    chair_id: uuid.UUID | None = Field(None, description="Membership id")
    member_ids: list[uuid.UUID] = []
    meeting_frequency: str = Field("", max_length=100)
    is_active: bool = True


class BodyPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: BodyKind | None = None
    terms_of_reference: str | None = None
    chair_id: uuid.UUID | None = None
    member_ids: list[uuid.UUID] | None = None
    meeting_frequency: str | None = Field(None, max_length=100)
    is_active: bool | None = None


class BodyOut(Schema):
    id: uuid.UUID
    name: str
    kind: BodyKind
    terms_of_reference: str
    chair: MemberRefOut | None
    members: list[MemberRefOut]
    meeting_frequency: str
    is_active: bool
    meeting_count: int = 0
    open_decisions: int = 0

    @staticmethod
    def resolve_members(obj: Any) -> list[Any]:
        return list(obj.members.all())


class BodyFilter(Schema):
    q: str | None = None
    kind: BodyKind | None = None
    is_active: bool | None = None
    sort: str = "name"


class MeetingIn(Schema):
    held_on: dt.date
    title: str = Field("", max_length=200)
    minutes: str = ""
    attendee_ids: list[uuid.UUID] = []


class MeetingPatch(Schema):
    held_on: dt.date | None = None
    title: str | None = Field(None, max_length=200)
    minutes: str | None = None
    attendee_ids: list[uuid.UUID] | None = None


class MeetingOut(Schema):
    id: uuid.UUID
    body_id: uuid.UUID
    held_on: dt.date
    title: str
    minutes: str
    attendees: list[MemberRefOut]

    @staticmethod
    def resolve_attendees(obj: Any) -> list[Any]:
        return list(obj.attendees.all())


class DecisionIn(Schema):
    text: str = Field(..., min_length=1)
    decided_on: dt.date
    meeting_id: uuid.UUID | None = None
    follow_up_owner_id: uuid.UUID | None = Field(None, description="Membership id")
    due_date: dt.date | None = None
    status: DecisionStatus = DecisionStatus.OPEN


class DecisionPatch(Schema):
    text: str | None = Field(None, min_length=1)
    decided_on: dt.date | None = None
    meeting_id: uuid.UUID | None = None
    follow_up_owner_id: uuid.UUID | None = None
    due_date: dt.date | None = None
    status: DecisionStatus | None = None


class DecisionOut(Schema):
    id: uuid.UUID
    body_id: uuid.UUID
    meeting_id: uuid.UUID | None
    text: str
    decided_on: dt.date
    follow_up_owner: MemberRefOut | None
    due_date: dt.date | None
    status: DecisionStatus


class DecisionFilter(Schema):
    q: str | None = None
    status: DecisionStatus | None = None
    sort: str = Field("decided_on", description="decided_on or due; '-' reverses")


# Leadership commitment


class CommitmentIn(Schema):
    made_by_id: uuid.UUID | None = Field(None, description="Membership id")
    made_on: dt.date
    commitment: str = Field(..., min_length=1)
    evidence: str = ""
    evidence_url: str = Field("", max_length=500)


class CommitmentPatch(Schema):
    made_by_id: uuid.UUID | None = None
    made_on: dt.date | None = None
    commitment: str | None = Field(None, min_length=1)
    evidence: str | None = None
    evidence_url: str | None = Field(None, max_length=500)


class CommitmentOut(Schema):
    id: uuid.UUID
    made_by: MemberRefOut | None
    made_on: dt.date
    commitment: str
    evidence: str
    evidence_url: str


class CommitmentFilter(Schema):
    q: str | None = None
    sort: str = Field("made_on", description="made_on (newest first) or oldest")
