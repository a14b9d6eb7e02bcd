"""Readiness counts the open findings it weighs without building them: the rules over systems
and risks count their records in the database (`Rule.matches`). The counts equal a full run's,
acknowledgements included, and cost the same queries at two sizes."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aimwell.classification.services import classify_system
from aimwell.consistency import engine, services
from aimwell.consistency.registry import RULES, Context
from aimwell.consistency.tests.builders import HIGH_RISK_ANSWERS, MINIMAL_ANSWERS, system, today
from aimwell.inventory.models import AISystem
from aimwell.risks.tests.factories import risk

COUNTED = (
    "system-unclassified",
    "system-without-owner",
    "high-risk-system-without-monitor",
    "high-risk-untreated",
)


def _grow(org, manager, start, count):
    """Per round: an unclassified system without an owner, a high-risk system with an owner and
    no monitor, a risk above the threshold (5 x 5) and one below (1 x 1) on the first."""
    for i in range(start, start + count):
        bare = system(org, name=f"Bare {i}", owner=None)
        high = system(org, name=f"High {i}", owner=manager.user)
        classify_system(high, HIGH_RISK_ANSWERS, actor=manager.user, role="provider")
        risk(org, title=f"Risk {i}a", system=bare, likelihood=5, rating=5)
        risk(org, title=f"Risk {i}b", system=bare, likelihood=1, rating=1)


def _weighed_by_a_full_run(org):
    return engine.weighed_counts(engine.run(org))


def test_each_counted_rule_finds_what_its_check_finds(org, manager, catalog):
    _grow(org, manager, 0, 2)
    report = engine.run(org)
    for key in COUNTED:
        rule = RULES[key]
        assert rule.matches is not None
        from_check = sorted(f.hit.subject for f in report.findings if f.rule.key == key)
        ctx = Context(organisation=org, today=today(), now=timezone.now())
        from_query = sorted(str(pk) for pk in rule.matches(ctx).values_list("pk", flat=True))
        assert from_query == from_check, key
    expected = {
        "system-unclassified": 2,  # the two bare systems
        "system-without-owner": 2,
        "high-risk-system-without-monitor": 2,
        "high-risk-untreated": 2,  # the 5 x 5 risks
    }
    assert {k: sum(1 for f in report.findings if f.rule.key == k) for k in COUNTED} == expected


def test_counts_equal_a_full_run_with_acknowledgements(org, manager, catalog):
    _grow(org, manager, 0, 3)
    # Majors: 3 unclassified + 3 untreated; minors: 3 without owner + 3 without monitor; plus
    # whatever the other rules weigh (the same in both ways of counting).
    before = engine.readiness_counts(org)
    assert before == _weighed_by_a_full_run(org)
    bare = list(AISystem.objects.filter(organisation=org, name__startswith="Bare").order_by("name"))
    for finding_key in (f"system-unclassified:{bare[0].pk}", f"system-without-owner:{bare[1].pk}"):
        services.acknowledge(
            org,
            finding_key,
            reason="Known.",
            actor=manager.user,
            membership=manager.membership,
        )
    after = engine.readiness_counts(org)
    assert after == _weighed_by_a_full_run(org)
    assert (before["major"] - after["major"], before["minor"] - after["minor"]) == (1, 1)
    # The acknowledged system is classified: its acknowledgement no longer matches a record and
    # is not subtracted a second time; classifying it as minimal risk adds no finding.
    classify_system(bare[0], MINIMAL_ANSWERS, actor=manager.user, role="provider")
    classified = engine.readiness_counts(org)
    assert classified == after == _weighed_by_a_full_run(org)


def test_counting_costs_the_same_queries_at_two_sizes(org, manager, catalog):
    _grow(org, manager, 0, 1)
    engine.readiness_counts(org)  # warm the per-process caches
    with CaptureQueriesContext(connection) as small:
        few = engine.readiness_counts(org)
    _grow(org, manager, 1, 6)
    with CaptureQueriesContext(connection) as large:
        many = engine.readiness_counts(org)
    assert len(large) == len(small)
    # Six more rounds: 6 unclassified + 6 untreated majors, 6 + 6 minors.
    assert (many["major"] - few["major"], many["minor"] - few["minor"]) == (12, 12)
