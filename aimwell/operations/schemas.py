"""API schemas shared by the operations apps: references to people, catalog nodes and AI
systems, page metadata and the list query."""

from __future__ import annotations

import uuid

from ninja import Schema
from pydantic import Field

Text = Field("", max_length=10000)
Title = Field(..., min_length=1, max_length=200)


class UserRef(Schema):
    id: uuid.UUID
    email: str
    full_name: str


class NodeRef(Schema):
    id: uuid.UUID
    urn: str
    ref_id: str
    title: str


class SystemRef(Schema):
    id: uuid.UUID
    name: str


class PageMeta(Schema):
    count: int
    page: int
    pages: int


class ListQuery(Schema):
    q: str | None = None
    sort: str | None = None
    page: int = 1
    page_size: int = Field(25, ge=1, le=200)
