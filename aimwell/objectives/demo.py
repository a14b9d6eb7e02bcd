"""The demo organisation's AI objectives and their measurements (additive and idempotent, run by
`aimwell demo`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from aimwell.competence.demo import TRAINED, trained_share
from aimwell.objectives import services as objectives
from aimwell.objectives.models import AIObjective
from aimwell.operations.demo import CREDIT_OWNER, MANAGER, ai_system, catalog_node, people

PARITY = "Approval-rate parity in credit scoring"


def _objectives(result: Any) -> None:
    """Four objectives. Approval-rate parity is measured by the credit-scoring monitor (its
    measure names the figure, so each run records its value and the status follows); the share
    of members trained is computed from the training records; the others are measured by hand."""
    from aimwell.demo import demo_organisation

    org = demo_organisation()
    users = people()
    if len(users) < 6:
        return
    today = timezone.localdate()
    credit = ai_system(org, "Consumer credit scoring")
    screening = ai_system(org, "CV screening")
    measured_on = today - dt.timedelta(days=5)
    specs: list[tuple[Any, ...]] = [
        (
            PARITY,
            "Lowest ratio of approval rates between groups of age band and sex, from each "
            "monthly monitoring run (monitor:dp_ratio_min)",
            "ratio",
            0.76,
            0.8,
            "at_least",
            "C.2.5",
            [credit],
            CREDIT_OWNER,
            [],
        ),
        (
            "Serious incidents reported on time",
            "Share of serious incidents reported to the authority within the Art. 73 deadline",
            "%",
            50,
            100,
            "at_least",
            "C.2.1",
            [],
            MANAGER,
            [(-60, 100, "No serious incident was due for report in the period.")],
        ),
        (
            TRAINED,
            "Share of members with a valid responsible-AI training record",
            "%",
            40,
            95,
            "at_least",
            "C.2.2",
            [],
            MANAGER,
            [(-5, trained_share(org, measured_on), "Computed from the training records.")],
        ),
        (
            "Shortlist disparity in CV screening",
            "Largest gap in shortlisting rate between genders",
            "pp",
            9,
            3,
            "at_most",
            "C.2.5",
            [screening],
            CREDIT_OWNER,
            [(-20, 7.5, "Quarterly disparity analysis of the shortlist log by HR analytics.")],
        ),
    ]
    for title, measure, unit, baseline, target, direction, ref, systems, owner, points in specs:
        if AIObjective.objects.filter(organisation=org, title=title).exists():
            continue
        objective = objectives.create_objective(
            org,
            actor=users[MANAGER],
            title=title,
            measure=measure,
            unit=unit,
            baseline=baseline,
            target=target,
            direction=direction,
            owner=users[owner],
            due_date=today + dt.timedelta(days=120),
            annex_c=catalog_node(ref),
            systems=[s for s in systems if s],
        )
        for days, value, note in points:
            objectives.record_measurement(
                objective,
                actor=users[owner],
                value=value,
                measured_on=today + dt.timedelta(days=days),
                source="manual",
                note=note,
            )
        result.created.append(f"objective {title}")


STEPS = [_objectives]
