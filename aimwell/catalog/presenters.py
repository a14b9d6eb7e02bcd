"""Shapes shared by the catalog's page, API and CLI: a node with its crosswalks."""

from __future__ import annotations

from typing import Any

from aimwell.catalog.models import RequirementNode
from aimwell.catalog.querysets import crosswalks, related


def node_row(node: RequirementNode, parent_ref: str | None) -> dict[str, Any]:
    return {
        "urn": node.urn,
        "ref_id": node.ref_id,
        "parent_ref_id": parent_ref,
        "kind": node.kind,
        "title": node.title,
        "depth": node.depth,
        "summary": node.summary,
        "guidance": node.guidance,
        "evidence": node.evidence,
        "audit_questions": node.audit_questions,
        "documented_information": node.documented_information,
        "tags": node.tags,
        "attributes": node.attributes,
    }


def node_detail(
    organisation: Any, node: RequirementNode, *, framework_key: str | None = None
) -> dict[str, Any]:
    """The node, its direct crosswalks both ways, and what it reaches through other frameworks."""
    direct = []
    for m in crosswalks(organisation, node):
        outgoing = m.source_id == node.pk
        direct.append(
            {
                "direction": "outgoing" if outgoing else "incoming",
                "mapping_set": m.mapping_set.name,
                "authority": m.mapping_set.authority,
                "relationship": m.relationship,
                "strength": m.strength,
                "rationale": m.rationale,
                "citation": m.citation,
                "other": m.target if outgoing else m.source,
            }
        )
    reach = [
        {
            "node": r.node,
            "hops": r.hops,
            "via": [v.urn for v in r.via],
            "relationship": r.relationship,
            "strength": r.strength,
        }
        for r in related(organisation, node, framework_key=framework_key)
        if r.node.framework_id != node.framework_id
    ]
    parent_ref = node.parent.ref_id if node.parent else None
    return {
        **node_row(node, parent_ref),
        "framework_urn": node.framework.urn,
        "framework": node.framework,
        "crosswalks": direct,
        "related": reach,
    }
