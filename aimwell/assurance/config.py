"""Configuration of an assurance run: which columns play which role, and the thresholds."""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from .errors import ConfigurationError

Task = Literal["classification", "regression"]

# A sensitive attribute with more distinct values than this is almost always a mistake (an id,
# an income, a timestamp): thousands of one-row groups, a huge report, and nothing judged.
DEFAULT_MAX_GROUPS = 200
# A classification label with more classes than this is taken for a numeric outcome.
MAX_CLASSES = 50


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds; the defaults are the ones practitioners commonly use.

    PSI 0.1/0.25 is the credit-risk convention; 0.8 is the four-fifths rule of the US
    Uniform Guidelines; 0.1 for parity and odds differences is fairlearn's usual example.
    """

    psi_warning: float = 0.1
    psi_alert: float = 0.25
    # Significance tests only ever raise a warning: on large logs tiny, harmless shifts are
    # significant, so they must not page anyone on their own.
    p_value_warning: float = 0.05
    wasserstein_normed_warning: float = 0.1
    jensen_shannon_warning: float = 0.1
    four_fifths: float = 0.8
    parity_difference: float = 0.1
    equalized_odds_difference: float = 0.1
    missing_rate_warning: float = 0.05
    out_of_range_rate_warning: float = 0.01
    # Regression across groups: smallest / largest group MAE below this raises a warning.
    regression_mae_ratio: float = 0.8
    # Generative-AI evaluations: the largest gap in pass rate between two judged groups above
    # which (when their Wilson intervals do not overlap either) a warning is raised.
    generative_pass_gap: float = 0.1

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ColumnSpec:
    """Roles of the log's columns.

    ``prediction`` may be omitted for classification when ``score`` is given: the
    prediction is then ``score >= threshold``.
    """

    label: str | None = None
    prediction: str | None = None
    score: str | None = None
    sensitive: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    categorical: tuple[str, ...] = ()
    task: Task = "classification"
    pos_label: Any = 1
    threshold: float = 0.5
    attribution_prefix: str = "shap_"
    min_group_size: int = 30
    calibration_bins: int = 10
    confidence: float = 0.95
    psi_bins: int = 10
    thresholds: Thresholds = field(default_factory=Thresholds)
    # Numeric sensitive attributes grouped into intervals: ((column, (e0, e1, ...)), ...).
    bins: tuple[tuple[str, tuple[float, ...]], ...] = ()
    max_groups: int = DEFAULT_MAX_GROUPS

    def __post_init__(self) -> None:
        if self.task not in ("classification", "regression"):
            raise ConfigurationError(f"task must be classification or regression, not {self.task}")
        if self.min_group_size < 0:
            raise ConfigurationError("min_group_size must be >= 0")
        if self.calibration_bins < 1 or self.psi_bins < 2:
            raise ConfigurationError("calibration_bins must be >= 1 and psi_bins >= 2")
        if not 0 < self.confidence < 1:
            raise ConfigurationError("confidence must be in (0, 1)")
        if self.max_groups < 2:
            raise ConfigurationError("max_groups must be >= 2")
        # Accept lists from callers while keeping the dataclass hashable/immutable.
        for name in ("sensitive", "features", "categorical"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        bins = dict(self.bins.items() if isinstance(self.bins, dict) else self.bins)
        for column, edges in bins.items():
            if column not in self.sensitive:
                raise ConfigurationError(
                    f"--bin {column}: only a sensitive attribute can be binned; sensitive "
                    f"attributes: {', '.join(self.sensitive) or 'none'}"
                )
            values = [float(e) for e in edges]
            if not values or any(b <= a for a, b in itertools.pairwise(values)):
                raise ConfigurationError(
                    f"--bin {column}: edges must be one or more increasing numbers"
                )
            if any(v != v or v in (float("inf"), float("-inf")) for v in values):
                raise ConfigurationError(f"--bin {column}: edges must be finite numbers")
            bins[column] = tuple(values)
        object.__setattr__(self, "bins", tuple(bins.items()))

    def edges_of(self, column: str) -> tuple[float, ...] | None:
        """The bin edges of a sensitive attribute, or None when it is grouped by value."""
        return dict(self.bins).get(column)

    @property
    def has_outcome(self) -> bool:
        """True when label and a prediction (explicit or from the score) are available."""
        if self.label is None:
            return False
        if self.task == "regression":
            return self.prediction is not None
        return self.prediction is not None or self.score is not None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["sensitive"] = list(self.sensitive)
        d["features"] = list(self.features)
        d["categorical"] = list(self.categorical)
        d["bins"] = {c: list(e) for c, e in self.bins}
        return d
