"""Aimwell assurance engine: performance, fairness, drift, data-quality and explainability
evidence from prediction logs, computed at the speed of a column scan.

Pure Python (DuckDB by default, Spark optionally); no Django and no other aimwell package,
so that it can run as a library, from the CLI without a database, and inside the AIMS.
"""

from __future__ import annotations

from .config import ColumnSpec, Thresholds
from .engine import assess, build_profile
from .errors import (
    AssuranceError,
    BackendUnavailableError,
    ColumnNotFoundError,
    ColumnTypeError,
    ConfigurationError,
    EmptyLogError,
    LogNotFoundError,
    ProfileError,
    UnreadableLogError,
)
from .fairness import fairness_from_dict, merge_fairness
from .profile import ReferenceProfile
from .results import AssuranceReport, DriftResult, FairnessResult

__all__ = [
    "AssuranceError",
    "AssuranceReport",
    "BackendUnavailableError",
    "ColumnNotFoundError",
    "ColumnSpec",
    "ColumnTypeError",
    "ConfigurationError",
    "DriftResult",
    "EmptyLogError",
    "FairnessResult",
    "LogNotFoundError",
    "ProfileError",
    "ReferenceProfile",
    "Thresholds",
    "UnreadableLogError",
    "assess",
    "build_profile",
    "fairness_from_dict",
    "merge_fairness",
]
