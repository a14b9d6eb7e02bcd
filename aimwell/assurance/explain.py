"""Explainability evidence from attribution columns the user logged (e.g. SHAP values).

For each column ``<prefix><feature>`` the mean absolute attribution is reported globally
and for every group of the sensitive attributes (computed in the main aggregation pass),
which shows which features drive decisions and whether that differs between groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .results import AttributionGroup, ExplainResult


def attribution_columns(types: dict[str, str], prefix: str, numeric: Sequence[str]) -> list[str]:
    return [c for c, t in types.items() if prefix and c.startswith(prefix) and t in numeric]


def build_explain(
    prefix: str, columns: Sequence[str], rows: Sequence[tuple[tuple[str, ...], dict[str, Any],
    dict[str, Any]]],
) -> ExplainResult:  # fmt: skip
    """``rows``: (attributes, key, aggregate row) for every grouping set; the overall row
    has no attributes."""
    feats = [c[len(prefix) :] for c in columns]
    groups: list[AttributionGroup] = []
    global_mean: dict[str, float | None] = {}
    for attrs, key, agg in rows:
        means = {f: _f(agg.get(f"am{i}")) for i, f in enumerate(feats)}
        n = max((int(agg.get(f"an{i}") or 0) for i in range(len(feats))), default=0)
        if not attrs:
            global_mean = means
        else:
            groups.append(AttributionGroup(attributes=attrs, key=key, n=n, mean_abs=means))
    # Backends return groups in arbitrary order; sort so results compare equal.
    groups.sort(
        key=lambda g: (
            len(g.attributes),
            g.attributes,
            [(0, "") if g.key[a] is None else (1, str(g.key[a])) for a in g.attributes],
        )
    )
    ranking = sorted(feats, key=lambda f: -(global_mean.get(f) or 0.0))
    return ExplainResult(
        prefix=prefix, features=feats, global_mean_abs=global_mean, ranking=ranking,
        groups=groups,
    )  # fmt: skip


def _f(v: Any) -> float | None:
    return None if v is None else float(v)
