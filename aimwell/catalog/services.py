"""The only writers of the catalog: idempotent upserts of frameworks and crosswalks by URN.

Reloading a file updates rows in place (same primary keys), creates what is new, and retires
nodes that left the file instead of deleting them, so nothing that links to a node is orphaned.
Each import is one transaction: a file with an error writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from aimwell.catalog.models import Framework, Mapping, MappingSet, RequirementNode
from aimwell.catalog.spec import CatalogFormatError, FrameworkSpec, MappingSetSpec
from aimwell.core.audit import record_event

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "data" / "catalog"
NODE_FIELDS = (
    "kind",
    "title",
    "summary",
    "guidance",
    "evidence",
    "audit_questions",
    "documented_information",
    "tags",
    "attributes",
    "position",
    "depth",
    "is_retired",
    "urn",
)
FRAMEWORK_FIELDS = (
    "key",
    "version",
    "name",
    "title",
    "publisher",
    "kind",
    "description",
    "source_title",
    "source_url",
)


@dataclass
class LoadReport:
    frameworks: list[str] = field(default_factory=list)
    mapping_sets: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    retired: int = 0
    mappings_created: int = 0
    mappings_updated: int = 0
    mappings_removed: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.created,
                self.updated,
                self.retired,
                self.mappings_created,
                self.mappings_updated,
                self.mappings_removed,
            )
        )

    def summary(self) -> str:
        return (
            f"{len(self.frameworks)} framework(s), {len(self.mapping_sets)} mapping set(s): "
            f"{self.created} node(s) created, {self.updated} updated, {self.retired} retired; "
            f"{self.mappings_created} mapping(s) created, {self.mappings_updated} updated, "
            f"{self.mappings_removed} removed"
        )


def _scoped(model: type[Any], organisation: Any | None) -> Any:
    if organisation is None:
        return model.objects.filter(organisation__isnull=True)
    return model.objects.filter(organisation=organisation)


def _refuse_builtin_key(spec: FrameworkSpec, organisation: Any | None) -> None:
    """An organisation's framework never takes the key of a built-in one.

    Two frameworks under one key (say `iso42001:2023`, the shipped one and an organisation's
    re-imported export) would shadow each other in every lookup by URN, and the copy would have
    none of the built-in crosswalks. So the import is refused and the user picks another key.
    """
    if organisation is None:
        return
    builtin = (
        Framework.objects.filter(organisation__isnull=True, key=spec.key)
        .order_by("version")
        .first()
    )
    if builtin is not None:
        raise CatalogFormatError(
            f"the key {spec.key!r} belongs to the built-in framework {builtin.name} "
            f"({builtin.urn}); nothing was imported. Import it under a key of your own "
            f"(for example {spec.key[:46]}-own) with the key option",
            "framework",
        )


def _upsert_framework(
    spec: FrameworkSpec, organisation: Any | None, report: LoadReport
) -> Framework:
    _refuse_builtin_key(spec, organisation)
    header = {name: getattr(spec, name) for name in FRAMEWORK_FIELDS}
    framework = _scoped(Framework, organisation).filter(urn=spec.urn).first()
    if framework is None:
        framework = Framework.objects.create(organisation=organisation, urn=spec.urn, **header)
    else:
        changed = [k for k, v in header.items() if getattr(framework, k) != v]
        if changed:
            for name in changed:
                setattr(framework, name, header[name])
            framework.save(update_fields=[*changed, "updated_at"])
    existing = {node.ref_id: node for node in framework.nodes.all()}
    wanted_parent: dict[str, str | None] = {}
    new_nodes: list[RequirementNode] = []
    changed_nodes: dict[str, RequirementNode] = {}
    changed_fields: set[str] = set()
    for position, (node, parent, depth) in enumerate(spec.walk()):
        values = {
            "kind": node.kind,
            "title": node.title,
            "summary": node.summary,
            "guidance": node.guidance,
            "evidence": node.evidence,
            "audit_questions": node.audit_questions,
            "documented_information": node.documented_information,
            "tags": node.tags,
            "attributes": node.attributes,
            "position": position,
            "depth": depth,
            "is_retired": False,
            "urn": f"{spec.urn}:{node.id}",
        }
        wanted_parent[node.id] = parent.id if parent else None
        row = existing.get(node.id)
        if row is None:
            new_nodes.append(RequirementNode(framework=framework, ref_id=node.id, **values))
            continue
        diff = [k for k, v in values.items() if getattr(row, k) != v]
        if diff:
            for name in diff:
                setattr(row, name, values[name])
            changed_nodes[node.id] = row
            changed_fields.update(diff)
    RequirementNode.objects.bulk_create(new_nodes)
    report.created += len(new_nodes)
    by_ref = {**existing, **{n.ref_id: n for n in new_nodes}}
    for ref_id, parent_ref in wanted_parent.items():
        row = by_ref[ref_id]
        parent_id = by_ref[parent_ref].pk if parent_ref else None
        if row.parent_id != parent_id:
            row.parent_id = parent_id
            if row not in new_nodes:
                changed_nodes[ref_id] = row
                changed_fields.add("parent")
            else:
                changed_nodes.setdefault(f"new:{ref_id}", row)
    updated = [r for key, r in changed_nodes.items() if not key.startswith("new:")]
    if updated:
        RequirementNode.objects.bulk_update(updated, sorted(changed_fields))
    new_with_parent = [r for key, r in changed_nodes.items() if key.startswith("new:")]
    if new_with_parent:
        RequirementNode.objects.bulk_update(new_with_parent, ["parent"])
    report.updated += len(updated)
    gone = [ref for ref, row in existing.items() if ref not in wanted_parent and not row.is_retired]
    if gone:
        report.retired += framework.nodes.filter(ref_id__in=gone).update(is_retired=True)
    report.frameworks.append(spec.urn)
    return framework


def _framework_for(urn: str, organisation: Any | None, where: str) -> Framework:
    """An organisation's own framework of that URN, else the built-in one."""
    if organisation is not None:
        own = Framework.objects.filter(organisation=organisation, urn=urn).first()
        if own is not None:
            return own
    builtin = Framework.objects.filter(organisation__isnull=True, urn=urn).first()
    if builtin is None:
        raise CatalogFormatError(f"no framework {urn!r} is loaded; import it first", where)
    return builtin


def _upsert_mapping_set(
    spec: MappingSetSpec, organisation: Any | None, report: LoadReport
) -> MappingSet:
    source_fw = _framework_for(spec.source_framework, organisation, "mapping_set")
    target_fw = _framework_for(spec.target_framework, organisation, "mapping_set")
    source_nodes = dict(source_fw.nodes.values_list("ref_id", "id"))
    target_nodes = dict(target_fw.nodes.values_list("ref_id", "id"))
    header = {
        "name": spec.name,
        "source_framework": source_fw,
        "target_framework": target_fw,
        "authority": spec.authority,
        "source_title": spec.source_title,
        "source_url": spec.source_url,
        "description": spec.description,
    }
    if (
        organisation is not None
        and MappingSet.objects.filter(organisation__isnull=True, key=spec.key).exists()
    ):
        raise CatalogFormatError(
            f"the key {spec.key!r} belongs to a built-in crosswalk; nothing was imported. "
            "Give the crosswalk a key of your own",
            "mapping_set",
        )
    mapping_set = _scoped(MappingSet, organisation).filter(key=spec.key).first()
    if mapping_set is None:
        mapping_set = MappingSet.objects.create(organisation=organisation, key=spec.key, **header)
    else:
        for name, value in header.items():
            setattr(mapping_set, name, value)
        mapping_set.save()
    existing = {(m.source_id, m.target_id): m for m in mapping_set.mappings.all()}
    seen: set[tuple[Any, Any]] = set()
    to_create: list[Mapping] = []
    to_update: list[Mapping] = []
    for item in spec.mappings:
        where = item.where or f"mapping {item.source} -> {item.target}"
        if item.source not in source_nodes:
            raise CatalogFormatError(f"{spec.source_framework} has no node {item.source!r}", where)
        if item.target not in target_nodes:
            raise CatalogFormatError(f"{spec.target_framework} has no node {item.target!r}", where)
        pair = (source_nodes[item.source], target_nodes[item.target])
        seen.add(pair)
        values = {
            "relationship": item.relationship,
            "strength": item.strength,
            "rationale": item.rationale,
            "citation": item.citation or spec.source_title,
        }
        row = existing.get(pair)
        if row is None:
            to_create.append(
                Mapping(mapping_set=mapping_set, source_id=pair[0], target_id=pair[1], **values)
            )
        elif any(getattr(row, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            to_update.append(row)
    Mapping.objects.bulk_create(to_create)
    if to_update:
        Mapping.objects.bulk_update(
            to_update, ["relationship", "strength", "rationale", "citation"]
        )
    stale = [m.pk for pair, m in existing.items() if pair not in seen]
    if stale:
        Mapping.objects.filter(pk__in=stale).delete()
    report.mappings_created += len(to_create)
    report.mappings_updated += len(to_update)
    report.mappings_removed += len(stale)
    report.mapping_sets.append(spec.key)
    return mapping_set


def _record_import(
    organisation: Any, actor: Any, obj: Framework | MappingSet, report: LoadReport
) -> None:
    record_event(
        organisation_id=organisation.pk,
        actor=actor,
        action="catalog.imported",
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        object_repr=str(obj),
        changes={"summary": [None, report.summary()]},
    )


@transaction.atomic
def import_framework(
    spec: FrameworkSpec, *, organisation: Any | None, actor: Any | None
) -> tuple[Framework, LoadReport]:
    """Create or update a framework from a validated spec (organisation None: built-in)."""
    report = LoadReport()
    framework = _upsert_framework(spec.validate(), organisation, report)
    if organisation is not None:
        _record_import(organisation, actor, framework, report)
    return framework, report


@transaction.atomic
def import_mapping_set(
    spec: MappingSetSpec, *, organisation: Any | None, actor: Any | None
) -> tuple[MappingSet, LoadReport]:
    report = LoadReport()
    mapping_set = _upsert_mapping_set(spec.validate(), organisation, report)
    if organisation is not None:
        _record_import(organisation, actor, mapping_set, report)
    return mapping_set, report


@transaction.atomic
def load_builtin_catalog(directory: Path = BUILTIN_DIR) -> LoadReport:
    """Load every shipped framework and crosswalk; running it again changes nothing."""
    from aimwell.catalog.formats.aimwell_yaml import parse_framework_dir, parse_mapping_set

    report = LoadReport()
    for folder in sorted(p for p in (directory / "frameworks").iterdir() if p.is_dir()):
        _upsert_framework(parse_framework_dir(folder), None, report)
    for path in sorted((directory / "crosswalks").glob("*.yaml")):
        spec = parse_mapping_set(path.read_text(encoding="utf-8"), f"crosswalks/{path.name}")
        _upsert_mapping_set(spec, None, report)
    return report
