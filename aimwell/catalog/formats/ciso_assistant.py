"""Import of CISO Assistant libraries (the YAML library format of intuitem's open-source GRC tool).

A library is one YAML document: a header (urn, name, version, provider, ...) and `objects`,
which may hold a framework and requirement mapping sets (and other objects we do not import,
such as risk matrices or reference controls).

- A framework's `requirement_nodes` are a flat list; the tree comes from `parent_urn` (or, when
  that is missing, from `depth` and the order of the list). Assessable nodes become
  requirements and the others groups. A node's id is its `ref_id`; a ref_id shared by several
  nodes ("a)" under every article) is prefixed with its parent's id; a node without one gets a
  stable slug of its name (the urn's last segment only when it has no name either). The node urn
  is kept in `attributes["ciso_urn"]` so that later mapping imports find the node again.
- The framework key and version come from the framework urn (`...:iso27001-2022` gives key
  `iso27001`, version `2022`), or the framework's own `version`; the library's packaging
  revision is used only when neither names one. Keys are shortened at a word boundary, never
  mid-word.
- `reference_controls` become a framework of controls of their own (`<key>-reference-controls`),
  and each requirement keeps the ids of the reference controls it lists.
- A requirement mapping set becomes a MappingSetSpec. Frameworks of the same library resolve
  directly; others are named `ciso:<urn>` and resolved against the loaded frameworks through
  their nodes' kept urns (see importing.resolve_ciso_references), or given in `framework_refs`.
- What has no place in Aimwell (implementation group and score definitions, translations, risk
  matrices, threats) is skipped and named in the notes the import prints.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from aimwell.catalog.formats.aimwell_yaml import LINE_KEY, load_yaml
from aimwell.catalog.spec import (
    CatalogFormatError,
    FrameworkSpec,
    MappingSetSpec,
    MappingSpec,
    NodeSpec,
)

# CISO Assistant's relationship names; "not_related" mappings record an absence and are skipped.
_RELATIONSHIPS = {
    "equal": "equal",
    "subset": "subset",
    "superset": "superset",
    "intersect": "intersects",
    "intersects": "intersects",
}
_NOT_RELATED = "not_related"
CISO_REF_PREFIX = "ciso:"
_SKIPPED_FRAMEWORK_FIELDS = (
    "implementation_groups_definition",
    "scores_definition",
    "min_score",
    "max_score",
    "translations",
)
_IMPORTED_OBJECTS = (
    "framework",
    "frameworks",
    "requirement_mapping_set",
    "requirement_mapping_sets",
    "reference_controls",
)
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+")


def _line(data: Any, source: str) -> str:
    line = data.get(LINE_KEY, "?") if isinstance(data, dict) else "?"
    return f"{source} line {line}"


def _text(data: dict[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise CatalogFormatError(f"'{key}' is required", where)
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise CatalogFormatError(f"'{key}' must be text", where)
    return str(value).strip()


def _last_segment(urn: str) -> str:
    return urn.rsplit(":", 1)[-1].strip()


def slug(text: str, limit: int) -> str:
    """Lower-case words joined by '-', cut at a word boundary to at most `limit` characters."""
    words = [w for w in re.split(r"[^a-z0-9]+", text.lower()) if w]
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out or (words[0][:limit] if words else "")


_VERSION_TAIL = re.compile(r"^(?P<key>.+?)[-_](?P<version>v?\d+(?:[.-]\d+)*)$")


def _framework_key(urn: str, where: str) -> tuple[str, str | None]:
    """The key and, when the urn ends with one, the version (iso27001-2022 -> iso27001, 2022)."""
    segment = _last_segment(urn).lower()
    version = None
    match = _VERSION_TAIL.match(segment)
    if match:
        segment, version = match.group("key"), match.group("version").lstrip("v").replace("-", ".")
    key = slug(segment, 50)
    if not key:
        raise CatalogFormatError(f"cannot derive a framework key from urn {urn!r}", where)
    return key, version


def _evidence(value: Any, where: str) -> list[str]:
    """typical_evidence is one text, usually one item per line, sometimes bulleted."""
    if value is None:
        return []
    if isinstance(value, list):
        if not all(isinstance(v, str) for v in value):
            raise CatalogFormatError("'typical_evidence' must be text or a list of texts", where)
        lines = value
    elif isinstance(value, str):
        lines = value.splitlines()
    else:
        raise CatalogFormatError("'typical_evidence' must be text or a list of texts", where)
    return [_BULLET.sub("", line).strip() for line in lines if _BULLET.sub("", line).strip()]


def _questions(value: Any, where: str) -> list[str]:
    """Questions are a mapping of question urn to {type, text, choices}; lists are accepted."""
    if value is None:
        return []
    # load_yaml marks every mapping with its line; that entry is not a question.
    items = [v for k, v in value.items() if k != LINE_KEY] if isinstance(value, dict) else value
    if not isinstance(items, list):
        raise CatalogFormatError("'questions' must be a mapping or a list", where)
    out: list[str] = []
    for item in items:
        text = item.get("text") if isinstance(item, dict) else item
        if not isinstance(text, str):
            raise CatalogFormatError("each question needs a 'text'", where)
        if text.strip():
            out.append(text.strip())
    return out


class _Library:
    def __init__(self, doc: dict[str, Any], source: str) -> None:
        self.doc = doc
        self.source = source
        self.where = _line(doc, source)
        self.frameworks: dict[str, FrameworkSpec] = {}  # framework urn (lower-case) -> spec
        self.nodes: dict[str, str] = {}  # node urn (lower-case) -> node id
        self.notes: list[str] = []
        self.reference_controls: dict[str, str] = {}  # reference control urn -> node id

    def version(self) -> str:
        return _text(self.doc, "version", self.where, required=True)

    def framework(self, data: Any) -> FrameworkSpec:
        if not isinstance(data, dict):
            raise CatalogFormatError("'framework' must be a mapping", self.where)
        where = _line(data, self.source)
        urn = _text(data, "urn", where, required=True)
        name = _text(data, "name", where) or _text(data, "ref_id", where)
        if not name:
            raise CatalogFormatError(f"framework {urn} has no name", where)
        key, urn_version = _framework_key(urn, where)
        own_version = _text(data, "version", where)
        spec = FrameworkSpec(
            key=key,
            version=own_version or urn_version or self.version(),
            name=name,
            title=_text(data, "ref_id", where),
            publisher=_text(self.doc, "provider", self.where),
            kind="custom",
            description=_text(data, "description", where)
            or _text(self.doc, "description", self.where),
            source_title=_text(self.doc, "name", self.where) or _text(self.doc, "urn", self.where),
        )
        items = data.get("requirement_nodes") or []
        if not isinstance(items, list):
            raise CatalogFormatError("'requirement_nodes' must be a list", where)
        spec.nodes = self.tree(items, where)
        spec.validate()
        self.frameworks[urn.lower()] = spec
        skipped = [k for k in _SKIPPED_FRAMEWORK_FIELDS if data.get(k)]
        if skipped:
            self.notes.append(
                f"{spec.urn}: skipped {', '.join(skipped)} (Aimwell assesses requirements by SoA "
                "status and readiness, not by CISO Assistant scores or group definitions; the "
                "groups each node belongs to are kept in its attributes)"
            )
        return spec

    def controls(self, items: list[Any], library_key: str) -> FrameworkSpec | None:
        """reference_controls as a framework of controls."""
        nodes: list[NodeSpec] = []
        used: set[str] = set()
        for item in items:
            if not isinstance(item, dict):
                raise CatalogFormatError("each reference control must be a mapping", self.where)
            line = _line(item, self.source)
            urn = _text(item, "urn", line, required=True)
            name = _text(item, "name", line)
            node_id = _text(item, "ref_id", line) or slug(name, 60) or _last_segment(urn)
            base, n = node_id, 2
            while node_id in used:
                node_id, n = f"{base}-{n}", n + 1
            used.add(node_id)
            tags = [
                t for t in (_text(item, "category", line), _text(item, "csf_function", line)) if t
            ]
            nodes.append(
                NodeSpec(
                    id=node_id,
                    kind="control",
                    title=name or node_id,
                    summary=_text(item, "description", line),
                    guidance=_text(item, "annotation", line),
                    tags=tags,
                    attributes={"ciso_urn": urn},
                    where=line,
                )
            )
            self.reference_controls[urn.lower()] = node_id
        if not nodes:
            return None
        spec = FrameworkSpec(
            key=f"{slug(library_key, 30)}-reference-controls",
            version=self.version(),
            name=f"{_text(self.doc, 'name', self.where) or library_key}: reference controls",
            publisher=_text(self.doc, "provider", self.where),
            kind="custom",
            source_title=_text(self.doc, "name", self.where),
            nodes=nodes,
        )
        self.notes.append(f"{len(nodes)} reference control(s) kept as the framework {spec.urn}")
        return spec.validate()

    def tree(self, items: list[Any], where: str) -> list[NodeSpec]:
        for item in items:
            if not isinstance(item, dict):
                raise CatalogFormatError("each requirement node must be a mapping", where)
        refs = Counter(_text(i, "ref_id", _line(i, self.source)) for i in items)
        nodes: dict[str, NodeSpec] = {}
        parents: dict[str, str] = {}
        last_at_depth: dict[int, str] = {}
        used: set[str] = set()
        order: list[str] = []
        for item in items:
            line = _line(item, self.source)
            urn = _text(item, "urn", line, required=True)
            key = urn.lower()  # CISO Assistant compares urns case-insensitively
            here = f"{line}, node {urn}"
            if key in nodes:
                raise CatalogFormatError(f"node urn {urn} appears twice", here)
            ref_id = _text(item, "ref_id", here)
            parent_key = _text(item, "parent_urn", here).lower()
            early_depth = item.get("depth")
            if not parent_key and isinstance(early_depth, int) and early_depth > 1:
                parent_key = last_at_depth.get(early_depth - 1, "")
            parent_id = nodes[parent_key].id if parent_key in nodes else ""
            if ref_id and refs[ref_id] == 1:
                node_id = ref_id
            elif ref_id:
                # A shared ref_id ("a)" under every article) is only unique under its parent.
                node_id = f"{parent_id}.{slug(ref_id, 20)}" if parent_id else _last_segment(urn)
            else:
                node_id = slug(_text(item, "name", here), 60) or _last_segment(urn)
            base, n = node_id, 2
            while node_id in used:
                node_id, n = f"{base}-{n}", n + 1
            used.add(node_id)

            description = _text(item, "description", here)
            title = _text(item, "name", here) or ref_id or _last_segment(urn)
            assessable = item.get("assessable", False)
            if not isinstance(assessable, bool):
                raise CatalogFormatError("'assessable' must be true or false", here)
            attributes: dict[str, Any] = {"ciso_urn": urn}
            groups = item.get("implementation_groups")
            if isinstance(groups, list) and groups:
                attributes["implementation_groups"] = [str(g) for g in groups]
            controls = item.get("reference_controls")
            if isinstance(controls, list) and controls:
                attributes["reference_controls"] = [
                    self.reference_controls.get(str(c).lower(), _last_segment(str(c)))
                    for c in controls
                ]
            nodes[key] = NodeSpec(
                id=node_id,
                kind="requirement" if assessable else "group",
                title=title,
                summary=description,
                guidance=_text(item, "annotation", here),
                evidence=_evidence(item.get("typical_evidence"), here),
                audit_questions=_questions(item.get("questions"), here),
                attributes=attributes,
                where=here,
            )
            order.append(key)

            depth = item.get("depth")
            if depth is not None and (not isinstance(depth, int) or isinstance(depth, bool)):
                raise CatalogFormatError("'depth' must be a whole number", here)
            parent = _text(item, "parent_urn", here).lower()
            if not parent and depth is not None and depth > 1:
                # Older libraries rely on depth and order alone.
                parent = last_at_depth.get(depth - 1, "")
                if not parent:
                    raise CatalogFormatError(
                        f"depth {depth} without a parent_urn or a node at depth {depth - 1} "
                        "before it",
                        here,
                    )
            if parent:
                parents[key] = parent
            if depth is not None:
                last_at_depth[depth] = key

        for key, parent in parents.items():
            if parent not in nodes:
                raise CatalogFormatError(
                    f"parent_urn {parent} is not a node of this framework", nodes[key].where
                )
        self._reject_cycles(nodes, parents)
        roots: list[NodeSpec] = []
        for key in order:
            if key in parents:
                nodes[parents[key]].children.append(nodes[key])
            else:
                roots.append(nodes[key])
        self.nodes.update({key: node.id for key, node in nodes.items()})
        return roots

    @staticmethod
    def _reject_cycles(nodes: dict[str, NodeSpec], parents: dict[str, str]) -> None:
        settled: set[str] = set()
        for start in parents:
            chain: list[str] = []
            current: str | None = start
            while current is not None and current not in settled:
                if current in chain:
                    raise CatalogFormatError("parent_urn links form a cycle", nodes[current].where)
                chain.append(current)
                current = parents.get(current)
            settled.update(chain)

    def framework_ref(self, urn: str, refs: Mapping[str, str], where: str) -> str:
        given = {k.lower(): v for k, v in refs.items()}
        if urn.lower() in given:
            return given[urn.lower()]
        if urn.lower() in self.frameworks:
            return self.frameworks[urn.lower()].urn
        del where
        return f"{CISO_REF_PREFIX}{urn}"

    def mapping_set(self, data: Any, refs: Mapping[str, str]) -> MappingSetSpec:
        if not isinstance(data, dict):
            raise CatalogFormatError("each requirement mapping set must be a mapping", self.where)
        where = _line(data, self.source)
        urn = _text(data, "urn", where)
        ref_id = _text(data, "ref_id", where) or _last_segment(urn)
        key = slug(ref_id, 100) if len(ref_id) > 100 else ref_id.lower()
        key = re.sub(r"[^a-z0-9._-]+", "-", key).strip("-._")
        if not key:
            raise CatalogFormatError("the mapping set needs a urn or a ref_id", where)
        spec = MappingSetSpec(
            key=key,
            name=_text(data, "name", where) or ref_id,
            source_framework=self.framework_ref(
                _text(data, "source_framework_urn", where, required=True), refs, where
            ),
            target_framework=self.framework_ref(
                _text(data, "target_framework_urn", where, required=True), refs, where
            ),
            authority="organisation",
            source_title=_text(self.doc, "name", self.where),
            description=_text(data, "description", where),
        )
        items = data.get("requirement_mappings") or []
        if not isinstance(items, list):
            raise CatalogFormatError("'requirement_mappings' must be a list", where)
        for item in items:
            if not isinstance(item, dict):
                raise CatalogFormatError("each requirement mapping must be a mapping", where)
            line = _line(item, self.source)
            relationship = _text(item, "relationship", line, required=True).lower()
            if relationship == _NOT_RELATED:
                continue
            if relationship not in _RELATIONSHIPS:
                known = ", ".join([*_RELATIONSHIPS, _NOT_RELATED])
                raise CatalogFormatError(
                    f"relationship {relationship!r} is not one of {known}", line
                )
            source_urn = _text(item, "source_requirement_urn", line, required=True)
            target_urn = _text(item, "target_requirement_urn", line, required=True)
            spec.mappings.append(
                MappingSpec(
                    source=self.node_id(source_urn),
                    target=self.node_id(target_urn),
                    source_urn=source_urn,
                    target_urn=target_urn,
                    relationship=_RELATIONSHIPS[relationship],
                    strength=self.strength(item, line),
                    # CISO Assistant's rationale is a category (syntactic, semantic,
                    # functional); a free-text annotation, when present, says more.
                    rationale=" - ".join(
                        t
                        for t in (_text(item, "rationale", line), _text(item, "annotation", line))
                        if t
                    ),
                    where=line,
                )
            )
        return spec.validate()

    def node_id(self, urn: str) -> str:
        return self.nodes.get(urn.lower()) or _last_segment(urn)

    @staticmethod
    def strength(item: dict[str, Any], where: str) -> str:
        """CISO Assistant scores 0-10; we keep three bands (7+ strong, 4-6 moderate, else weak)."""
        value = item.get("strength_of_relationship")
        if value is None or value == "":
            return "moderate"
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise CatalogFormatError(
                f"strength_of_relationship {value!r} must be a whole number from 0 to 10", where
            )
        return "strong" if value >= 7 else "moderate" if value >= 4 else "weak"


def parse_library(
    text: str,
    source: str = "file",
    *,
    framework_refs: Mapping[str, str] | None = None,
    notes: list[str] | None = None,
) -> list[FrameworkSpec | MappingSetSpec]:
    """The frameworks and requirement mapping sets of a CISO Assistant library, in that order.

    `framework_refs` maps CISO Assistant framework urns to Aimwell `<key>:<version>`, for
    mapping sets whose frameworks are not in the same library. Other library objects (risk
    matrices, threats, reference controls) are ignored.
    """
    doc = load_yaml(text, source)
    if not isinstance(doc, dict) or not isinstance(doc.get("objects"), dict):
        raise CatalogFormatError(
            "expected a CISO Assistant library: a mapping with 'urn', 'version' and 'objects'",
            _line(doc, source) if isinstance(doc, dict) else source,
        )
    library = _Library(doc, source)
    objects = doc["objects"]
    frameworks = objects.get("frameworks") or []
    if not isinstance(frameworks, list):
        raise CatalogFormatError("'frameworks' must be a list", library.where)
    if objects.get("framework") is not None:
        frameworks = [objects["framework"], *frameworks]
    mapping_sets = objects.get("requirement_mapping_sets") or []
    if not isinstance(mapping_sets, list):
        raise CatalogFormatError("'requirement_mapping_sets' must be a list", library.where)
    if objects.get("requirement_mapping_set") is not None:
        mapping_sets = [objects["requirement_mapping_set"], *mapping_sets]
    if not frameworks and not mapping_sets:
        raise CatalogFormatError(
            "the library holds no framework and no requirement mapping set", library.where
        )
    out: list[FrameworkSpec | MappingSetSpec] = []
    controls = objects.get("reference_controls") or []
    if not isinstance(controls, list):
        raise CatalogFormatError("'reference_controls' must be a list", library.where)
    library_key = _text(doc, "ref_id", library.where) or _last_segment(
        _text(doc, "urn", library.where) or "library"
    )
    control_framework = library.controls(controls, library_key)
    if control_framework is not None:
        out.append(control_framework)
    out.extend(library.framework(f) for f in frameworks)
    out.extend(library.mapping_set(m, framework_refs or {}) for m in mapping_sets)
    skipped = sorted(k for k in objects if k != LINE_KEY and k not in _IMPORTED_OBJECTS)
    if skipped:
        library.notes.append(
            f"skipped library objects Aimwell does not import: {', '.join(skipped)}"
        )
    if doc.get("translations"):
        library.notes.append("skipped the library's translations (Aimwell keeps one language)")
    if notes is not None:
        notes.extend(library.notes)
    return out
