"""Aimwell assurance engine: performance, fairness, drift, data-quality and explainability
evidence from prediction logs, computed at the speed of a column scan.

Pure Python (DuckDB by default, Spark optionally); no Django and no Aimwell package but its
two domains, data drift (``aimwell.data_drift``) and generative-AI evaluation
(``aimwell.generative_evaluation``), so that it can run as a library, from the CLI without a
database, and inside the AIMS.

The public names are loaded on first use (PEP 562): ``aimwell assurance report --help`` must
not pay for NumPy, DuckDB and SciPy, and a caller that only needs ``ColumnSpec`` need not
either.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from .results import AssuranceReport, FairnessResult

_WHERE = {
    "ColumnSpec": "config",
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
    "AssuranceReport": "results",
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
    "EmptyLogError",
    "FairnessResult",
    "LogNotFoundError",
    "ProfileError",
    "Thresholds",
    "UnreadableLogError",
    "assess",
    "build_profile",
    "fairness_from_dict",
    "merge_fairness",
]
