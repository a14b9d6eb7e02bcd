"""Bulk import and export of systems, models, datasets and suppliers as CSV or xlsx.

An import validates every row first, with the same forms as the pages, and writes nothing if any
row fails; the report names each bad row and field. Rows whose name already exists update that
entry; others are created. A valid file is written in one transaction.

Systems carry their EU AI Act classification in two columns: `eu_ai_act_class` (the decided
class, for people reading the sheet) and `eu_ai_act_classification` (the rules version, the
operator role, `roles` when it was decided for several, and the answers, as JSON). An import
re-decides the classification from those answers under that rules version whenever they differ
from the system's current one, and says so; the class is always computed, never taken from the
file, and a file whose class no longer follows from its answers is reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from aimwell.accounts.models import Membership
from aimwell.core import tabular
from aimwell.core.audit import diff, pending_for, record_events, snapshot
from aimwell.core.table_import import ImportFailed, Rows, fail, read_table
from aimwell.inventory import export_systems, services
from aimwell.inventory.choices import EUOperatorRole
from aimwell.inventory.forms import DatasetForm, ModelForm_, SupplierForm, SystemForm
from aimwell.inventory.labels import risk_class_label
from aimwell.inventory.models import AIModel, AISystem, Dataset, Supplier

LIST_SEPARATOR = "|"
EXPORT_CHUNK = 2000  # records read at a time by an export
CLASSIFICATION_COLUMNS = ("eu_ai_act_class", "eu_ai_act_classification")
_SYSTEM_ONLY_COLUMNS = ("owner_email", "models", "datasets", "suppliers", *CLASSIFICATION_COLUMNS)


@dataclass(frozen=True)
class Kind:
    model: type[Any]
    form: type[Any]
    columns: tuple[str, ...]
    required: tuple[str, ...]
    key: tuple[str, ...] = ("name",)


KINDS: dict[str, Kind] = {
    "systems": Kind(
        AISystem,
        SystemForm,
        (
            *(f if f != "owner" else "owner_email" for f in services.SYSTEM_FIELDS),
            "models",
            "datasets",
            "suppliers",
            "eu_ai_act_class",
            "eu_ai_act_classification",
        ),
        ("name", "purpose"),
    ),
    "models": Kind(
        AIModel,
        ModelForm_,
        services.MODEL_FIELDS,
        ("name", "version", "origin"),
        key=("name", "version"),
    ),
    "datasets": Kind(Dataset, DatasetForm, services.DATASET_FIELDS, ("name",)),
    "suppliers": Kind(Supplier, SupplierForm, services.SUPPLIER_FIELDS, ("name",)),
}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    reclassified: int = 0
    notes: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"Imported {self.rows} rows: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged."
        )
        if self.reclassified:
            text += f" Re-classified {self.reclassified} system(s) from the file's answers."
        return text


@dataclass(frozen=True)
class _Decision:
    """One EU AI Act classification of a row: rules version, role, answers, and its outcome."""

    rule_set: Any
    role: list[str]  # every role it is decided for (one, or e.g. provider and deployer)
    answers: dict[str, Any]
    risk_class: str


def _bool(value: str) -> str:
    return "on" if value.strip().lower() in {"1", "true", "yes", "y", "x", "on"} else ""


def _names(value: str) -> list[str]:
    return [v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()]


def _choices_of(model: type[Any], column: str) -> list[tuple[Any, Any]]:
    try:
        return list(model._meta.get_field(column).flatchoices)
    except Exception:  # a column that is not a field (owner_email, models, ...)
        return []


def _stored(choices: list[tuple[Any, Any]], value: str) -> str:
    """The stored value of a choice given as its label (what an export writes, so a person can
    read the sheet) or as the value itself."""
    wanted = value.strip().lower()
    for stored, label in choices:
        if wanted in (str(stored).lower(), str(label).lower()):
            return str(stored)
    return value


def _form_data(
    kind: str,
    row: dict[str, str],
    lookups: dict[str, dict[str, Any]],
    errors: list[dict[str, Any]],
    number: int,
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column, value in row.items():
        if column in _SYSTEM_ONLY_COLUMNS and kind == "systems":
            continue
        if column == "supplier" and value:
            supplier = lookups["suppliers"].get(value.lower())
            if supplier is None:
                errors.append(
                    {"row": number, "field": "supplier", "message": f"no supplier named “{value}”"}
                )
            data["supplier"] = supplier.pk if supplier else ""
            continue
        if column == "eu_roles" and kind == "systems":
            data[column] = [_stored(EUOperatorRole.choices, name) for name in _names(value)]
            continue
        choices = _choices_of(KINDS[kind].model, column)
        data[column] = _stored(choices, value) if choices else value
    if kind == "systems":
        email = row.get("owner_email", "")
        if email:
            owner = lookups["members"].get(email.lower())
            if owner is None:
                errors.append(
                    {
                        "row": number,
                        "field": "owner_email",
                        "message": f"{email} is not a member of this organisation",
                    }
                )
            data["owner"] = owner or ""
    return data


def _complete(data: dict[str, Any], spec: Kind, instance: Any) -> None:
    """Columns left out keep the entry's current value (update) or the model's default (new)."""
    for name in spec.form.base_fields:
        if name in data:
            continue
        model_field = spec.model._meta.get_field(name)
        if instance is not None:
            value = getattr(instance, model_field.attname)
        else:
            value = model_field.get_default()
        if isinstance(value, bool):
            value = "on" if value else ""
        data[name] = "" if value is None else value


def _renamed(rows: Rows, old: str, new: str) -> Rows:
    for number, row in rows:
        yield number, {(new if k == old else k): v for k, v in row.items()}


def _boolean_fields(form_class: type[Any]) -> set[str]:
    from django import forms as djforms

    return {n for n, f in form_class.base_fields.items() if isinstance(f, djforms.BooleanField)}


def _lookups(organisation: Any) -> dict[str, dict[str, Any]]:
    return {
        "suppliers": {
            s.name.lower(): s for s in Supplier.objects.filter(organisation=organisation)
        },
        "datasets": {d.name.lower(): d for d in Dataset.objects.filter(organisation=organisation)},
        "models": {
            f"{m.name} {m.version}".lower(): m
            for m in AIModel.objects.filter(organisation=organisation)
        },
        "members": {
            m.user.email.lower(): m.user_id
            for m in Membership.objects.active()
            .filter(organisation=organisation)
            .select_related("user")
        },
    }


def _existing(kind: str, organisation: Any) -> dict[tuple[str, ...], Any]:
    spec = KINDS[kind]
    return {
        tuple(str(getattr(obj, k)).lower() for k in spec.key): obj
        for obj in spec.model.objects.filter(organisation=organisation)
    }


def _decisions(
    row: dict[str, str], number: int, errors: list[dict[str, Any]], rule_sets: dict[str, Any]
) -> list[Any]:
    """The row's classifications, checked the way the questionnaire checks them."""
    from aimwell.classification import services as classification
    from aimwell.classification.models import RuleSet

    raw = row.get("eu_ai_act_classification", "")
    if not raw:
        return []

    def problem(message: str) -> list[Any]:
        errors.append({"row": number, "field": "eu_ai_act_classification", "message": message})
        return []

    try:
        items = json.loads(raw)
    except json.JSONDecodeError as exc:
        return problem(f"not JSON: {exc.msg}")
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return problem('expected {"rules": ..., "role": ..., "answers": {...}} or a list of them')
    out = []
    for item in items:
        version, role, answers = item.get("rules"), item.get("role"), item.get("answers")
        roles = item.get("roles") or ([role] if isinstance(role, str) and role else None)
        if (
            not isinstance(version, str)
            or not isinstance(roles, list)
            or not all(isinstance(r, str) and r for r in roles)
        ):
            return problem("each classification needs a rules version and a role (or roles)")
        if not isinstance(answers, dict):
            return problem("answers must be a JSON object")
        if version not in rule_sets:
            rule_sets[version] = RuleSet.objects.filter(
                key=classification.RULES_KEY, version=version
            ).first()
        rule_set = rule_sets[version]
        if rule_set is None:
            return problem(f"no classification rules version {version!r} is loaded")
        _, _, outcome, problems = classification.preview(rule_set, answers, roles)
        if outcome is None:
            detail = "; ".join(f"{k}: {v}" for k, v in sorted(problems.items()))
            return problem(f"the answers do not decide a class ({detail})")
        out.append(_Decision(rule_set, outcome.roles, outcome.answers, outcome.risk_class))
    declared = row.get("eu_ai_act_class", "")
    decided = " + ".join(risk_class_label(d.risk_class) for d in out)
    as_codes = " + ".join(d.risk_class for d in out)  # files exported before labels
    if declared and declared not in (decided, as_codes):
        return problem(
            f"the file says {declared!r} but its answers decide {decided!r} under these rules; "
            "correct the class or the answers"
        )
    return out


def import_rows(
    kind: str, organisation: Any, content: bytes, filename: str, *, actor: Any
) -> ImportResult:
    """Validate every row, then write all of them or none."""
    if kind not in KINDS:
        raise ImportFailed(
            [
                {
                    "row": None,
                    "field": "kind",
                    "message": f"unknown kind {kind!r}; use {', '.join(KINDS)}",
                }
            ]
        )
    spec = KINDS[kind]
    lookups = _lookups(organisation)
    existing = _existing(kind, organisation)
    rule_sets: dict[str, Any] = {}
    booleans = _boolean_fields(spec.form)
    errors: list[dict[str, Any]] = []
    valid: list[tuple[int, dict[str, Any], dict[str, list[Any]], Any]] = []
    seen: dict[tuple[str, ...], int] = {}
    header, rows = read_table(content, filename)
    if kind == "systems" and "eu_role" in header and "eu_roles" not in header:
        # Files from before systems held several roles name the one role `eu_role`.
        header = ["eu_roles" if c == "eu_role" else c for c in header]
        rows = _renamed(rows, "eu_role", "eu_roles")
    missing = [c for c in spec.required if c not in header]
    unknown = [c for c in header if c not in spec.columns]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"missing column(s): {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s): {', '.join(unknown)}")
        raise fail(f"{'; '.join(problems)}. Expected columns: {', '.join(spec.columns)}", row=1)
    # Read (and count) every row before validating any, so an oversized file stops at once.
    for number, row in list(rows):
        for name in booleans:
            if name in row:
                row[name] = _bool(row[name])
        row_errors: list[dict[str, Any]] = []
        data = _form_data(kind, row, lookups, row_errors, number)
        links: dict[str, list[Any]] = {}
        if kind == "systems":
            for column in ("models", "datasets", "suppliers"):
                links[column] = []
                for name in _names(row.get(column, "")):
                    target = lookups[column].get(name.lower())
                    if target is None:
                        row_errors.append(
                            {
                                "row": number,
                                "field": column,
                                "message": f"no {column[:-1]} “{name}”",
                            }
                        )
                    else:
                        links[column].append(target)
        if kind == "systems":
            links["classification"] = _decisions(row, number, row_errors, rule_sets)
        key = tuple(str(row.get(k, "")).lower() for k in spec.key)
        if key in seen:
            row_errors.append(
                {
                    "row": number,
                    "field": spec.key[0],
                    "message": f"the same entry is on row {seen[key]}",
                }
            )
        seen[key] = number
        instance = existing.get(key)
        _complete(data, spec, instance)
        form = spec.form(data, instance=instance, organisation=organisation)
        if not form.is_valid():
            for field_name, messages in form.errors.items():
                for message in messages:
                    row_errors.append(
                        {
                            "row": number,
                            "field": field_name if field_name != "__all__" else None,
                            "message": message,
                        }
                    )
        if row_errors:
            errors.extend(row_errors)
        else:
            valid.append((number, form.cleaned_data, links, instance))
    if not valid and not errors:
        raise ImportFailed([{"row": None, "field": None, "message": "The file has no rows."}])
    if errors:
        raise ImportFailed(errors)
    return _write(kind, organisation, valid, actor)


@transaction.atomic
def _write(
    kind: str,
    organisation: Any,
    valid: list[tuple[int, dict[str, Any], dict[str, list[Any]], Any]],
    actor: Any,
) -> ImportResult:
    spec = KINDS[kind]
    fields = services.FIELDS[spec.model]
    result = ImportResult(rows=len(valid))
    new_objects = []
    new_links = []
    decisions: list[tuple[Any, list[Any]]] = []
    for _, data, links, instance in valid:
        wanted = links.pop("classification", [])
        values = {k: v for k, v in data.items() if k in fields}
        if instance is None:
            obj = spec.model(organisation=organisation, **values)
            new_objects.append(obj)
            new_links.append(links)
            decisions.append((obj, wanted))
        else:
            decisions.append((instance, wanted))
            before = snapshot(instance, fields)
            services.update(instance, actor=actor, **values)
            if diff(before, snapshot(instance, fields)):
                result.updated += 1
            else:
                result.unchanged += 1
            for column, targets in links.items():
                for target in targets:
                    services.link(instance, column, target, actor=actor)
    spec.model.objects.bulk_create(new_objects)
    if kind == "systems":
        for column, relation in (
            ("models", "models_used"),
            ("datasets", "datasets"),
            ("suppliers", "suppliers"),
        ):
            through = getattr(AISystem, relation).through
            target_field = {
                "models": "aimodel_id",
                "datasets": "dataset_id",
                "suppliers": "supplier_id",
            }[column]
            through.objects.bulk_create(
                [
                    through(aisystem_id=obj.pk, **{target_field: target.pk})
                    for obj, links in zip(new_objects, new_links, strict=True)
                    for target in links.get(column, [])
                ]
            )
    record_events(
        organisation_id=organisation.pk,
        actor=actor,
        events=[
            pending_for(
                obj,
                action=f"{services.ACTION[spec.model]}.imported",
                changes=diff({}, snapshot(obj, fields)),
            )
            for obj in new_objects
        ],
    )
    result.created = len(new_objects)
    _reclassify(decisions, actor, result)
    return result


def _reclassify(decisions: list[tuple[Any, list[Any]]], actor: Any, result: ImportResult) -> None:
    """Decide again where the file's answers differ from the current classification."""
    from aimwell.classification import services as classification
    from aimwell.classification.models import Classification

    systems = [obj.pk for obj, wanted in decisions if wanted]
    current: dict[Any, set[tuple[Any, tuple[str, ...], str]]] = {}
    for row in Classification.objects.filter(system_id__in=systems, is_current=True):
        roles = tuple(row.operator_roles or [row.operator_role])
        current.setdefault(row.system_id, set()).add(
            (row.ruleset_id, roles, json.dumps(row.answers, sort_keys=True))
        )
    for system, wanted in decisions:
        have = current.get(system.pk, set())
        if all(
            (d.rule_set.pk, tuple(d.role), json.dumps(d.answers, sort_keys=True)) in have
            for d in wanted
        ):
            continue
        for decision in wanted:
            classification.classify_system(
                system,
                decision.answers,
                actor=actor,
                role=decision.role,
                rule_set=decision.rule_set,
            )
        result.reclassified += 1
        result.notes.append(
            f"{system.name}: re-classified as {' + '.join(d.risk_class for d in wanted)} "
            f"(rules {', '.join(sorted({d.rule_set.version for d in wanted}))})"
        )


def _cell(obj: Any, column: str) -> Any:
    value = getattr(obj, column)
    if column == "eu_roles":
        labels = dict(EUOperatorRole.choices)
        return f" {LIST_SEPARATOR} ".join(str(labels.get(v, v)) for v in value or [])
    choices = _choices_of(type(obj), column)
    if choices and value not in (None, ""):
        return str(dict(choices).get(value, value))
    if column == "supplier":
        return value.name if value else ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


def export_stream(kind: str, organisation: Any) -> tuple[tuple[str, ...], Iterator[list[Any]]]:
    """The columns and the rows of an export, read 2,000 records at a time, so memory stays flat
    whatever the size of the register (systems as plain values: aimwell.inventory.export_systems).
    The queryset is built here, before the first row is asked for: a streamed response reads its
    rows after the view has returned, and a queryset keeps the guest confinement it was built
    under."""
    spec = KINDS[kind]
    if kind == "systems":
        return spec.columns, export_systems.system_rows(organisation, spec.columns)
    qs = spec.model.objects.filter(organisation=organisation)
    if kind in ("models", "datasets"):
        qs = qs.select_related("supplier")
    records = qs.order_by("name").iterator(chunk_size=EXPORT_CHUNK)
    return spec.columns, ([_cell(obj, c) for c in spec.columns] for obj in records)


def export_rows(kind: str, organisation: Any) -> tuple[tuple[str, ...], list[list[Any]]]:
    columns, rows = export_stream(kind, organisation)
    return columns, list(rows)


def export_file(kind: str, organisation: Any, fmt: str) -> tuple[bytes, str, str]:
    """File bytes, content type and file name (the command line; pages and the API stream)."""
    columns, rows = export_stream(kind, organisation)
    if fmt == "xlsx":
        return b"".join(tabular.xlsx_stream(kind, columns, rows)), tabular.XLSX_TYPE, f"{kind}.xlsx"
    return b"".join(tabular.csv_stream(columns, rows)), tabular.CSV_TYPE, f"{kind}.csv"


def export_response(kind: str, organisation: Any, fmt: str) -> Any:
    """The export as a streamed download: CSV written as the rows are read, xlsx through
    openpyxl's write-only mode (a temporary file, then sent in chunks)."""
    columns, rows = export_stream(kind, organisation)
    if fmt == "xlsx":
        return tabular.streamed_download(
            tabular.xlsx_stream(kind, columns, rows), f"{kind}.xlsx", "xlsx"
        )
    return tabular.streamed_download(tabular.csv_stream(columns, rows), f"{kind}.csv", "csv")
