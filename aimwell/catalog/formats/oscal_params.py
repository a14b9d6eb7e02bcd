"""OSCAL parameters: the `{{ insert: param, id }}` placeholders of control prose, resolved.

SP 800-53 style catalogs write "Develop [an assignment] ..." as prose with a placeholder and a
parameter. A framework's text must read as text, so every placeholder becomes the parameter's
value when the catalog (or a profile's `set-parameters`) gives one, else a labelled placeholder
in the style NIST's own renderings use: `[Assignment: organization-defined personnel or roles]`,
`[Selection (one or more): a; b]`. An insert naming no known parameter becomes `[Assignment: id]`,
so no raw `{{ insert` is ever left behind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

INSERT = re.compile(r"\{\{\s*insert:\s*([a-z_-]+)\s*,\s*([^}\s]+)\s*\}\}")
_MAX_DEPTH = 5  # choices may insert parameters, which may insert others; never loop forever


def collect(document: Any) -> dict[str, dict[str, Any]]:
    """Every parameter defined anywhere in the catalog, by id."""
    params: dict[str, dict[str, Any]] = {}
    for node in _objects(document):
        for param in node.get("params") or []:
            if isinstance(param, dict) and isinstance(param.get("id"), str):
                params[param["id"]] = param
    return params


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, dict | list))


def apply_settings(params: dict[str, dict[str, Any]], settings: list[Any]) -> int:
    """A profile's `set-parameters` over the catalog's parameters; returns how many applied."""
    applied = 0
    for setting in settings:
        if not isinstance(setting, dict) or setting.get("param-id") not in params:
            continue
        param = dict(params[setting["param-id"]])
        for key in ("values", "label", "select"):
            if setting.get(key):
                param[key] = setting[key]
        params[setting["param-id"]] = param
        applied += 1
    return applied


def _text(value: Any) -> str:
    return " ".join(str(value).split())


def render(param: dict[str, Any] | None, param_id: str, params: dict[str, Any], depth: int) -> str:
    if param is None:
        return f"[Assignment: {param_id}]"
    values = [v for v in param.get("values") or [] if isinstance(v, str) and v.strip()]
    if values:
        return ", ".join(resolve(_text(v), params, depth + 1) for v in values)
    select = param.get("select")
    if isinstance(select, dict):
        choices = [
            resolve(_text(c), params, depth + 1)
            for c in select.get("choice") or []
            if isinstance(c, str)
        ]
        how = " (one or more)" if select.get("how-many") == "one-or-more" else ""
        return f"[Selection{how}: {'; '.join(choices)}]"
    label = param.get("label")
    if isinstance(label, str) and label.strip():
        return f"[Assignment: {resolve(_text(label), params, depth + 1)}]"
    return f"[Assignment: {param_id}]"


def resolve(text: str, params: dict[str, dict[str, Any]], depth: int = 0) -> str:
    """The text with every insert replaced (see the module docstring)."""
    if "{{" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        kind, target = match.group(1), match.group(2)
        if kind != "param" or depth >= _MAX_DEPTH:
            return f"[{target}]"
        return render(params.get(target), target, params, depth)

    return INSERT.sub(one, text)
