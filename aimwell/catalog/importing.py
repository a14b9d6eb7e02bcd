"""Import and export of frameworks and crosswalks in every supported file format."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from aimwell.catalog import services
from aimwell.catalog.models import Framework
from aimwell.catalog.spec import CatalogFormatError, FrameworkSpec, MappingSetSpec, NodeSpec

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

        return [_override(s, options) for s in ciso_assistant.parse_library(text, filename)]
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
