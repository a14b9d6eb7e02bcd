"""Import and export of frameworks and crosswalks in every supported file format."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from aimwell.catalog import services
from aimwell.catalog.models import Framework
from aimwell.catalog.spec import CatalogFormatError, FrameworkSpec, MappingSetSpec, NodeSpec
from aimwell.core.limits import nul_paths

IMPORT_FORMATS = ("aimwell-yaml", "csv", "oscal", "ciso-assistant")
EXPORT_FORMATS = {
    "yaml": ("application/yaml", "yaml"),
    "csv": ("text/csv", "csv"),
    "oscal": ("application/json", "oscal.json"),
}
MAX_IMPORT_BYTES = 10 * 1024 * 1024


@dataclass
class ImportOptions:
    """What a CSV or foreign file cannot say about itself."""

    key: str | None = None
    version: str | None = None
    name: str | None = None
    source_framework: str | None = None
    target_framework: str | None = None
    mapping_set: bool = False
    # An OSCAL profile: the catalog it selects from, as a file or found among loaded frameworks.
    catalog: bytes | None = None
    lookup: Callable[[str], FrameworkSpec | None] | None = None
    # CISO Assistant framework urn -> Aimwell `<key>:<version>`, when the kept urns do not say.
    framework_refs: dict[str, str] = field(default_factory=dict)
    # What the import kept and skipped beyond the counts, for the person importing.
    notes: list[str] = field(default_factory=list)


def guess_format(filename: str, text: str) -> str:
    lower = filename.lower()
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith(".json"):
        return "oscal"
    if lower.endswith((".yaml", ".yml")):
        head = text[:4000]
        if "objects:" in head and ("requirement_nodes" in text or "urn:" in head):
            return "ciso-assistant"
        return "aimwell-yaml"
    raise CatalogFormatError(
        "cannot tell the format from the file name; use .yaml, .csv or .json, or name the format",
        filename,
    )


def _decode(content: bytes, filename: str) -> str:
    if len(content) > MAX_IMPORT_BYTES:
        raise CatalogFormatError("the file is larger than 10 MB", filename)
    if not content.strip():
        raise CatalogFormatError("the file is empty", filename)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogFormatError("the file is not UTF-8 text", filename) from exc


def parse(
    content: bytes, filename: str, fmt: str | None, options: ImportOptions
) -> list[FrameworkSpec | MappingSetSpec]:
    """The frameworks and mapping sets in the file. A text holding a NUL character is refused
    (PostgreSQL cannot store it), wherever it came from: raw in the file or escaped (`\\u0000` in
    JSON, `\\0` in YAML)."""
    specs = _parse(content, filename, fmt, options)
    for spec in specs:
        found = nul_paths(dataclasses.asdict(spec))
        if found:
            message = f"{found[0]} holds a NUL character (\\x00); remove it"
            raise CatalogFormatError(message, filename)
    return specs


def _parse(
    content: bytes, filename: str, fmt: str | None, options: ImportOptions
) -> list[FrameworkSpec | MappingSetSpec]:
    text = _decode(content, filename)
    fmt = fmt or guess_format(filename, text)
    if fmt == "aimwell-yaml":
        from aimwell.catalog.formats import aimwell_yaml

        if aimwell_yaml.detect_document(text, filename) == "framework":
            spec: FrameworkSpec | MappingSetSpec = aimwell_yaml.parse_framework(text, filename)
        else:
            spec = aimwell_yaml.parse_mapping_set(text, filename)
        return [_override(spec, options)]
    if fmt == "csv":
        from aimwell.catalog.formats import csv_format

        if options.mapping_set:
            if not (
                options.key
                and options.name
                and options.source_framework
                and options.target_framework
            ):
                raise CatalogFormatError(
                    "a CSV mapping set needs a key, a name, and source and target frameworks",
                    filename,
                )
            return [
                csv_format.parse_mapping_set(
                    text,
                    key=options.key,
                    name=options.name,
                    source=filename,
                    source_framework=options.source_framework,
                    target_framework=options.target_framework,
                )
            ]
        return [
            csv_format.parse_framework(
                text, key=options.key, version=options.version, name=options.name, source=filename
            )
        ]
    if fmt == "oscal":
        from aimwell.catalog.formats import oscal

        if _root_member(text) == "profile":
            from aimwell.catalog.formats import oscal_profile

            catalog_text = _decode(options.catalog, "catalog") if options.catalog else None
            return [
                oscal_profile.parse_profile(
                    text,
                    catalog_text=catalog_text,
                    lookup=options.lookup,
                    key=options.key,
                    version=options.version,
                    name=options.name,
                    source=filename,
                )
            ]
        return [
            oscal.parse_catalog(
                text, key=options.key, version=options.version, name=options.name, source=filename
            )
        ]
    if fmt == "ciso-assistant":
        from aimwell.catalog.formats import ciso_assistant

        return [
            _override(s, options)
            for s in ciso_assistant.parse_library(
                text, filename, framework_refs=options.framework_refs, notes=options.notes
            )
        ]
    raise CatalogFormatError(
        f"unknown format {fmt!r}; use one of {', '.join(IMPORT_FORMATS)}", filename
    )


def _root_member(text: str) -> str | None:
    """The first member of a JSON object (`catalog`, `profile`), read without parsing it all."""
    import re

    match = re.match(r'\s*\{\s*"([a-z-]+)"', text.removeprefix("\ufeff"))
    return match.group(1) if match else None


def catalog_lookup(organisation: Any | None) -> Callable[[str], FrameworkSpec | None]:
    """Finds the catalog an OSCAL profile names (`iso42001-2023.oscal.json`) among the frameworks
    the organisation sees, its own first."""
    from aimwell.catalog.formats.oscal_profile import framework_ref_from_href
    from aimwell.catalog.querysets import framework_by_urn

    def lookup(href: str) -> FrameworkSpec | None:
        urn = framework_ref_from_href(href)
        framework = framework_by_urn(organisation, urn) if urn else None
        return spec_from_db(framework) if framework is not None else None

    return lookup


def parse_framework_refs(values: Sequence[str]) -> dict[str, str]:
    """`URN=key:version` pairs from the --framework-ref option or form field."""
    refs: dict[str, str] = {}
    for value in values:
        for item in value.split():
            urn, sep, ref = item.partition("=")
            if not sep or not urn or ref.count(":") != 1:
                raise CatalogFormatError(
                    f"framework ref {item!r} must be CISO_URN=key:version, e.g. "
                    "urn:intuitem:risk:framework:iso27001-2022=iso27001-own:2022"
                )
            refs[urn] = ref
    return refs


def resolve_ciso_references(
    specs: Sequence[FrameworkSpec | MappingSetSpec], organisation: Any | None
) -> None:
    """Mapping sets naming a framework of another CISO Assistant library (`ciso:<urn>`) are
    resolved to the loaded framework whose nodes keep the mapped requirement urns, and every
    mapped node to the node keeping that urn; nothing is guessed."""
    from aimwell.catalog.formats.ciso_assistant import CISO_REF_PREFIX
    from aimwell.catalog.models import RequirementNode
    from aimwell.catalog.querysets import frameworks_for

    mapping_sets = [s for s in specs if isinstance(s, MappingSetSpec)]
    if not mapping_sets:
        return
    visible = [f.pk for f in frameworks_for(organisation)]
    by_urn: dict[str, tuple[str, str]] = {}  # node urn (lower) -> (framework urn, node id)
    for framework_urn, ref_id, attributes in RequirementNode.objects.filter(
        framework_id__in=visible, attributes__has_key="ciso_urn"
    ).values_list("framework__urn", "ref_id", "attributes"):
        by_urn.setdefault(str(attributes["ciso_urn"]).lower(), (framework_urn, ref_id))
    for spec in specs:  # frameworks of this very import come first
        if isinstance(spec, FrameworkSpec):
            for node, _, _ in spec.walk():
                if node.attributes.get("ciso_urn"):
                    by_urn[str(node.attributes["ciso_urn"]).lower()] = (spec.urn, node.id)
    for ms in mapping_sets:
        for side in ("source", "target"):
            framework = getattr(ms, f"{side}_framework")
            urns = [getattr(m, f"{side}_urn").lower() for m in ms.mappings]
            if framework.startswith(CISO_REF_PREFIX):
                found = {by_urn[u][0] for u in urns if u in by_urn}
                if len(found) != 1:
                    foreign = framework.removeprefix(CISO_REF_PREFIX)
                    raise CatalogFormatError(
                        f"the {side} framework {foreign} is not loaded (no framework keeps the "
                        "urns of its requirements): import its CISO Assistant library first, "
                        f"or name it with --framework-ref {foreign}=key:version",
                        ms.key,
                    )
                framework = found.pop()
                setattr(ms, f"{side}_framework", framework)
            for mapping in ms.mappings:
                hit = by_urn.get(getattr(mapping, f"{side}_urn").lower())
                if hit is not None and hit[0] == framework:
                    setattr(mapping, side, hit[1])


def _override(
    spec: FrameworkSpec | MappingSetSpec, options: ImportOptions
) -> FrameworkSpec | MappingSetSpec:
    if isinstance(spec, FrameworkSpec):
        spec.key = options.key or spec.key
        spec.version = options.version or spec.version
        spec.name = options.name or spec.name
        return spec.validate()
    return spec


@transaction.atomic
def import_specs(
    specs: Sequence[FrameworkSpec | MappingSetSpec], *, organisation: Any | None, actor: Any
) -> list[tuple[Framework | Any, services.LoadReport]]:
    """Frameworks first, then mapping sets, all or nothing."""
    resolve_ciso_references(specs, organisation)
    results: list[tuple[Any, services.LoadReport]] = []
    for spec in sorted(specs, key=lambda s: isinstance(s, MappingSetSpec)):
        if isinstance(spec, FrameworkSpec):
            results.append(services.import_framework(spec, organisation=organisation, actor=actor))
        else:
            results.append(
                services.import_mapping_set(spec, organisation=organisation, actor=actor)
            )
    return results


def spec_from_db(framework: Framework) -> FrameworkSpec:
    """Rebuild the neutral spec from the database (live nodes only), for export."""
    spec = FrameworkSpec(
        key=framework.key,
        version=framework.version,
        name=framework.name,
        title=framework.title,
        publisher=framework.publisher,
        kind=framework.kind,
        description=framework.description,
        source_title=framework.source_title,
        source_url=framework.source_url,
    )
    by_id: dict[Any, NodeSpec] = {}
    for row in framework.nodes.filter(is_retired=False).order_by("position"):
        node = NodeSpec(
            id=row.ref_id,
            kind=row.kind,
            title=row.title,
            summary=row.summary,
            guidance=row.guidance,
            evidence=list(row.evidence),
            audit_questions=list(row.audit_questions),
            documented_information=row.documented_information,
            tags=list(row.tags),
            attributes=dict(row.attributes),
        )
        by_id[row.pk] = node
        parent = by_id.get(row.parent_id)
        (parent.children if parent else spec.nodes).append(node)
    return spec


def export(framework: Framework, fmt: str) -> tuple[bytes, str, str]:
    """The file's bytes, its content type and a file name."""
    if fmt not in EXPORT_FORMATS:
        raise CatalogFormatError(f"unknown export format {fmt!r}; use yaml, csv or oscal")
    spec = spec_from_db(framework)
    if fmt == "yaml":
        from aimwell.catalog.formats.aimwell_yaml import dump_framework

        text = dump_framework(spec)
    elif fmt == "csv":
        from aimwell.catalog.formats.csv_format import dump_framework as dump_csv

        text = dump_csv(spec)
    else:
        from aimwell.catalog.formats.oscal import dump_catalog

        text = dump_catalog(spec)
    content_type, suffix = EXPORT_FORMATS[fmt]
    return text.encode("utf-8"), content_type, f"{framework.key}-{framework.version}.{suffix}"
