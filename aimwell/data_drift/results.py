"""Drift results: one metric, one feature's metrics, and the drift section of a report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from aimwell.assurance.results import Status, ToDict


@dataclass
class DriftMetric(ToDict):
    name: str
    value: float | None
    status: Status
    threshold: dict[str, float] = field(default_factory=dict)
    p_value: float | None = None
    tolerance: float | None = None
    method: str = ""


@dataclass
class FeatureDrift(ToDict):
    column: str
    kind: Literal["numeric", "categorical"]
    mode: Literal["exact", "profile"]
    n_reference: int
    n_current: int
    n_reference_missing: int
    n_current_missing: int
    binning: str
    metrics: dict[str, DriftMetric]
    status: Status


@dataclass
class DriftResult(ToDict):
    mode: Literal["exact", "profile"]
    features: list[FeatureDrift]
    status: Status
    null_policy: str = "nulls are excluded from a feature's drift and counted as missing"
