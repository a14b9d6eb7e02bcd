"""Exact ROC AUC in memory that does not grow with the number of distinct scores.

The log's (score, label) pairs are sorted by the backend (DuckDB sorts externally, spilling
to its temporary directory beyond its memory limit) and streamed here in batches. Walking
the sorted scores, each run of equal scores contributes ``2 * pos * below + pos * neg`` to
twice the Mann-Whitney U statistic, where ``below`` is the number of negatives with a lower
score: ties count one half, as in scikit-learn's trapezoidal ``roc_auc_score``. Only one
batch and the run that may continue into the next batch are held at a time, and the sums
are exact integers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np


@dataclass
class RankSums:
    twice_u: int = 0
    n_pos: int = 0
    n_neg: int = 0


def rank_sums(batches: Iterable[tuple[np.ndarray, np.ndarray]]) -> RankSums:
    """Twice the Mann-Whitney U from (scores ascending, is-positive) batches."""
    out = RankSums()
    below = 0  # negatives with a score lower than the pending run
    pending: tuple[float, int, int] | None = None  # (score, positives, negatives)
    for scores, positive in batches:
        if scores.size == 0:
            continue
        starts = np.concatenate(([0], np.flatnonzero(scores[1:] != scores[:-1]) + 1))
        pos = np.add.reduceat(positive.astype(np.int64), starts)
        tot = np.diff(np.append(starts, scores.size))
        neg = tot - pos
        first = float(scores[0])
        if pending is not None and pending[0] == first:
            pos[0] += pending[1]
            neg[0] += pending[2]
        elif pending is not None:
            out.twice_u += 2 * pending[1] * below + pending[1] * pending[2]
            below += pending[2]
        # Every run but the last is complete; the last may continue in the next batch.
        p, n = pos[:-1], neg[:-1]
        if p.size:
            lower = below + np.concatenate(([0], np.cumsum(n)[:-1]))
            out.twice_u += int(2 * np.dot(p, lower) + np.dot(p, n))
            below += int(n.sum())
        pending = (float(scores[-1]), int(pos[-1]), int(neg[-1]))
        out.n_pos += int(positive.sum())
        out.n_neg += int(scores.size - positive.sum())
    if pending is not None:
        out.twice_u += 2 * pending[1] * below + pending[1] * pending[2]
    return out
