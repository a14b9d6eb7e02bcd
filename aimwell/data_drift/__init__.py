"""Data drift: how far a window of a prediction log has moved from its reference, feature by
feature (PSI, Kolmogorov-Smirnov, Wasserstein, Jensen-Shannon, chi-square), either against the
reference log itself or against a stored reference profile built once per model version.

Pure Python like the assurance engine that runs it (NumPy for the binning); no Django and no
Aimwell package but the engine's configuration, errors and result types.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .profile import ReferenceProfile
    from .results import DriftResult


def __getattr__(name: str) -> Any:
    # Loaded on first use (PEP 562), as the engine's own names are: NumPy only when needed.
    if name == "ReferenceProfile":
        from .profile import ReferenceProfile

        return ReferenceProfile
    if name == "DriftResult":
        from .results import DriftResult

        return DriftResult
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["DriftResult", "ReferenceProfile"]
