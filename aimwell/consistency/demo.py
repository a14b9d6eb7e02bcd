"""Demo: the last step of the demo loader. Once every other app has loaded its part, today's point
of the readiness trend is a snapshot computed from the state as loaded (taken only when the
latest snapshot no longer shows the current score, so a second run changes nothing)."""

from __future__ import annotations

from typing import Any


def _readiness_now(result: Any) -> None:
    from aimwell.controls import readiness, services
    from aimwell.controls.models import ReadinessSnapshot
    from aimwell.demo import demo_organisation

    org = demo_organisation()
    latest = ReadinessSnapshot.objects.filter(organisation=org).first()
    score = readiness.compute(org, with_trend=False).score
    if latest is None or abs(latest.score - score) >= 0.05:
        services.take_snapshot(org, actor="demo loader")
        result.created.append(f"readiness snapshot {score}")


STEPS = [_readiness_now]
