"""Configuration of a generative-AI evaluation: which columns of the log play which role."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from aimwell.assurance.config import DEFAULT_MAX_GROUPS, Thresholds
from aimwell.assurance.errors import ConfigurationError

GENERATIVE_TASK = "generative"


@dataclass(frozen=True)
class GenerativeSpec:
    """Roles of the columns of a generative-AI evaluation log (one row per test case).

    A test case passes when ``outcome`` says so (a boolean, 0/1, or the text pass/fail), or
    when ``score >= pass_threshold`` (e.g. a judge's grade): exactly one of the two is given.
    ``refusal`` flags the cases the system declined to answer. ``run`` names the evaluation
    run of each row: with two runs in the log (or ``baseline_run`` and ``current_run``
    chosen among more), the current run is compared with the baseline category by category.
    """

    category: str
    outcome: str | None = None
    score: str | None = None
    pass_threshold: float | None = None
    sensitive: str | None = None
    refusal: str | None = None
    run: str | None = None
    baseline_run: str | None = None
    current_run: str | None = None
    min_group_size: int = 30
    confidence: float = 0.95
    max_groups: int = DEFAULT_MAX_GROUPS
    thresholds: Thresholds = field(default_factory=Thresholds)

    def __post_init__(self) -> None:
        if not self.category:
            raise ConfigurationError("a generative evaluation needs its category column")
        if (self.outcome is None) == (self.score is None):
            raise ConfigurationError(
                "give either an outcome column (pass/fail) or a score column with a pass "
                "threshold, not both and not neither"
            )
        if self.score is not None and self.pass_threshold is None:
            raise ConfigurationError("a score column needs a pass threshold (--pass-threshold)")
        if self.score is None and self.pass_threshold is not None:
            raise ConfigurationError("--pass-threshold applies to a score column only")
        if self.pass_threshold is not None and not math.isfinite(self.pass_threshold):
            raise ConfigurationError("the pass threshold must be a finite number")
        if (self.baseline_run or self.current_run) and self.run is None:
            raise ConfigurationError("--baseline-run and --current-run need the run id column")
        if self.baseline_run is not None and self.baseline_run == self.current_run:
            raise ConfigurationError("the baseline run and the current run must differ")
        if self.min_group_size < 0:
            raise ConfigurationError("min_group_size must be >= 0")
        if not 0 < self.confidence < 1:
            raise ConfigurationError("confidence must be in (0, 1)")
        if self.max_groups < 2:
            raise ConfigurationError("max_groups must be >= 2")
        roles = [self.category, self.outcome, self.score, self.sensitive, self.refusal, self.run]
        named = [c for c in roles if c is not None]
        if len(named) != len(set(named)):
            raise ConfigurationError("one column cannot play two roles in an evaluation log")

    @property
    def task(self) -> str:
        return GENERATIVE_TASK

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["task"] = GENERATIVE_TASK
        return d
