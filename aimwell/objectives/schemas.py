"""API schemas of AI objectives and their measurements: explicit inputs, patches, outputs and list
queries."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import Field

from aimwell.objectives.choices import MeasurementSource, ObjectiveDirection
from aimwell.operations.schemas import ListQuery, NodeRef, PageMeta, SystemRef, Text, Title, UserRef


class ObjectiveIn(Schema):
    title: str = Title
    description: str = Text
    measure: str = Field(..., min_length=1, max_length=300)
    unit: str = Field("", max_length=40)
    baseline: float | None = None
    target: float
    direction: ObjectiveDirection = ObjectiveDirection.AT_LEAST
    owner_email: str | None = None
    due_date: dt.date
    annex_c_urn: str | None = None
    business_objective_id: uuid.UUID | None = None
    system_ids: list[uuid.UUID] = []


class ObjectivePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10000)
    measure: str | None = Field(None, min_length=1, max_length=300)
    unit: str | None = Field(None, max_length=40)
    baseline: float | None = None
    target: float | None = None
    direction: ObjectiveDirection | None = None
    owner_email: str | None = None
    due_date: dt.date | None = None
    annex_c_urn: str | None = None
    system_ids: list[uuid.UUID] | None = None


class ObjectiveQuery(ListQuery):
    status: str | None = None
    owner: str | None = None
    system: uuid.UUID | None = None


class ObjectiveOut(Schema):
    id: uuid.UUID
    title: str
    measure: str
    unit: str
    baseline: float | None
    target: float
    direction: ObjectiveDirection
    owner: UserRef | None
    due_date: dt.date
    status: str
    latest_value: float | None
    latest_on: dt.date | None
    annex_c: NodeRef | None
    systems: list[SystemRef]


class MeasurementOut(Schema):
    id: uuid.UUID
    measured_on: dt.date
    value: float
    source: MeasurementSource
    note: str


class ObjectiveDetailOut(ObjectiveOut):
    description: str
    business_objective_id: uuid.UUID | None
    measurements: list[MeasurementOut]


class ObjectivePage(PageMeta):
    items: list[ObjectiveOut]


class MeasurementIn(Schema):
    value: float
    measured_on: dt.date | None = None
    source: MeasurementSource = MeasurementSource.MANUAL
    note: str = Field("", max_length=300)
