"""Readiness by worked example: an organisation in a known state, its score worked out by hand
from the formula documented in docs/planning.md (section 7), written as literal numbers.

    score = 30·D + 25·S + 20·A + 15·E + 10·N
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from aimwell.controls import readiness, services
from aimwell.evidence import services as evidence
from aimwell.risks.tests import factories as f

pytestmark = pytest.mark.django_db

# ISO/IEC 42001:2023 Annex A has 38 controls (a fact of the standard, not of our code).
ANNEX_A_CONTROLS = 38


def _parts(report: readiness.Report) -> dict[str, float]:
    return {c.key: c.share for c in report.components}


def test_a_young_aims_scores_what_the_formula_gives_by_hand(catalog, org, manager):
    # SoA: four of the 38 controls decided.
    for ref, status in (("A.2.2", "implemented"), ("A.2.3", "partial"), ("A.2.4", "planned")):
        services.decide(org, actor="t", node=f.node(ref), applicable=True, status=status)
    services.decide(
        org, actor="t", node=f.node("A.10.4"), applicable=False, justification="No customers"
    )
    # Evidence: four live pieces, one of them past its validity.
    for i in range(3):
        evidence.add_link(org, title=f"Record {i}", url="https://x.example/r", actor=manager.user)
    evidence.add_link(
        org,
        title="Last year's test report",
        url="https://x.example/old",
        actor=manager.user,
        effective_date=timezone.localdate() - dt.timedelta(days=400),
        validity_days=30,
    )

    report = readiness.compute(org)

    # By hand:
    #   D = 0                      no document published
    #   S = (1 + 0.5 + 0.25 + 1) / 38 = 2.75 / 38 = 0.0723684...
    #       implemented 1, partial 0.5, planned 0.25, justified exclusion 1, 34 undecided 0
    #   A = 0                      no AI system in scope
    #   E = 3 / 4 = 0.75           three current pieces of four
    #   N = 1                      no nonconformity, no pre-audit finding weighed
    #   score = 25 · 0.0723684 + 15 · 0.75 + 10 · 1 = 1.8092105 + 11.25 + 10 = 23.0592105
    parts = _parts(report)
    assert parts["documents"] == 0
    assert parts["soa"] == pytest.approx(0.0723684, abs=1e-7)
    assert parts["assessments"] == 0
    assert parts["evidence"] == pytest.approx(0.75)
    assert parts["nonconformities"] == pytest.approx(1.0)
    assert report.exact == pytest.approx(23.0592105, abs=1e-7)
    assert report.score == 23.1
    assert ANNEX_A_CONTROLS * parts["soa"] == pytest.approx(2.75)


def test_an_empty_organisation_scores_only_its_clean_record(catalog, org):
    # Nothing held: D = S = A = E = 0; N = 1 (nothing open) -> 10 · 1 = 10.0.
    report = readiness.compute(org)
    assert _parts(report) == {
        "documents": 0,
        "soa": 0,
        "assessments": 0,
        "evidence": 0,
        "nonconformities": pytest.approx(1.0),
    }
    assert report.score == 10.0


def test_gap_priorities_of_an_empty_organisation_by_hand(catalog, org):
    # Priority = impact on certification x ease (docs/planning.md): a clause requirement has
    # impact 3. Clause 4.1 lacks only current evidence, a low-effort step: ease 3 -> 3 x 3 = 9.
    # Clause 4.3 also lacks its published documented information, a medium-effort step:
    # ease 2 -> 3 x 2 = 6.
    gaps = {g.ref: g.priority for g in readiness.compute(org).gaps}
    assert (gaps["4.1"], gaps["4.3"]) == (9, 6)
