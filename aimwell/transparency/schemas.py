"""Explicit API schemas of the transparency app."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema

from aimwell.transparency.models import PolicySource


class SettingsOut(Schema):
    enabled: bool
    slug: str
    public_url: str
    public_name: str
    contact: str
    introduction: str
    principle_ids: list[uuid.UUID]
    policy_source: str
    policy_document_id: uuid.UUID | None
    policy_text: str
    accept_concerns: bool
    public_system_ids: list[uuid.UUID]


class SettingsPatch(Schema):
    enabled: bool | None = None
    slug: str | None = Field(None, min_length=1, max_length=60, pattern=r"^[-a-z0-9]+$")
    public_name: str | None = Field(None, max_length=200)
    contact: str | None = Field(None, max_length=2000)
    introduction: str | None = Field(None, max_length=10000)
    principle_ids: list[uuid.UUID] | None = None
    policy_source: PolicySource | None = None
    policy_document_id: uuid.UUID | None = None
    policy_text: str | None = Field(None, max_length=10000)
    accept_concerns: bool | None = None
    public_system_ids: list[uuid.UUID] | None = None


class CardStatusOut(Schema):
    system_id: uuid.UUID
    system_name: str
    published_version: int | None
    published_at: dt.datetime | None
    out_of_date: bool
    is_public: bool
    live_sha256: str


class CardOut(Schema):
    """The live card, built now from the system's data."""

    system_id: uuid.UUID
    slug: str | None
    limitations: str
    is_public: bool
    published_version: int | None
    out_of_date: bool
    sha256: str
    content: dict[str, Any]
    markdown: str


class CardPatch(Schema):
    limitations: str | None = Field(None, max_length=5000)
    slug: str | None = Field(None, min_length=1, max_length=80, pattern=r"^[-a-z0-9]+$")


class VersionOut(Schema):
    number: int
    sha256: str
    published_at: dt.datetime
    published_by: str


class VersionDetailOut(VersionOut):
    content: dict[str, Any]
    markdown: str


class PublishOut(Schema):
    created: bool
    version: VersionOut
