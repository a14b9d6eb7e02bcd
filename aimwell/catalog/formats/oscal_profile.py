"""OSCAL profile JSON import: a framework holding the controls a profile selects from a catalog.

A profile names the catalog it selects from (`imports[].href`, often `#uuid` of a back-matter
resource whose `rlinks` give a file name or URL). Aimwell never fetches it: the catalog is given
beside the profile (`--catalog FILE`), or, when the href's file name is `<key>-<version>...` of a
framework already loaded (our own OSCAL exports are named so), that framework is used.

What is kept: `include-all` / `include-controls` (`with-ids`, `with-child-controls`) minus
`exclude-controls`, with every ancestor of a selected control kept so the tree stays whole;
`modify.set-parameters` (values, labels, selections) before the prose is resolved; `modify.alters`
adds: prose of added parts is appended to the guidance, props are kept in the node's attributes
under `profile`. Not supported (refused with a message, never silently ignored): `matching`
patterns, and imports of other profiles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from aimwell.catalog.formats import oscal_params
from aimwell.catalog.formats.oscal import (
    _key_from,
    _token,
    _version_from,
    load_document,
    read_catalog,
)
from aimwell.catalog.spec import CatalogFormatError, FrameworkSpec, NodeSpec

CatalogLookup = Callable[[str], FrameworkSpec | None]


def _catalog_href(profile: dict[str, Any], href: str) -> str:
    if not href.startswith("#"):
        return href
    for res in (profile.get("back-matter") or {}).get("resources") or []:
        if isinstance(res, dict) and res.get("uuid") == href[1:]:
            for rlink in res.get("rlinks") or []:
                if isinstance(rlink, dict) and isinstance(rlink.get("href"), str):
                    return rlink["href"]
    return href


def _ids(selections: Any, where: str) -> tuple[set[str], set[str]]:
    """Ids selected, and those selected with their child controls."""
    ids: set[str] = set()
    with_children: set[str] = set()
    for selection in selections or []:
        if not isinstance(selection, dict):
            raise CatalogFormatError("each control selection must be an object", where)
        if selection.get("matching"):
            raise CatalogFormatError(
                "selections by 'matching' pattern are not supported; list the ids with 'with-ids'",
                where,
            )
        chosen = {i for i in selection.get("with-ids") or [] if isinstance(i, str)}
        ids |= chosen
        if selection.get("with-child-controls") == "yes":
            with_children |= chosen
    return ids, with_children


def _prune(nodes: list[NodeSpec], keep: set[int]) -> list[NodeSpec]:
    out = []
    for node in nodes:
        node.children = _prune(node.children, keep)
        if id(node) in keep or node.children:
            out.append(node)
    return out


def parse_profile(
    text: str,
    *,
    catalog_text: str | None = None,
    lookup: CatalogLookup | None = None,
    key: str | None = None,
    version: str | None = None,
    name: str | None = None,
    source: str = "file",
) -> FrameworkSpec:
    profile = load_document(text, source, "profile")
    meta = profile.get("metadata")
    where = f"{source} profile"
    if not isinstance(meta, dict) or not isinstance(meta.get("title"), str):
        raise CatalogFormatError("the profile metadata has no title", f"{where} metadata")
    imports = profile.get("imports")
    if not isinstance(imports, list) or len(imports) != 1 or not isinstance(imports[0], dict):
        raise CatalogFormatError(
            "only profiles importing exactly one catalog are supported", f"{where} imports"
        )
    imported = imports[0]
    href = _catalog_href(profile, str(imported.get("href") or ""))
    raw_modify = profile.get("modify")
    modify: dict[str, Any] = raw_modify if isinstance(raw_modify, dict) else {}

    if catalog_text is not None:
        catalog = load_document(catalog_text, f"{source} (catalog)", "catalog")
        params = oscal_params.collect(catalog)
        oscal_params.apply_settings(params, modify.get("set-parameters") or [])
        base, by_id = read_catalog(catalog, source=f"{source} (catalog)", params=params)
    else:
        found = lookup(href) if lookup else None
        if found is None:
            raise CatalogFormatError(
                f"the profile selects from {href or 'a catalog it does not name'}, which is not "
                "loaded; give that catalog file with the profile (--catalog on the command line, "
                "the catalog field in the API and the form)",
                f"{where} imports",
            )
        base = found
        by_id = {_token(node.id): node for node, _, _ in base.walk()}
        by_id.update({node.id: node for node, _, _ in base.walk()})

    every = {id(node) for node, _, _ in base.walk()}
    if "include-all" in imported:
        keep = set(every)
    else:
        ids, with_children = _ids(imported.get("include-controls"), f"{where} include-controls")
        keep = set()
        for control in sorted(ids):
            node = by_id.get(control)
            if node is None:
                raise CatalogFormatError(f"the catalog has no control {control!r}", where)
            keep.add(id(node))
            if control in with_children:
                stack = list(node.children)
                while stack:
                    child = stack.pop()
                    keep.add(id(child))
                    stack.extend(child.children)
    excluded, _ = _ids(imported.get("exclude-controls"), f"{where} exclude-controls")
    for control in excluded:
        if control in by_id:
            keep.discard(id(by_id[control]))

    _alter(modify.get("alters") or [], by_id, where)
    base.nodes = _prune(base.nodes, keep)
    if not base.nodes:
        raise CatalogFormatError("the profile selects no control", where)
    title = meta["title"].strip()
    base.key = key or _key_from(title)
    base.version = version or _version_from(meta.get("version"))
    base.name = name or title
    base.description = f"Selected from {href} by the OSCAL profile {title}."
    return base.validate()


def _alter(alters: list[Any], by_id: dict[str, NodeSpec], where: str) -> None:
    for alter in alters:
        if not isinstance(alter, dict):
            continue
        node = by_id.get(str(alter.get("control-id")))
        if node is None:
            continue
        for add in alter.get("adds") or []:
            if not isinstance(add, dict):
                continue
            props = {
                str(p["name"]): str(p["value"])
                for p in add.get("props") or []
                if isinstance(p, dict) and "name" in p and "value" in p
            }
            if props:
                node.attributes.setdefault("profile", {}).update(props)
            prose = [
                p["prose"].strip()
                for p in add.get("parts") or []
                if isinstance(p, dict) and isinstance(p.get("prose"), str) and p["prose"].strip()
            ]
            if prose:
                node.guidance = "\n\n".join(t for t in (node.guidance, *prose) if t)


def framework_ref_from_href(href: str) -> str | None:
    """`<key>:<version>` from a file name like `iso42001-2023.oscal.json`, when it has that form."""
    name = href.rsplit("/", 1)[-1]
    match = re.match(r"^([a-z0-9-]+?)-(\d[0-9a-z.]*?)(?:\.oscal)?\.json$", name)
    return f"{match.group(1)}:{match.group(2)}" if match else None
