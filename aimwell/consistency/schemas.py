"""Explicit API schemas of the pre-audit check."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema


class RecordOut(Schema):
    label: str
    url: str


class AcknowledgementOut(Schema):
    id: uuid.UUID
    finding_key: str
    rule_key: str
    message: str
    reason: str
    acknowledged_by: str = Field(alias="acknowledged_by_label")
    created_at: dt.datetime


class FindingOut(Schema):
    key: str = Field(description="rule key and subject; what an acknowledgement names")
    rule: str
    title: str
    clause: str
    severity: str = Field(description="major, minor or observation")
    area: str = Field(description="time, statements, coverage, records or lifecycle")
    message: str
    records: list[RecordOut]
    fix_url: str
    fix: str
    acknowledged: bool
    acknowledgement: dict[str, str] | None


class CountsOut(Schema):
    major: int
    minor: int
    observation: int
    open: int
    acknowledged: int


class CheckOut(Schema):
    organisation: str
    checked_at: dt.datetime
    rules_run: int
    counts: CountsOut
    findings: list[FindingOut]


class RuleOut(Schema):
    key: str
    title: str
    clause: str
    severity: str
    area: str
    example: str
    fix: str


class AcknowledgeIn(Schema):
    finding: str = Field(min_length=3, max_length=300, description="The finding's key.")
    reason: str = Field(min_length=1, max_length=2000)
