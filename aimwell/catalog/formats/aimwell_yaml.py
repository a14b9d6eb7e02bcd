"""Aimwell's own YAML format (docs/catalog-format.md): read with line numbers, and written back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from aimwell.catalog.spec import (
    CatalogFormatError,
    FrameworkSpec,
    MappingSetSpec,
    MappingSpec,
    NodeSpec,
)

LINE_KEY = "__line__"


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line where each mapping starts."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        return mapping


def load_yaml(text: str, source: str = "file") -> Any:
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise CatalogFormatError(
            f"not valid YAML: {exc.problem}", f"{source} line {line}" if line else source
        ) from exc
    except yaml.YAMLError as exc:
        raise CatalogFormatError(f"not valid YAML: {exc}", source) from exc


def _where(data: dict[str, Any], source: str) -> str:
    return f"{source} line {data.get(LINE_KEY, '?')}"


def _text(data: dict[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        if required:
            raise CatalogFormatError(f"'{key}' is required", where)
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise CatalogFormatError(f"'{key}' must be text", where)
    return value.strip()


def _texts(data: dict[str, Any], key: str, where: str) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CatalogFormatError(f"'{key}' must be a list of texts", where)
    return [v.strip() for v in value]


def _node(data: Any, source: str, parent_where: str) -> NodeSpec:
    if not isinstance(data, dict):
        raise CatalogFormatError(
            "each node must be a mapping with id, kind and title", parent_where
        )
    where = _where(data, source)
    attributes = data.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise CatalogFormatError("'attributes' must be a mapping", where)
    children = data.get("children") or []
    if not isinstance(children, list):
        raise CatalogFormatError("'children' must be a list of nodes", where)
    documented = data.get("documented_information", False)
    if not isinstance(documented, bool):
        raise CatalogFormatError("'documented_information' must be true or false", where)
    return NodeSpec(
        id=_text(data, "id", where, required=True),
        kind=_text(data, "kind", where, required=True),
        title=_text(data, "title", where, required=True),
        summary=_text(data, "summary", where),
        guidance=_text(data, "guidance", where),
        evidence=_texts(data, "evidence", where),
        audit_questions=_texts(data, "audit_questions", where),
        documented_information=documented,
        tags=_texts(data, "tags", where),
        attributes=_strip_lines(attributes),
        children=[_node(child, source, where) for child in children],
        where=where,
    )


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != LINE_KEY}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _framework_header(data: Any, source: str) -> FrameworkSpec:
    if not isinstance(data, dict):
        raise CatalogFormatError("'framework' must be a mapping", source)
    where = _where(data, source)
    src = data.get("source") or {}
    if not isinstance(src, dict):
        raise CatalogFormatError("'source' must be a mapping with title and url", where)
    return FrameworkSpec(
        key=_text(data, "key", where, required=True),
        version=_text(data, "version", where, required=True),
        name=_text(data, "name", where, required=True),
        title=_text(data, "title", where),
        publisher=_text(data, "publisher", where),
        kind=_text(data, "kind", where) or "custom",
        description=_text(data, "description", where),
        source_title=_text(src, "title", where),
        source_url=_text(src, "url", where),
    )


def _nodes(data: Any, source: str) -> list[NodeSpec]:
    if not isinstance(data, list):
        raise CatalogFormatError("'nodes' must be a list", source)
    return [_node(item, source, source) for item in data]


def parse_framework(text: str, source: str = "file") -> FrameworkSpec:
    """A single-file framework: `framework:` and `nodes:` together."""
    doc = load_yaml(text, source)
    if not isinstance(doc, dict) or "framework" not in doc:
        raise CatalogFormatError("expected a 'framework:' header and a 'nodes:' list", source)
    spec = _framework_header(doc["framework"], source)
    spec.nodes = _nodes(doc.get("nodes") or [], source)
    return spec.validate()


def parse_framework_dir(folder: Path) -> FrameworkSpec:
    """A framework kept as a folder: framework.yaml plus node files read in name order."""
    header = folder / "framework.yaml"
    doc = load_yaml(header.read_text(encoding="utf-8"), header.name)
    if not isinstance(doc, dict) or "framework" not in doc:
        raise CatalogFormatError("expected a 'framework:' header", str(header))
    spec = _framework_header(doc["framework"], f"{folder.name}/framework.yaml")
    for part in sorted(folder.glob("*.yaml")):
        if part.name == "framework.yaml":
            continue
        name = f"{folder.name}/{part.name}"
        part_doc = load_yaml(part.read_text(encoding="utf-8"), name)
        if not isinstance(part_doc, dict) or "nodes" not in part_doc:
            raise CatalogFormatError("expected a 'nodes:' list", name)
        spec.nodes.extend(_nodes(part_doc["nodes"], name))
    return spec.validate()


def parse_mapping_set(text: str, source: str = "file") -> MappingSetSpec:
    doc = load_yaml(text, source)
    if not isinstance(doc, dict) or "mapping_set" not in doc:
        raise CatalogFormatError("expected a 'mapping_set:' header and a 'mappings:' list", source)
    head = doc["mapping_set"]
    if not isinstance(head, dict):
        raise CatalogFormatError("'mapping_set' must be a mapping", source)
    where = _where(head, source)
    src = head.get("source") or {}
    spec = MappingSetSpec(
        key=_text(head, "key", where, required=True),
        name=_text(head, "name", where, required=True),
        source_framework=_text(head, "source_framework", where, required=True),
        target_framework=_text(head, "target_framework", where, required=True),
        authority=_text(head, "authority", where) or "organisation",
        source_title=_text(src, "title", where) if isinstance(src, dict) else "",
        source_url=_text(src, "url", where) if isinstance(src, dict) else "",
        description=_text(head, "description", where),
    )
    items = doc.get("mappings") or []
    if not isinstance(items, list):
        raise CatalogFormatError("'mappings' must be a list", source)
    for item in items:
        if not isinstance(item, dict):
            raise CatalogFormatError("each mapping must be a mapping", source)
        w = _where(item, source)
        spec.mappings.append(
            MappingSpec(
                source=_text(item, "source", w, required=True),
                target=_text(item, "target", w, required=True),
                relationship=_text(item, "relationship", w, required=True),
                strength=_text(item, "strength", w) or "moderate",
                rationale=_text(item, "rationale", w),
                citation=_text(item, "citation", w),
                where=w,
            )
        )
    return spec.validate()


def detect_document(text: str, source: str = "file") -> str:
    """'framework' or 'mapping_set', for a file in our YAML format."""
    doc = load_yaml(text, source)
    if isinstance(doc, dict) and "framework" in doc:
        return "framework"
    if isinstance(doc, dict) and "mapping_set" in doc:
        return "mapping_set"
    raise CatalogFormatError("expected a 'framework:' or a 'mapping_set:' document", source)


def _node_dict(node: NodeSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"id": node.id, "kind": node.kind, "title": node.title}
    for name in ("summary", "guidance"):
        if getattr(node, name):
            out[name] = getattr(node, name)
    for name in ("evidence", "audit_questions", "tags"):
        if getattr(node, name):
            out[name] = list(getattr(node, name))
    if node.documented_information:
        out["documented_information"] = True
    if node.attributes:
        out["attributes"] = node.attributes
    if node.children:
        out["children"] = [_node_dict(c) for c in node.children]
    return out


def dump_framework(spec: FrameworkSpec) -> str:
    header: dict[str, Any] = {
        "key": spec.key,
        "version": spec.version,
        "name": spec.name,
        "title": spec.title,
        "publisher": spec.publisher,
        "kind": spec.kind,
        "description": spec.description,
        "source": {"title": spec.source_title, "url": spec.source_url},
    }
    doc = {"framework": header, "nodes": [_node_dict(n) for n in spec.nodes]}
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
