"""Refusing silent wrong answers before any metric is computed.

One pass counts the distinct values of the label, the prediction and every sensitive
attribute; a second, tiny one lists the label's classes. From these:

* a sensitive attribute with more groups than ``max_groups`` is refused, with the advice to
  bin it (``--bin COLUMN=EDGES``): a continuous column would otherwise make thousands of
  one-row groups, none judged, and a status of ok;
* a label with more classes than ``MAX_CLASSES`` is refused as a classification label;
* a positive label found in neither the label nor the prediction column is refused, naming
  the values that were found (otherwise tp = fn = 0 and recall is silently undefined);
* a label with more than two classes is a multiclass problem: reported per class and
  averaged, never binarised against ``pos_label``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .config import MAX_CLASSES, ColumnSpec
from .errors import ConfigurationError
from .io import NUMERIC
from .sqlgen import Dialect, class_counts_query, coerce_label, distinct_counts_query, sensitive_expr

Query = Callable[[str], list[dict[str, Any]]]
SHOWN_VALUES = 12


@dataclass
class OutcomeFacts:
    """What the label and prediction columns hold."""

    classes: list[Any] = field(default_factory=list)
    multiclass: bool = False
    # (actual, predicted) -> rows, for rows where both are present (multiclass only)
    cells: dict[tuple[Any, Any], int] = field(default_factory=dict)
    n_excluded: int = 0


def _shown(values: Sequence[Any]) -> str:
    text = ", ".join(repr(v) for v in values[:SHOWN_VALUES])
    more = len(values) - SHOWN_VALUES
    return text + (f" and {more} more" if more > 0 else "")


def _sorted(values: Any) -> list[Any]:
    return sorted(values, key=lambda v: (type(v).__name__, v))


def check(
    query: Query, d: Dialect, rel: str, spec: ColumnSpec, types: dict[str, str]
) -> OutcomeFacts:
    """Raise ConfigurationError for the inputs that would give a wrong answer; otherwise
    return what the outcome columns hold."""
    classify = spec.task == "classification" and spec.label is not None and spec.has_outcome
    exprs: list[str] = []
    if classify:
        assert spec.label is not None
        exprs.append(d.q(spec.label))
        if spec.prediction is not None:
            exprs.append(d.q(spec.prediction))
    first_sensitive = len(exprs)
    exprs += [sensitive_expr(d, spec, s) for s in spec.sensitive]
    if not exprs:
        return OutcomeFacts()
    counts = query(distinct_counts_query(d, rel, exprs))[0]
    for i, column in enumerate(spec.sensitive):
        n = int(counts[f"d{first_sensitive + i}"])
        if n > spec.max_groups:
            numeric = types.get(column) in NUMERIC and spec.edges_of(column) is None
            advice = (
                f"bin it, e.g. --bin {column}=EDGES with increasing edges such as 25,40,60"
                if numeric
                else "group its values into fewer categories in the log"
            )
            raise ConfigurationError(
                f"sensitive attribute {column!r} has {n} distinct values, more than the limit "
                f"of {spec.max_groups} groups (--max-groups): {advice}, or raise --max-groups"
            )
    if not classify:
        return OutcomeFacts()
    assert spec.label is not None
    outcome_columns: list[tuple[str, str | None]] = [
        ("label", spec.label),
        ("prediction", spec.prediction),
    ]
    for i, (role, outcome_column) in enumerate(outcome_columns):
        if outcome_column is None:
            continue
        n = int(counts[f"d{i}"])
        if n > MAX_CLASSES:
            raise ConfigurationError(
                f"{role} column {outcome_column!r} has {n} distinct values, more than "
                f"{MAX_CLASSES} classes: for a numeric outcome use --task regression"
            )
    return _classes(query, d, rel, spec, types)


def _classes(
    query: Query, d: Dialect, rel: str, spec: ColumnSpec, types: dict[str, str]
) -> OutcomeFacts:
    assert spec.label is not None
    rows = query(class_counts_query(d, rel, spec.label, spec.prediction))
    labels = _sorted({r["y"] for r in rows if r["y"] is not None})
    predicted = _sorted({r["p"] for r in rows if r["p"] is not None})
    label_type = types[spec.label]
    pos = coerce_label(spec.pos_label, label_type)
    if label_type == "boolean":
        return OutcomeFacts(classes=labels)
    if spec.prediction is not None and labels and predicted and not set(labels) & set(predicted):
        raise ConfigurationError(
            f"label column {spec.label!r} (values {_shown(labels)}) and prediction column "
            f"{spec.prediction!r} (values {_shown(predicted)}) share no value"
        )
    if len(set(labels) | set(predicted)) > 2:
        return _multiclass(spec, rows, labels)
    found_in_prediction = spec.prediction is not None and pos in set(predicted)
    if pos not in set(labels) and not found_in_prediction:
        where = f"label column {spec.label!r}"
        found = _shown(labels) or "none (all null)"
        raise ConfigurationError(
            f"positive label {pos!r} (--pos-label) never occurs in the {where}; values found: "
            f"{found}"
        )
    return OutcomeFacts(classes=labels)


def _multiclass(spec: ColumnSpec, rows: list[dict[str, Any]], labels: list[Any]) -> OutcomeFacts:
    shown = _shown(labels)
    if spec.prediction is None:
        raise ConfigurationError(
            f"label column {spec.label!r} has {len(labels)} classes ({shown}): a multiclass "
            "model needs --prediction (the predicted class); one --score cannot be thresholded"
        )
    if spec.sensitive:
        raise ConfigurationError(
            f"label column {spec.label!r} has {len(labels)} classes ({shown}): the fairness "
            "metrics need a binary outcome; derive a yes/no column for the decision that "
            "matters (e.g. approved or not) and pass it as --label and --prediction, or drop "
            "--sensitive for a multiclass performance report"
        )
    cells: dict[tuple[Any, Any], int] = {}
    excluded = 0
    for r in rows:
        if r["y"] is None or r["p"] is None:
            excluded += int(r["n"])
        else:
            cells[(r["y"], r["p"])] = cells.get((r["y"], r["p"]), 0) + int(r["n"])
    return OutcomeFacts(classes=labels, multiclass=True, cells=cells, n_excluded=excluded)
