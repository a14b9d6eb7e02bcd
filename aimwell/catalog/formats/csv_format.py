"""Frameworks and crosswalks as CSV, for people who keep catalogues in a spreadsheet.

A framework is one row per node; the tree comes from the `parent` column, so rows may be sorted
any way the spreadsheet likes. Our exports start with the framework's header, one `#name,value`
row per field (`#framework` first, then `#version`, `#name`, ...), before the column row: an
export re-imports as the same framework without options, and a spreadsheet shows the header as
ordinary rows. Files without it need the key, version and name given on import.

List columns (evidence, audit questions, tags) hold their items separated by " | ", because a
spreadsheet cell cannot hold a list. Spreadsheets in many locales save with ";" instead of ",",
and Excel adds a UTF-8 byte order mark: both are accepted.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from aimwell.catalog.spec import (
    CatalogFormatError,
    FrameworkSpec,
    MappingSetSpec,
    MappingSpec,
    NodeSpec,
)

FRAMEWORK_COLUMNS = (
    "id",
    "parent",
    "kind",
    "title",
    "summary",
    "guidance",
    "evidence",
    "audit_questions",
    "documented_information",
    "tags",
    "attributes",
)
# The framework header rows of an export, in order: "#<name>" then the value.
HEADER_FIELDS = (
    ("framework", "key"),
    ("version", "version"),
    ("name", "name"),
    ("title", "title"),
    ("publisher", "publisher"),
    ("kind", "kind"),
    ("description", "description"),
    ("source_title", "source_title"),
    ("source_url", "source_url"),
)
MAPPING_COLUMNS = ("source", "target", "relationship", "strength", "rationale", "citation")
LIST_SEPARATOR = " | "
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n", ""}
_DELIMITERS = (",", ";", "\t")


@dataclass
class _Row:
    line: int  # the physical line where the record starts (a quoted cell may span lines)
    values: dict[str, str]


def _delimiter(header_line: str) -> str:
    """The delimiter used by the header row.

    Counting candidates in the header is more reliable than csv.Sniffer here: our column names
    never contain a delimiter, whereas free-text rows (which Sniffer also samples) often contain
    both commas and semicolons.
    """
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read(
    text: str,
    source: str,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    meta: dict[str, str] | None = None,
) -> list[_Row]:
    """The rows; `#name,value` rows before the column row go into `meta` when it is given."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise CatalogFormatError("the CSV file is empty; expected a header row", f"{source} line 1")
    first_line = text.splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        record = next(reader)
        while record and record[0].strip().startswith("#"):
            where = f"{source} line {reader.line_num}"
            if meta is None:
                raise CatalogFormatError("header rows (#name) belong to framework files", where)
            name = record[0].strip()[1:].strip().lower()
            if name in meta:
                raise CatalogFormatError(f"header row #{name} appears twice", where)
            meta[name] = record[1].strip() if len(record) > 1 else ""
            record = next(reader)
    except StopIteration as exc:
        raise CatalogFormatError(
            "the CSV file has header rows but no column row", f"{source} line {reader.line_num}"
        ) from exc
    except csv.Error as exc:
        raise CatalogFormatError(f"not valid CSV: {exc}", f"{source} line 1") from exc
    header = [h.strip().lower() for h in record]
    where = f"{source} line {reader.line_num}"
    for name in header:
        if name and name not in columns:
            # A misspelt column ("sumary") would otherwise be dropped without a word.
            raise CatalogFormatError(
                f"unknown column {name!r}; the columns are {', '.join(columns)}", where
            )
        if name and header.count(name) > 1:
            raise CatalogFormatError(f"column {name!r} appears twice", where)
    missing = [c for c in required if c not in header]
    if missing:
        raise CatalogFormatError(f"missing required column(s): {', '.join(missing)}", where)

    rows: list[_Row] = []
    line = reader.line_num + 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue  # blank lines and rows of empty cells, common at the end of a sheet
            extra = record[len(header) :]
            if any(cell.strip() for cell in extra):
                raise CatalogFormatError(
                    f"the row has {len(record)} cells but the header has {len(header)}",
                    f"{source} line {start}",
                )
            values = {
                name: cell.strip() for name, cell in zip(header, record, strict=False) if name
            }
            rows.append(_Row(start, values))
    except csv.Error as exc:
        raise CatalogFormatError(f"not valid CSV: {exc}", f"{source} line {line}") from exc
    return rows


def _split(value: str) -> list[str]:
    # Split on the bare bar so "a|b" typed by hand works too; empty items are dropped.
    return [item.strip() for item in value.split("|") if item.strip()]


def _boolean(value: str, where: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise CatalogFormatError(
        f"documented_information {value!r} must be true/false, yes/no, 1/0 or empty", where
    )


def _attributes(value: str, where: str) -> dict[str, object]:
    if not value:
        return {}
    try:
        attributes = json.loads(value)
    except json.JSONDecodeError as exc:
        raise CatalogFormatError(f"attributes is not JSON: {exc.msg}", where) from exc
    if not isinstance(attributes, dict):
        raise CatalogFormatError("attributes must be a JSON object ({...})", where)
    return attributes


def parse_framework(
    text: str,
    *,
    key: str | None = None,
    version: str | None = None,
    name: str | None = None,
    kind: str = "custom",
    source: str = "file",
) -> FrameworkSpec:
    """A framework from CSV: one row per node, the tree built from the `parent` column.

    Only `id` and `title` are required. An empty `kind` means `group` for a node with children
    and `requirement` otherwise. Children keep the order of their rows in the file. The key,
    version and name come from the arguments, else from the file's header rows; one of the two
    must give them.
    """
    meta: dict[str, str] = {}
    rows = _read(text, source, FRAMEWORK_COLUMNS, ("id", "title"), meta)
    unknown = sorted(set(meta) - {name for name, _ in HEADER_FIELDS})
    if unknown:
        raise CatalogFormatError(
            f"unknown header row(s) #{', #'.join(unknown)}; the header rows are "
            f"#{', #'.join(n for n, _ in HEADER_FIELDS)}",
            f"{source} line 1",
        )
    key = key or meta.get("framework")
    version = version or meta.get("version")
    name = name or meta.get("name")
    if not (key and version and name):
        raise CatalogFormatError(
            "a CSV framework needs a key, a version and a name: give them as options, or "
            "start the file with the #framework, #version and #name rows of an export",
            source,
        )
    nodes: dict[str, NodeSpec] = {}
    parents: dict[str, str] = {}
    explicit_kind: dict[str, bool] = {}
    order: list[str] = []
    for row in rows:
        where = f"{source} line {row.line}"
        v = row.values
        node_id = v.get("id", "")
        if not node_id:
            raise CatalogFormatError("the row has no id", where)
        if node_id in nodes:
            raise CatalogFormatError(
                f"node id {node_id!r} appears twice (first at {nodes[node_id].where})", where
            )
        title = v.get("title", "")
        if not title:
            raise CatalogFormatError(f"node {node_id!r} has no title", where)
        nodes[node_id] = NodeSpec(
            id=node_id,
            kind=v.get("kind", "").lower(),
            title=title,
            summary=v.get("summary", ""),
            guidance=v.get("guidance", ""),
            evidence=_split(v.get("evidence", "")),
            audit_questions=_split(v.get("audit_questions", "")),
            documented_information=_boolean(v.get("documented_information", ""), where),
            tags=_split(v.get("tags", "")),
            attributes=_attributes(v.get("attributes", ""), where),
            where=where,
        )
        explicit_kind[node_id] = bool(v.get("kind"))
        if v.get("parent"):
            parents[node_id] = v["parent"]
        order.append(node_id)

    for node_id, parent_id in parents.items():
        if parent_id not in nodes:
            raise CatalogFormatError(
                f"node {node_id!r} names parent {parent_id!r}, which is not in the file",
                nodes[node_id].where,
            )
    _reject_cycles(nodes, parents)

    roots: list[NodeSpec] = []
    for node_id in order:  # file order, so children keep the order of their rows
        node = nodes[node_id]
        if node_id in parents:
            nodes[parents[node_id]].children.append(node)
        else:
            roots.append(node)
    for node_id, node in nodes.items():
        if not explicit_kind[node_id]:
            node.kind = "group" if node.children else "requirement"
    spec = FrameworkSpec(
        key=key,
        version=version,
        name=name,
        kind=meta.get("kind") or kind,
        title=meta.get("title", ""),
        publisher=meta.get("publisher", ""),
        description=meta.get("description", ""),
        source_title=meta.get("source_title", ""),
        source_url=meta.get("source_url", ""),
        nodes=roots,
    )
    return spec.validate()


def _reject_cycles(nodes: dict[str, NodeSpec], parents: dict[str, str]) -> None:
    """A node that is its own ancestor would never be reached from a root: say where."""
    settled: set[str] = set()  # nodes whose chain is known to end at a root
    for start in parents:
        chain: list[str] = []
        current: str | None = start
        while current is not None and current not in settled:
            if current in chain:
                loop = [*chain[chain.index(current) :], current]
                raise CatalogFormatError(
                    f"parents form a cycle: {' -> '.join(loop)}", nodes[current].where
                )
            chain.append(current)
            current = parents.get(current)
        settled.update(chain)


def _write(
    columns: tuple[str, ...], rows: list[list[str]], header: list[list[str]] | None = None
) -> str:
    out = io.StringIO()
    # "\n" rather than csv's default "\r\n": exports are often committed to git and diffed.
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(header or [])
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def dump_framework(spec: FrameworkSpec) -> str:
    """The framework as CSV: its header rows, then the nodes, parents before their children.

    Node `attributes` (nested, framework-specific data) are one JSON object per cell, keys
    sorted, so that the same framework always gives the same bytes. `kind` is always written so
    that a re-import gives the same kinds, and list items must not contain "|" (it is the
    separator).
    """
    rows = [
        [
            node.id,
            parent.id if parent else "",
            node.kind,
            node.title,
            node.summary,
            node.guidance,
            LIST_SEPARATOR.join(node.evidence),
            LIST_SEPARATOR.join(node.audit_questions),
            "true" if node.documented_information else "false",
            LIST_SEPARATOR.join(node.tags),
            json.dumps(node.attributes, ensure_ascii=False, sort_keys=True)
            if node.attributes
            else "",
        ]
        for node, parent, _ in spec.walk()
    ]
    header = [
        [f"#{name}", getattr(spec, attr)]
        for name, attr in HEADER_FIELDS
        if getattr(spec, attr) or name in ("framework", "version", "name")
    ]
    return _write(FRAMEWORK_COLUMNS, rows, header)


def parse_mapping_set(
    text: str,
    *,
    key: str,
    name: str,
    source_framework: str,
    target_framework: str,
    authority: str = "organisation",
    source: str = "file",
) -> MappingSetSpec:
    """A crosswalk from CSV: one row per mapping; source, target and relationship required."""
    rows = _read(text, source, MAPPING_COLUMNS, ("source", "target", "relationship"))
    spec = MappingSetSpec(
        key=key,
        name=name,
        source_framework=source_framework,
        target_framework=target_framework,
        authority=authority,
    )
    for row in rows:
        where = f"{source} line {row.line}"
        v = row.values
        for column in ("source", "target", "relationship"):
            if not v.get(column):
                raise CatalogFormatError(f"'{column}' is required", where)
        spec.mappings.append(
            MappingSpec(
                source=v["source"],
                target=v["target"],
                relationship=v["relationship"].lower(),
                strength=v.get("strength", "").lower() or "moderate",
                rationale=v.get("rationale", ""),
                citation=v.get("citation", ""),
                where=where,
            )
        )
    return spec.validate()


def dump_mapping_set(spec: MappingSetSpec) -> str:
    """The mappings of a set as CSV (the set's header travels separately, as arguments)."""
    rows = [
        [m.source, m.target, m.relationship, m.strength, m.rationale, m.citation]
        for m in spec.mappings
    ]
    return _write(MAPPING_COLUMNS, rows)
