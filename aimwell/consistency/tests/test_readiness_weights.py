"""Readiness weighs open findings of the pre-audit check: 1 point per major, half a point per
minor, nothing for acknowledged ones (worked out by hand below)."""

from __future__ import annotations

import pytest

from aimwell.consistency import services
from aimwell.consistency.tests.builders import system
from aimwell.controls import readiness


def _n(report):
    return next(c for c in report.components if c.key == "nonconformities")


def test_major_and_minor_findings_cost_one_and_half_a_point(org, manager, catalog):
    before = readiness.compute(org, with_trend=False)
    assert _n(before).share == 1.0
    # In scope, no owner and no classification: "system-unclassified" (major) and
    # "system-without-owner" (minor). Part A stays 0 (no system had, or has, assessments).
    credit = system(org, owner=None)
    after = readiness.compute(org, with_trend=False)
    assert _n(after).share == pytest.approx(1 - 0.1 - 0.05)
    assert before.exact - after.exact == pytest.approx(10 * 0.15)  # 1.5 points
    assert "1 major and 1 minor open findings" in _n(after).explanation

    services.acknowledge(
        org,
        f"system-unclassified:{credit.pk}",
        reason="Classified on paper.",
        actor=manager.user,
        membership=manager.membership,
    )
    acknowledged = readiness.compute(org, with_trend=False)
    assert before.exact - acknowledged.exact == pytest.approx(0.5)  # only the minor remains
