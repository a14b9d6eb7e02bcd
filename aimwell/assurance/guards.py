"""Refusing silent wrong answers before any metric is computed.

One scan of the label and prediction columns lists their value pairs (cut off past what a
classification label can have); the number of groups of each sensitive attribute comes from
the main aggregation pass. From these:

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
from .sqlgen import Dialect, class_counts_query, coerce_label, distinct_counts_query

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
    """Raise ConfigurationError for outcome columns that would give a wrong answer; otherwise
    return what they hold. One scan of the label and prediction columns, grouped by value
    pair and cut off past the largest number of pairs a classification label can have."""
    if not (spec.task == "classification" and spec.label is not None and spec.has_outcome):
        return OutcomeFacts()
    limit = (MAX_CLASSES + 1) ** 2
    rows = query(class_counts_query(d, rel, spec.label, spec.prediction) + f" LIMIT {limit + 1}")
    labels = {r["y"] for r in rows if r["y"] is not None}
    predicted = {r["p"] for r in rows if r["p"] is not None}
    if len(rows) > limit or len(labels) > MAX_CLASSES or len(predicted) > MAX_CLASSES:
        exprs = [d.q(spec.label)] + ([d.q(spec.prediction)] if spec.prediction else [])
        counts = query(distinct_counts_query(d, rel, exprs))[0]
        for i, (role, column) in enumerate(
            (("label", spec.label), ("prediction", spec.prediction))
        ):
            n = int(counts.get(f"d{i}") or 0)
            if column is not None and n > MAX_CLASSES:
                raise ConfigurationError(
                    f"{role} column {column!r} has {n} distinct values, more than "
                    f"{MAX_CLASSES} classes: for a numeric outcome use --task regression"
                )
    return _classes(spec, types, rows)


def check_group_counts(spec: ColumnSpec, types: dict[str, str], groups: dict[str, int]) -> None:
    """Refuse a sensitive attribute with more groups (non-null values) than ``max_groups``."""
    for column in spec.sensitive:
        n = groups.get(column, 0)
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


def _classes(spec: ColumnSpec, types: dict[str, str], rows: list[dict[str, Any]]) -> OutcomeFacts:
    assert spec.label is not None
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
