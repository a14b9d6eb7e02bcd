"""Aimwell assurance engine: performance, fairness, drift, data-quality and explainability
evidence from prediction logs, computed at the speed of a column scan.

Pure Python (DuckDB by default, Spark optionally); no Django and no other aimwell package,
so that it can run as a library, from the CLI without a database, and inside the AIMS.

The public names are loaded on first use (PEP 562): ``aimwell assurance report --help`` must
not pay for NumPy, DuckDB and SciPy, and a caller that only needs ``ColumnSpec`` need not
either.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import ColumnSpec, GenerativeSpec, Thresholds
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
    from .generative import assess_generative
    from .profile import ReferenceProfile
    from .results import AssuranceReport, DriftResult, FairnessResult

_WHERE = {
    "ColumnSpec": "config",
    "GenerativeSpec": "config",
    "Thresholds": "config",
    "assess": "engine",
    "build_profile": "engine",
    "AssuranceError": "errors",
    "BackendUnavailableError": "errors",
    "ColumnNotFoundError": "errors",
    "ColumnTypeError": "errors",
    "ConfigurationError": "errors",
    "EmptyLogError": "errors",
    "LogNotFoundError": "errors",
    "ProfileError": "errors",
    "UnreadableLogError": "errors",
    "fairness_from_dict": "fairness",
    "merge_fairness": "fairness",
    "assess_generative": "generative",
    "ReferenceProfile": "profile",
    "AssuranceReport": "results",
    "DriftResult": "results",
    "FairnessResult": "results",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


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
    "GenerativeSpec",
    "LogNotFoundError",
    "ProfileError",
    "ReferenceProfile",
    "Thresholds",
    "UnreadableLogError",
    "assess",
    "assess_generative",
    "build_profile",
    "fairness_from_dict",
    "merge_fairness",
]
