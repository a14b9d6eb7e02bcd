"""OSCAL catalog JSON (NIST Open Security Controls Assessment Language), export and import.

Export maps a framework onto an OSCAL 1.1 catalog so that GRC tools which speak OSCAL can read
it, and carries everything OSCAL has no slot for (original ids, node kinds, tags, attributes) in
props and parts under our own namespace, so that our own export reads back exactly.

Mapping, node by node:

- `kind: group` -> OSCAL `group`; every other kind -> `control`; `class` holds the node kind.
- OSCAL ids must be tokens ("4.1" and "GOVERN 1.1" are not), so the id is derived ("n-4.1",
  "govern-1.1") and the original is kept in a `label` prop, which is also what OSCAL tools show.
- summary -> part `overview`; guidance -> part `guidance`; evidence -> part `evidence` with one
  `item` per entry; audit questions -> part `assessment-objective` with one `question` each.
- documented_information, tags and attributes (as JSON) -> props in our namespace.

One structural limit: the OSCAL catalog model lets a group hold groups *or* controls, not both
(compliance-trestle enforces it), while our frameworks mix them (ISO/IEC 42001 clause 6 holds
the group 6.1 and the requirements 6.2 and 6.3). Such a sibling list is written entirely as
controls; a group node written as a control keeps `class: group`, so the import restores it.
Controls may nest to any depth, so nothing is lost and the order of siblings is kept.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from aimwell.catalog.formats import oscal_params
from aimwell.catalog.spec import (
    NODE_KINDS,
    CatalogFormatError,
    FrameworkSpec,
    NodeSpec,
)

OSCAL_VERSION = "1.1.3"
AIMWELL_NS = "https://aimwell.dev/ns/oscal"
OSCAL_NS = "http://csrc.nist.gov/ns/oscal"
# Catalog uuids are uuid5 of the framework URN in this namespace, so that exporting the same
# framework twice gives the same uuid and tools see one document being revised.
CATALOG_UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, AIMWELL_NS)

_NOT_TOKEN = re.compile(r"[^a-z0-9._-]+")
_FRAMEWORK_PROPS = (
    ("framework-key", "key"),
    ("framework-version", "version"),
    ("framework-kind", "kind"),
    ("framework-title", "title"),
    ("publisher", "publisher"),
    ("source-title", "source_title"),
    ("source-url", "source_url"),
)


# ---------------------------------------------------------------------------------------------
# Export


def _token(raw: str) -> str:
    """An OSCAL token derived from an id: lower-case, other characters to '-', letter first."""
    token = _NOT_TOKEN.sub("-", raw.strip().lower()).strip("-") or "node"
    if not (token[0].isalpha() or token[0] == "_"):
        token = f"n-{token}"
    return token


class _Ids:
    """Hands out ids unique across the whole catalog (OSCAL ids share one space per document)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self.used:
            candidate, n = f"{base}-{n}", n + 1
        self.used.add(candidate)
        return candidate


def _one_line(text: str) -> str:
    # OSCAL titles and prop values are single-line; ours are already, this guards hand edits.
    return " ".join(text.split())


def _prop(name: str, value: str, *, ns: str | None = AIMWELL_NS) -> dict[str, str]:
    # Key order as in the OSCAL documentation (name, ns, value), for readers of the JSON.
    return {"name": name, "ns": ns, "value": value} if ns else {"name": name, "value": value}


def _timestamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parts(node: NodeSpec, token: str, ids: _Ids) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    if node.summary:
        parts.append({"id": ids.take(f"{token}_ovw"), "name": "overview", "prose": node.summary})
    if node.guidance:
        parts.append({"id": ids.take(f"{token}_gdn"), "name": "guidance", "prose": node.guidance})
    if node.evidence:
        parts.append(
            {
                "id": ids.take(f"{token}_evd"),
                "name": "evidence",
                "ns": AIMWELL_NS,
                "parts": [
                    {
                        "id": ids.take(f"{token}_evd.{i}"),
                        "name": "item",
                        "ns": AIMWELL_NS,
                        "prose": item,
                    }
                    for i, item in enumerate(node.evidence, 1)
                ],
            }
        )
    if node.audit_questions:
        parts.append(
            {
                "id": ids.take(f"{token}_obj"),
                "name": "assessment-objective",
                "parts": [
                    {
                        "id": ids.take(f"{token}_obj.{i}"),
                        "name": "question",
                        "ns": AIMWELL_NS,
                        "prose": question,
                    }
                    for i, question in enumerate(node.audit_questions, 1)
                ],
            }
        )
    return parts


def _props(node: NodeSpec) -> list[dict[str, str]]:
    props = [_prop("label", node.id, ns=None)]  # "label" is an OSCAL name: no namespace
    if node.documented_information:
        props.append(_prop("documented-information", "true"))
    props.extend(_prop("tag", tag) for tag in node.tags)
    if node.attributes:
        # JSON keeps nested lists and mappings; without indent it stays on one line, as a prop
        # value must.
        props.append(_prop("attributes", json.dumps(node.attributes, ensure_ascii=False)))
    return props


class _Writer:
    def __init__(self, spec: FrameworkSpec) -> None:
        self.ids = _Ids()
        # Node ids first, so that nodes get the plain derived token and parts give way.
        self.tokens = {node.id: self.ids.take(_token(node.id)) for node, _, _ in spec.walk()}

    def siblings(self, nodes: list[NodeSpec], *, inside_control: bool) -> dict[str, Any]:
        """`{"groups": [...]}` or `{"controls": [...]}` for a list of siblings (module doc)."""
        if not nodes:
            return {}
        all_groups = all(n.kind == "group" for n in nodes)
        if all_groups and not inside_control:
            return {"groups": [self.node(n, as_control=False) for n in nodes]}
        return {"controls": [self.node(n, as_control=True) for n in nodes]}

    def node(self, node: NodeSpec, *, as_control: bool) -> dict[str, Any]:
        token = self.tokens[node.id]
        out: dict[str, Any] = {
            "id": token,
            "class": node.kind,
            "title": _one_line(node.title),
            "props": _props(node),
        }
        parts = _parts(node, token, self.ids)
        if parts:
            out["parts"] = parts
        out.update(self.siblings(node.children, inside_control=as_control))
        return out


def dump_catalog(spec: FrameworkSpec, *, last_modified: datetime | None = None) -> str:
    """The framework as an OSCAL catalog JSON document (`{"catalog": {...}}`).

    `last_modified` defaults to now; pass a fixed time for byte-identical repeated exports.
    """
    spec.validate()
    props = [
        _prop(name, _one_line(getattr(spec, attr)))
        for name, attr in _FRAMEWORK_PROPS
        if getattr(spec, attr).strip()
    ]
    metadata: dict[str, Any] = {
        "title": _one_line(spec.name),
        "last-modified": _timestamp(last_modified or datetime.now(UTC)),
        "version": spec.version,
        "oscal-version": OSCAL_VERSION,
        "props": props,
    }
    if spec.source_url:
        link: dict[str, str] = {"href": spec.source_url, "rel": "reference"}
        if spec.source_title:
            link["text"] = _one_line(spec.source_title)
        metadata["links"] = [link]
    if spec.description:
        metadata["remarks"] = spec.description
    catalog: dict[str, Any] = {
        "uuid": str(uuid.uuid5(CATALOG_UUID_NAMESPACE, spec.urn)),
        "metadata": metadata,
    }
    catalog.update(_Writer(spec).siblings(spec.nodes, inside_control=False))
    return json.dumps({"catalog": catalog}, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------------------------
# Import


def _key_from(title: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:50].strip("-")
    return key or "oscal-catalog"


def _version_from(value: Any) -> str:
    version = re.sub(r"[^A-Za-z0-9.-]+", "-", str(value or "")).strip(".-")[:20].strip(".-")
    return version or "1"


def _ours(prop: dict[str, Any]) -> bool:
    return prop.get("ns") == AIMWELL_NS


def _oscal(prop: dict[str, Any]) -> bool:
    return prop.get("ns") in (None, OSCAL_NS)


class _Reader:
    def __init__(self, source: str, params: dict[str, dict[str, Any]] | None = None) -> None:
        self.source = source
        self.used: set[str] = set()
        self.params = params or {}
        self.by_oscal_id: dict[str, NodeSpec] = {}

    def list_of(self, obj: dict[str, Any], member: str, where: str) -> list[Any]:
        value = obj.get(member) or []
        if not isinstance(value, list):
            raise CatalogFormatError(f"'{member}' must be a list", where)
        return value

    def props(self, obj: dict[str, Any], where: str) -> list[dict[str, Any]]:
        props = self.list_of(obj, "props", where)
        for prop in props:
            if not isinstance(prop, dict) or not isinstance(prop.get("value"), str):
                raise CatalogFormatError("each prop needs a name and a text value", where)
        return props

    def prose(self, part: dict[str, Any], where: str) -> str:
        """A part's prose with its sub-parts' prose, labels first (as "a." in SP 800-53)."""
        lines: list[str] = []
        label = next(
            (p["value"] for p in self.props(part, where) if p.get("name") == "label"), None
        )
        text = part.get("prose") or ""
        if not isinstance(text, str):
            raise CatalogFormatError("a part's 'prose' must be text", where)
        text = oscal_params.resolve(text, self.params)
        if text.strip() or label:
            lines.append(f"{label} {text.strip()}".strip() if label else text.strip())
        for sub in self.list_of(part, "parts", where):
            if isinstance(sub, dict):
                lines.append(self.prose(sub, where))
        return "\n".join(line for line in lines if line)

    def node(self, obj: Any, path: str, *, is_group: bool) -> NodeSpec:
        if not isinstance(obj, dict):
            raise CatalogFormatError("expected an object", f"{self.source} {path}")
        oscal_id = obj.get("id") if isinstance(obj.get("id"), str) else None
        where = f"{self.source} {'group' if is_group else 'control'} {oscal_id!r}"
        if oscal_id is None:
            where = f"{self.source} {path}"
        title = obj.get("title")
        if not isinstance(title, str) or not title.strip():
            raise CatalogFormatError("every group and control needs a title", where)
        props = self.props(obj, where)

        # Prefer the plain label: SP 800-53 also carries e.g. a zero-padded label with a class.
        labels = [p["value"].strip() for p in props if p.get("name") == "label" and _oscal(p)]
        plain = [
            p["value"].strip()
            for p in props
            if p.get("name") == "label" and _oscal(p) and not p.get("class")
        ]
        candidates = [*plain, *labels, oscal_id or path]
        node_id = next((c for c in candidates if c and c not in self.used), None)
        if node_id is None:
            base, n = candidates[0], 2
            while f"{base}-{n}" in self.used:
                n += 1
            node_id = f"{base}-{n}"
        self.used.add(node_id)

        kind = obj.get("class")
        if kind not in NODE_KINDS:
            kind = "group" if is_group else "control"
        title = oscal_params.resolve(title, self.params)
        node = NodeSpec(id=node_id, kind=kind, title=title.strip(), where=where)
        if oscal_id is not None:
            self.by_oscal_id[oscal_id] = node
        for prop in props:
            if not _ours(prop):
                continue
            name, value = prop.get("name"), prop["value"]
            if name == "documented-information":
                node.documented_information = value.strip().lower() in ("true", "yes", "1")
            elif name == "tag":
                node.tags.append(value.strip())
            elif name == "attributes":
                try:
                    attributes = json.loads(value)
                except json.JSONDecodeError as exc:
                    raise CatalogFormatError(
                        f"the attributes prop is not JSON: {exc}", where
                    ) from exc
                if not isinstance(attributes, dict):
                    raise CatalogFormatError("the attributes prop must hold a JSON object", where)
                node.attributes = attributes

        summary: list[str] = []
        guidance: list[str] = []
        for part in self.list_of(obj, "parts", where):
            if not isinstance(part, dict) or not isinstance(part.get("name"), str):
                raise CatalogFormatError("each part needs a name", where)
            name = part["name"]
            if name in ("overview", "statement"):
                summary.append(self.prose(part, where))
            elif name == "guidance":
                guidance.append(self.prose(part, where))
            elif name == "evidence":
                node.evidence.extend(self._items(part, "item", where))
            elif name == "assessment-objective":
                # Only our "question" sub-parts are questions; SP 800-53 objectives are
                # determination statements, not questions an auditor would ask.
                node.audit_questions.extend(self._items(part, "question", where))
        node.summary = "\n\n".join(s for s in summary if s).strip()
        node.guidance = "\n\n".join(g for g in guidance if g).strip()

        node.children = self.children(obj, path, where, allow_groups=is_group)
        return node

    def _items(self, part: dict[str, Any], name: str, where: str) -> list[str]:
        return [
            self.prose(sub, where)
            for sub in self.list_of(part, "parts", where)
            if isinstance(sub, dict) and sub.get("name") == name
        ]

    def children(
        self, obj: dict[str, Any], path: str, where: str, *, allow_groups: bool
    ) -> list[NodeSpec]:
        # JSON cannot say how controls and groups interleave; controls come first, as they
        # usually introduce the subgroups that follow them.
        out = [
            self.node(c, f"{path}.controls[{i}]", is_group=False)
            for i, c in enumerate(self.list_of(obj, "controls", where))
        ]
        if allow_groups:
            out.extend(
                self.node(g, f"{path}.groups[{i}]", is_group=True)
                for i, g in enumerate(self.list_of(obj, "groups", where))
            )
        elif obj.get("groups"):
            raise CatalogFormatError("a control cannot contain groups", where)
        return out


def load_document(text: str, source: str, root: str) -> dict[str, Any]:
    """The JSON object under `root` ("catalog", "profile"), or a clear error."""
    try:
        doc = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        raise CatalogFormatError(
            f"not valid JSON: {exc.msg} (column {exc.colno})", f"{source} line {exc.lineno}"
        ) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get(root), dict):
        raise CatalogFormatError(
            f"expected an OSCAL {root}: a JSON object with a '{root}' member", source
        )
    return doc[root]


def parse_catalog(
    text: str,
    *,
    key: str | None = None,
    version: str | None = None,
    name: str | None = None,
    source: str = "file",
) -> FrameworkSpec:
    """A framework from any OSCAL catalog JSON.

    Our own exports come back exactly. A foreign catalog (SP 800-53 style) maps groups to group
    nodes and controls to control nodes, statement/overview prose to the summary and the
    guidance part to guidance; ids come from the `label` prop when there is one, else the OSCAL
    id. Parameter inserts are resolved (see oscal_params). `key`, `version` and `name` override
    the metadata, to import an export as a new framework (or to give a foreign catalog a
    proper key).
    """
    catalog = load_document(text, source, "catalog")
    return read_catalog(catalog, key=key, version=version, name=name, source=source)[0]


def read_catalog(
    catalog: dict[str, Any],
    *,
    key: str | None = None,
    version: str | None = None,
    name: str | None = None,
    source: str = "file",
    params: dict[str, dict[str, Any]] | None = None,
) -> tuple[FrameworkSpec, dict[str, NodeSpec]]:
    """The framework of a loaded catalog object, and its nodes by OSCAL id."""
    reader = _Reader(source, params if params is not None else oscal_params.collect(catalog))
    meta = catalog.get("metadata")
    where = f"{source} catalog metadata"
    if not isinstance(meta, dict):
        raise CatalogFormatError("the catalog has no 'metadata'", where)
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise CatalogFormatError("the catalog metadata has no title", where)
    ours = {p["name"]: p["value"].strip() for p in reader.props(meta, where) if _ours(p)}
    remarks = meta.get("remarks")
    spec = FrameworkSpec(
        key=key or ours.get("framework-key") or _key_from(title),
        version=version or ours.get("framework-version") or _version_from(meta.get("version")),
        name=name or title.strip(),
        title=ours.get("framework-title", ""),
        publisher=ours.get("publisher", ""),
        kind=ours.get("framework-kind", "custom"),
        description=remarks.strip() if isinstance(remarks, str) else "",
        source_title=ours.get("source-title", ""),
        source_url=ours.get("source-url", ""),
    )
    spec.nodes = reader.children(catalog, "catalog", source, allow_groups=True)
    return spec.validate(), reader.by_oscal_id
