"""API schemas of the catalog."""

from __future__ import annotations

import uuid
from typing import Any

from ninja import Schema


class FrameworkOut(Schema):
    id: uuid.UUID
    urn: str
    key: str
    version: str
    name: str
    title: str
    publisher: str
    kind: str
    description: str
    source_title: str
    source_url: str
    is_builtin: bool
    requirement_count: int = 0


class NodeBriefOut(Schema):
    urn: str
    ref_id: str
    kind: str
    title: str
    framework_urn: str

    @staticmethod
    def resolve_framework_urn(obj: Any) -> str:
        return obj.framework.urn


class NodeOut(Schema):
    urn: str
    ref_id: str
    parent_ref_id: str | None
    kind: str
    title: str
    depth: int
    summary: str
    guidance: str
    evidence: list[str]
    audit_questions: list[str]
    documented_information: bool
    tags: list[str]
    attributes: dict[str, Any]


class FrameworkDetailOut(FrameworkOut):
    nodes: list[NodeOut]


class CrosswalkOut(Schema):
    direction: str  # "outgoing" (this node is the source) or "incoming"
    mapping_set: str
    authority: str
    relationship: str
    strength: str
    rationale: str
    citation: str
    other: NodeBriefOut


class RelatedOut(Schema):
    node: NodeBriefOut
    hops: int
    via: list[str]
    relationship: str
    strength: str


class NodeDetailOut(NodeOut):
    framework_urn: str
    crosswalks: list[CrosswalkOut]
    related: list[RelatedOut]


class MappingSetOut(Schema):
    id: uuid.UUID
    key: str
    name: str
    source_framework: str
    target_framework: str
    authority: str
    source_title: str
    source_url: str
    description: str
    mapping_count: int

    @staticmethod
    def resolve_source_framework(obj: Any) -> str:
        return obj.source_framework.urn

    @staticmethod
    def resolve_target_framework(obj: Any) -> str:
        return obj.target_framework.urn


class ImportedOut(Schema):
    kind: str
    urn: str
    name: str
    summary: str


class ImportResultOut(Schema):
    imported: list[ImportedOut]
    notes: list[str] = []
