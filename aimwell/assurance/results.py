"""Result objects shared by every backend.

They are plain dataclasses holding Python scalars so that a DuckDB run and a Spark run can be
compared with ``==`` and serialised with ``to_dict()`` (JSON-safe: NaN and infinities become
``None``, tuples become lists).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, fields, is_dataclass
from importlib import metadata
from typing import Any, Literal

Status = Literal["ok", "warning", "alert", "not_judged"]
# Version of report.json's layout (docs/assurance-report.schema.json): the minor number grows
# when fields are added, the major number when a field is renamed, removed or changes meaning.
REPORT_SCHEMA_VERSION = "2.1"
_ORDER = {"not_judged": -1, "ok": 0, "warning": 1, "alert": 2}


def worst(statuses: list[str] | tuple[str, ...]) -> Status:
    """The most severe status; ``ok`` for an empty list."""
    best: Status = "ok"
    for s in statuses:
        if _ORDER.get(s, 0) > _ORDER[best]:
            best = s  # type: ignore[assignment]
    return best


def jsonable(value: Any) -> Any:
    """Convert results to JSON-safe structures (NaN/inf -> None, numpy -> Python)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class ToDict:
    def to_dict(self) -> dict[str, Any]:
        out = jsonable(self)
        assert isinstance(out, dict)
        return out


# ---------------------------------------------------------------------------- performance
@dataclass
class ConfusionCounts(ToDict):
    tp: int = 0
    fp: int = 0
    tn: int = 0
    fn: int = 0

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.tn + self.fn

    def __add__(self, other: ConfusionCounts) -> ConfusionCounts:
        return ConfusionCounts(
            self.tp + other.tp, self.fp + other.fp, self.tn + other.tn, self.fn + other.fn
        )


@dataclass
class CalibrationBin(ToDict):
    lower: float
    upper: float
    count: int
    mean_score: float | None
    fraction_positive: float | None


@dataclass
class ClassificationPerformance(ToDict):
    n: int
    n_excluded: int
    confusion: ConfusionCounts
    accuracy: float | None
    precision: float | None
    recall: float | None
    f1: float | None
    roc_auc: float | None = None
    brier: float | None = None
    n_scored: int = 0
    calibration: list[CalibrationBin] = field(default_factory=list)
    calibration_binning: str = ""
    task: str = "classification"
    null_policy: str = (
        "rows with a null label or prediction are excluded and counted in n_excluded; "
        "ROC AUC, Brier and calibration use rows with a non-null label and score"
    )


@dataclass
class ClassMetrics(ToDict):
    """One class of a multiclass classifier, judged one-vs-rest."""

    value: Any
    support: int  # rows whose actual class is this one
    predicted: int  # rows predicted as this class
    precision: float | None
    recall: float | None
    f1: float | None


@dataclass
class MulticlassPerformance(ToDict):
    n: int
    n_excluded: int
    classes: list[Any]
    accuracy: float | None
    macro_precision: float | None
    macro_recall: float | None
    macro_f1: float | None
    weighted_f1: float | None
    per_class: list[ClassMetrics]
    # rows: actual class, columns: predicted class, both in the order of ``classes``
    confusion_matrix: list[list[int]]
    averaging: str = (
        "per-class figures are one-vs-rest; macro = unweighted mean over the classes, "
        "weighted = mean weighted by support; an undefined per-class figure (no row predicted "
        "or actually in the class) counts as 0 in the averages, as scikit-learn's "
        "zero_division=0"
    )
    task: str = "multiclass"
    null_policy: str = "rows with a null label or prediction are excluded and counted in n_excluded"


@dataclass
class RegressionPerformance(ToDict):
    n: int
    n_excluded: int
    mae: float | None
    rmse: float | None
    r2: float | None
    task: str = "regression"


# ---------------------------------------------------------------------------- fairness
@dataclass
class Interval(ToDict):
    low: float
    high: float


@dataclass
class GroupMetrics(ToDict):
    """One group of one grouping (an attribute or an intersection of attributes)."""

    attributes: tuple[str, ...]
    key: dict[str, Any]
    n_rows: int
    n_excluded: int
    counts: ConfusionCounts
    judged: bool
    selection_rate: float | None = None
    tpr: float | None = None
    fpr: float | None = None
    precision: float | None = None
    error_rate: float | None = None
    intervals: dict[str, Interval | None] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return ", ".join(f"{a}={self.key[a]}" for a in self.attributes) or "overall"


@dataclass
class Disparity(ToDict):
    """Disparity figures across the judged groups of one grouping (fairlearn definitions)."""

    attributes: tuple[str, ...]
    n_groups: int
    n_groups_judged: int
    not_judged: list[str]
    demographic_parity_difference: float | None
    demographic_parity_ratio: float | None
    equalized_odds_difference: float | None
    equalized_odds_ratio: float | None
    equal_opportunity_difference: float | None
    status: Status
    reasons: list[str] = field(default_factory=list)


@dataclass
class FairnessResult(ToDict):
    sensitive: tuple[str, ...]
    min_group_size: int
    interval_method: str
    confidence: float
    overall: GroupMetrics
    groups: list[GroupMetrics]
    disparities: list[Disparity]
    status: Status
    thresholds: dict[str, float]
    definitions: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------- data quality
@dataclass
class ColumnQuality(ToDict):
    column: str
    type: str
    n_rows: int
    missing: int
    missing_rate: float | None
    reference_type: str | None = None
    out_of_range: int | None = None
    out_of_range_rate: float | None = None
    reference_min: Any = None
    reference_max: Any = None
    new_categories: list[Any] | None = None
    status: Status = "ok"


@dataclass
class QualityResult(ToDict):
    n_rows: int
    missing_columns: list[str]
    extra_columns: list[str]
    type_changes: dict[str, dict[str, str]]
    columns: list[ColumnQuality]
    status: Status


# ---------------------------------------------------------------------------- explainability
@dataclass
class AttributionGroup(ToDict):
    attributes: tuple[str, ...]
    key: dict[str, Any]
    n: int
    mean_abs: dict[str, float | None]


@dataclass
class ExplainResult(ToDict):
    prefix: str
    features: list[str]
    global_mean_abs: dict[str, float | None]
    ranking: list[str]
    groups: list[AttributionGroup]


# ---------------------------------------------------------------------------- report
@dataclass
class AssuranceReport(ToDict):
    log: str
    reference: str | None
    backend: str
    n_rows: int
    spec: dict[str, Any]
    performance: (
        ClassificationPerformance | MulticlassPerformance | RegressionPerformance | None
    ) = None
    fairness: FairnessResult | None = None
    # Regression models: error per group and the gap between groups (see regression.py).
    regression_fairness: Any = None
    # Generative-AI evaluation logs: pass and refusal rates, runs compared
    # (aimwell.generative_evaluation).
    generative: Any = None
    # Each feature's drift against the reference, an aimwell.data_drift DriftResult. Not typed by
    # name: the drift domain builds on this module, so this module may not import it.
    drift: Any = None
    quality: QualityResult | None = None
    explain: ExplainResult | None = None
    status: Status = "ok"
    # What a reader must know before any figure: groups left out, classes, refusals.
    headline: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    generated_at: str = ""
    versions: dict[str, str] = field(default_factory=dict)
    schema_version: str = REPORT_SCHEMA_VERSION


@functools.cache
def _cached_versions(backend: str) -> tuple[tuple[str, str], ...]:
    # Reading package metadata parses files (~15 ms): once per process is enough.
    found = []
    spark = ("pyspark",) if backend == "spark" else ()
    for pkg in ("aimwell", "duckdb", "numpy", "scipy", *spark):
        try:
            found.append((pkg, metadata.version(pkg)))
        except metadata.PackageNotFoundError:
            continue
    return tuple(found)


def package_versions(backend: str) -> dict[str, str]:
    return dict(_cached_versions(backend))
