"""The AI systems export read as plain values, a batch of systems at a time.

The rows are those of the import format (aimwell.inventory.services.bulk): the system's fields (a
choice as its label), its owner's email, its models, datasets and suppliers joined by " | ", and
its current EU AI Act classification. Reading values instead of model instances with prefetched
relations matters at scale: for 10,000 systems Django's prefetch machinery (a related manager and
a queryset per system and relation) cost about 5 s of CPU, more than the rest of the export. Here
each batch of systems costs four queries (models, datasets, suppliers, classifications), grouped
by system in Python.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from aimwell.classification.models import Classification
from aimwell.inventory.choices import EUOperatorRole
from aimwell.inventory.labels import risk_class_label
from aimwell.inventory.models import AISystem

LIST_SEPARATOR = " | "
RELATED = ("models", "datasets", "suppliers")
CLASSIFICATION = ("eu_ai_act_class", "eu_ai_act_classification")
BATCH = 2000


def system_rows(organisation: Any, columns: Sequence[str]) -> Iterator[list[Any]]:
    """One list of cells per system of the organisation, by name, in `columns`' order. The
    systems' queryset is built now (before the first row is asked for), so it keeps the guest
    confinement of the request that asked for the export (core.guests)."""
    fields = [c for c in columns if c not in (*RELATED, *CLASSIFICATION, "owner_email")]
    systems = (
        AISystem.objects.filter(organisation=organisation)
        .order_by("name", "pk")
        .values_list("pk", "owner__email", *fields)
    )
    return _rows(systems.iterator(chunk_size=BATCH), columns, fields)


def _labels(fields: list[str]) -> dict[str, dict[Any, str]]:
    """Each choice field's labels by stored value: the export writes labels, not codes (the
    import takes either)."""
    found = {}
    for name in fields:
        field: Any = AISystem._meta.get_field(name)
        choices = field.flatchoices
        if choices:
            found[name] = {value: str(label) for value, label in choices}
    found["eu_roles"] = {value: str(label) for value, label in EUOperatorRole.choices}
    return found


def _rows(records: Iterator[Any], columns: Sequence[str], fields: list[str]) -> Iterator[list[Any]]:
    labels = _labels(fields)
    while batch := list(islice(records, BATCH)):
        ids = [record[0] for record in batch]
        related = {kind: _related(kind, ids) for kind in RELATED}
        classified = _classifications(ids)
        for pk, owner_email, *values in batch:
            cells = dict(zip(fields, values, strict=True))
            cells["owner_email"] = owner_email or ""
            for kind in RELATED:
                cells[kind] = LIST_SEPARATOR.join(related[kind].get(pk, ()))
            cells[CLASSIFICATION[0]], cells[CLASSIFICATION[1]] = classified.get(pk, ("", ""))
            yield [_plain(column, cells[column], labels) for column in columns]


def _plain(column: str, value: Any, labels: dict[str, dict[Any, str]]) -> Any:
    if column == "eu_roles":
        roles = labels["eu_roles"]
        return LIST_SEPARATOR.join(roles.get(v, v) for v in value or [])
    if column in labels and value not in (None, ""):
        return labels[column].get(value, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


def _related(kind: str, ids: list[Any]) -> dict[Any, list[str]]:
    """Each system's models ("name version"), datasets or suppliers, in their own order."""
    relation, target, named = {
        "models": ("models_used", "aimodel", ("name", "version")),
        "datasets": ("datasets", "dataset", ("name",)),
        "suppliers": ("suppliers", "supplier", ("name",)),
    }[kind]
    through: Any = getattr(AISystem, relation).through
    rows = (
        through.objects.filter(aisystem_id__in=ids)
        .order_by(*(f"{target}__{field}" for field in named), target)
        .values_list("aisystem_id", *(f"{target}__{field}" for field in named))
    )
    found: dict[Any, list[str]] = defaultdict(list)
    for system_id, *names in rows:
        found[system_id].append(" ".join(names))
    return found


def _classifications(ids: list[Any]) -> dict[Any, tuple[str, str]]:
    """Each system's current classification: its risk classes joined by " + ", and the rule set,
    role(s) and answers of each decision as JSON (what the import reads back)."""
    rows = (
        Classification.objects.filter(system_id__in=ids, is_current=True)
        .order_by("-created_at")
        .values_list(
            "system_id",
            "risk_class",
            "operator_role",
            "operator_roles",
            "answers",
            "ruleset__version",
        )
    )
    per_system: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        per_system[row[0]].append(row)
    return {pk: _classification_cells(found) for pk, found in per_system.items()}


def _classification_cells(rows: Iterable[Any]) -> tuple[str, str]:
    ordered = sorted(rows, key=lambda row: row[2])  # by role; stable, so newest first within one
    items: list[dict[str, Any]] = []
    for _, _, role, roles, answers, version in ordered:
        item: dict[str, Any] = {"rules": version, "role": role}
        if len(roles or []) > 1:
            item["roles"] = list(roles)
        items.append({**item, "answers": answers})
    payload = items[0] if len(items) == 1 else items
    return (
        " + ".join(risk_class_label(row[1]) for row in ordered),
        json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
    )
