"""What courses, quizzes and training records feed into the certification readiness score
(aimwell.controls.hooks)."""

from __future__ import annotations

from typing import Any

from aimwell.controls import hooks


def training_progress(organisation: Any) -> hooks.StageProgress | None:
    from aimwell.competence.querysets import training_matrix

    matrix = training_matrix(organisation)
    required = sum(len(row.courses) for row in matrix["rows"])
    if not required:
        return None
    valid = required - sum(len(row.gaps) for row in matrix["rows"])
    return hooks.StageProgress(
        percent=round(100 * valid / required, 1),
        detail=f"{valid} of {required} required trainings valid across members",
        links=[("Training gaps", "/operations/training/matrix/")],
    )
