"""Generative-AI evaluation: pass and refusal rates of an evaluation suite's log (one row per
test case), gaps between groups, and regression between two runs, with Wilson and Newcombe
intervals (``aimwell assurance report --task generative``).

Pure Python; it runs on the assurance engine's backends and reads logs through its I/O, and
imports no Django and no other Aimwell package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .evaluation import assess_generative
    from .spec import GenerativeSpec


def __getattr__(name: str) -> Any:
    # Loaded on first use (PEP 562): the specification needs no NumPy or DuckDB.
    if name == "GenerativeSpec":
        from .spec import GenerativeSpec

        return GenerativeSpec
    if name == "assess_generative":
        from .evaluation import assess_generative

        return assess_generative
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["GenerativeSpec", "assess_generative"]
