"""Read-side queries of the catalog: trees, search, and crosswalks in both directions and across
frameworks ("what in the EU AI Act does evidence for A.6.2.6 help with?").

Each takes the organisation the caller works in (already checked to be theirs, or None for the
built-in catalog only) and sees the built-in rows plus that organisation's own.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from aimwell.catalog.models import Framework, Mapping, MappingSet, RequirementNode


def _in_scope(organisation: Any | None, path: str = "organisation") -> Q:
    scope = Q(**{f"{path}__isnull": True})
    if organisation is not None:
        scope |= Q(**{path: organisation.pk})
    return scope


def frameworks_for(organisation: Any | None) -> QuerySet[Framework]:
    return (
        Framework.objects.filter(_in_scope(organisation))
        .annotate(
            requirement_count=Count(
                "nodes", filter=Q(nodes__is_retired=False) & ~Q(nodes__kind="group")
            )
        )
        .order_by("organisation_id", "name")
    )


def framework_by_urn(organisation: Any | None, urn: str) -> Framework | None:
    """The organisation's own framework of that URN first, else the built-in one."""
    candidates = Framework.objects.filter(urn=urn)
    if organisation is not None:
        own = candidates.filter(organisation=organisation).first()
        if own is not None:
            return own
    return candidates.filter(organisation__isnull=True).first()


def node_by_urn(organisation: Any | None, urn: str) -> RequirementNode | None:
    """A node by `<framework>:<version>:<id>`; ids may themselves hold spaces but not colons."""
    parts = urn.split(":", 2)
    if len(parts) != 3:
        return None
    framework = framework_by_urn(organisation, f"{parts[0]}:{parts[1]}")
    if framework is None:
        return None
    return (
        RequirementNode.objects.select_related("framework", "parent")
        .filter(framework=framework, ref_id=parts[2])
        .first()
    )


def tree(framework: Framework) -> QuerySet[RequirementNode]:
    """All live nodes in document order; `depth` lets a template indent without recursion."""
    return framework.nodes.filter(is_retired=False).order_by("position")


def search(
    organisation: Any | None, query: str, *, limit: int = 100, framework_key: str = ""
) -> list[RequirementNode]:
    """Live nodes whose reference, title, summary or guidance hold every word of the query;
    `framework_key` (e.g. "iso42001") keeps one framework's nodes only."""
    terms = [t for t in query.split() if t]
    if not terms:
        return []
    nodes = RequirementNode.objects.filter(
        _in_scope(organisation, "framework__organisation"), is_retired=False
    )
    if framework_key:
        nodes = nodes.filter(framework__key=framework_key)
    for term in terms:
        nodes = nodes.filter(
            Q(ref_id__icontains=term)
            | Q(title__icontains=term)
            | Q(summary__icontains=term)
            | Q(guidance__icontains=term)
        )
    return list(nodes.select_related("framework").order_by("framework__name", "position")[:limit])


def mapping_sets_for(organisation: Any | None) -> QuerySet[MappingSet]:
    return (
        MappingSet.objects.filter(_in_scope(organisation))
        .select_related("source_framework", "target_framework")
        .annotate(mapping_count=Count("mappings"))
    )


def crosswalks(organisation: Any | None, node: RequirementNode) -> list[Mapping]:
    """Every mapping that touches the node, in either direction."""
    sets = MappingSet.objects.filter(_in_scope(organisation))
    return list(
        Mapping.objects.filter(mapping_set__in=sets)
        .filter(Q(source=node) | Q(target=node))
        .select_related("mapping_set", "source__framework", "target__framework")
        .order_by("mapping_set__name", "source__position", "target__position")
    )


@dataclass
class Related:
    node: RequirementNode
    hops: int
    via: list[RequirementNode]  # the intermediate nodes, empty for a direct mapping
    relationship: str
    strength: str


def related(
    organisation: Any | None,
    node: RequirementNode,
    *,
    framework_key: str | None = None,
    max_hops: int = 2,
) -> list[Related]:
    """Requirements reachable through crosswalks, nearest first; one query per hop.

    The relationship of a chain is 'intersects' unless every step is 'equal'; the strength is the
    weakest step's. Results can be narrowed to one framework by its key (e.g. 'eu-ai-act').
    """
    sets = list(MappingSet.objects.filter(_in_scope(organisation)).values_list("id", flat=True))
    order = {"strong": 0, "moderate": 1, "weak": 2}
    found: dict[Any, Related] = {}
    frontier: deque[tuple[Any, list[RequirementNode], str, str]] = deque(
        [(node.pk, [], "equal", "strong")]
    )
    seen = {node.pk}
    for hop in range(1, max_hops + 1):
        if not frontier:
            break
        ids = {item[0] for item in frontier}
        context = {item[0]: item for item in frontier}
        frontier = deque()
        edges = (
            Mapping.objects.filter(mapping_set_id__in=sets)
            .filter(Q(source_id__in=ids) | Q(target_id__in=ids))
            .select_related("source__framework", "target__framework")
        )
        for edge in edges:
            for here, there in ((edge.source, edge.target), (edge.target, edge.source)):
                if here.pk not in ids or there.pk in seen:
                    continue
                _, via, relationship, strength = context[here.pk]
                rel = (
                    "equal"
                    if relationship == "equal" and edge.relationship == "equal"
                    else (edge.relationship if hop == 1 else "intersects")
                )
                weakest = max(strength, edge.strength, key=lambda s: order.get(s, 3))
                path = [*via, here] if here.pk != node.pk else []
                seen.add(there.pk)
                found[there.pk] = Related(there, hop, path, rel, weakest)
                frontier.append((there.pk, path, rel, weakest))
    results = list(found.values())
    if framework_key:
        results = [r for r in results if r.node.framework.key == framework_key]
    results.sort(key=lambda r: (r.hops, r.node.framework.name, r.node.position))
    return results
