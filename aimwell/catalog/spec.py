"""The neutral, validated form of a framework or a crosswalk, whatever file it came from.

Every import format (our YAML, CSV, OSCAL, CISO Assistant) parses into these dataclasses and every
export format writes from them; the loader writes them to the database. Nothing here touches
Django, so formats can be tested on their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

NODE_KINDS = ("group", "requirement", "control", "objective", "risk_source", "article")
FRAMEWORK_KINDS = ("standard", "regulation", "framework", "custom")
RELATIONSHIPS = ("equal", "subset", "superset", "intersects")
STRENGTHS = ("strong", "moderate", "weak")
AUTHORITIES = ("published", "aimwell-analysis", "organisation")
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")
VERSION_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,19}$")


class CatalogFormatError(ValueError):
    """A file that cannot be imported; `where` names the line or the node."""

    def __init__(self, message: str, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


@dataclass
class NodeSpec:
    id: str
    kind: str
    title: str
    summary: str = ""
    guidance: str = ""
    evidence: list[str] = field(default_factory=list)
    audit_questions: list[str] = field(default_factory=list)
    documented_information: bool = False
    tags: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    children: list[NodeSpec] = field(default_factory=list)
    where: str | None = None  # e.g. "line 42" in the source file, for error messages


@dataclass
class FrameworkSpec:
    key: str
    version: str
    name: str
    title: str = ""
    publisher: str = ""
    kind: str = "custom"
    description: str = ""
    source_title: str = ""
    source_url: str = ""
    nodes: list[NodeSpec] = field(default_factory=list)

    @property
    def urn(self) -> str:
        return f"{self.key}:{self.version}"

    def walk(self) -> Iterator[tuple[NodeSpec, NodeSpec | None, int]]:
        """Every node depth-first, with its parent and depth, in document order."""
        stack: list[tuple[NodeSpec, NodeSpec | None, int]] = [
            (n, None, 0) for n in reversed(self.nodes)
        ]
        while stack:
            node, parent, depth = stack.pop()
            yield node, parent, depth
            stack.extend((c, node, depth + 1) for c in reversed(node.children))

    def validate(self) -> FrameworkSpec:
        if not KEY_PATTERN.match(self.key):
            raise CatalogFormatError(
                f"framework key {self.key!r} must be lower-case letters, digits and hyphens",
                "framework",
            )
        if not VERSION_PATTERN.match(self.version):
            raise CatalogFormatError(
                f"framework version {self.version!r} must be letters, digits, dots or hyphens",
                "framework",
            )
        if not self.name.strip():
            raise CatalogFormatError("the framework needs a name", "framework")
        if self.kind not in FRAMEWORK_KINDS:
            raise CatalogFormatError(
                f"framework kind {self.kind!r} is not one of {', '.join(FRAMEWORK_KINDS)}",
                "framework",
            )
        if not self.nodes:
            raise CatalogFormatError("the framework has no nodes", "framework")
        seen: dict[str, str | None] = {}
        for node, _, _ in self.walk():
            where = node.where or f"node {node.id!r}"
            if not node.id or not node.id.strip() or len(node.id) > 60:
                raise CatalogFormatError("every node needs an id of at most 60 characters", where)
            if node.id in seen:
                raise CatalogFormatError(
                    f"node id {node.id!r} appears twice (first at {seen[node.id] or '?'})", where
                )
            seen[node.id] = node.where
            if node.kind not in NODE_KINDS:
                raise CatalogFormatError(
                    f"node {node.id!r} has kind {node.kind!r}; use one of {', '.join(NODE_KINDS)}",
                    where,
                )
            if not node.title.strip():
                raise CatalogFormatError(f"node {node.id!r} has no title", where)
            if len(node.title) > 300:
                raise CatalogFormatError(f"node {node.id!r} has a title over 300 characters", where)
        return self


@dataclass
class MappingSpec:
    source: str
    target: str
    relationship: str
    strength: str = "moderate"
    rationale: str = ""
    citation: str = ""
    where: str | None = None
    # Foreign node identifiers (CISO Assistant urns), for resolving against loaded frameworks.
    source_urn: str = ""
    target_urn: str = ""


@dataclass
class MappingSetSpec:
    key: str
    name: str
    source_framework: str  # "<key>:<version>"
    target_framework: str
    authority: str = "organisation"
    source_title: str = ""
    source_url: str = ""
    description: str = ""
    mappings: list[MappingSpec] = field(default_factory=list)

    def validate(self) -> MappingSetSpec:
        if not re.match(r"^[a-z0-9][a-z0-9._-]{0,99}$", self.key):
            raise CatalogFormatError(
                f"mapping set key {self.key!r} must be lower-case letters, digits, '.', '_', '-'",
                "mapping_set",
            )
        if self.authority not in AUTHORITIES:
            raise CatalogFormatError(
                f"authority {self.authority!r} is not one of {', '.join(AUTHORITIES)}",
                "mapping_set",
            )
        seen: set[tuple[str, str]] = set()
        for m in self.mappings:
            where = m.where or f"mapping {m.source} -> {m.target}"
            if m.relationship not in RELATIONSHIPS:
                raise CatalogFormatError(
                    f"relationship {m.relationship!r} is not one of {', '.join(RELATIONSHIPS)}",
                    where,
                )
            if m.strength not in STRENGTHS:
                raise CatalogFormatError(
                    f"strength {m.strength!r} is not one of {', '.join(STRENGTHS)}", where
                )
            if (m.source, m.target) in seen:
                raise CatalogFormatError(f"{m.source} -> {m.target} is listed twice", where)
            seen.add((m.source, m.target))
        return self
