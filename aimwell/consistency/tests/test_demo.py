"""The demo organisation is coherent: the pre-audit check finds nothing at or above minor in a
freshly loaded demo, its mandatory-documents checklist holds 9.2.2, 9.3.3 and 10.2 as records,
and `aimwell check` fails (exit 1) naming a contradiction seeded into it."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from aimwell.cli import app
from aimwell.consistency import engine
from aimwell.consistency.registry import Severity
from aimwell.demo import DEMO_SLUG
from aimwell.documents.querysets import checklist
from aimwell.improvement import services as improvement
from aimwell.improvement.models import Nonconformity
from aimwell.incidents.models import Incident
from aimwell.management_review.models import ManagementReview
from aimwell.objectives.models import AIObjective


def test_fresh_demo_is_coherent_and_a_seeded_contradiction_fails_the_check(demo_org):
    org = demo_org
    report = engine.run(org)
    assert report.failing(Severity.MINOR) == [], [f.message for f in report.failing(Severity.MINOR)]

    # The records behind the old contradictions now agree with each other.
    review = ManagementReview.objects.get(organisation=org, title="Management review H1")
    assert review.inputs["period"]["until"] == review.held_on.isoformat()
    assert review.inputs["feedback"]["concerns"] == 2
    assert review.inputs["objectives"]["total"] == 4
    for nc in Nonconformity.objects.filter(organisation=org, closed_on__isnull=False):
        assert nc.raised_on <= nc.closed_on
    for incident in Incident.objects.filter(organisation=org, aware_on__isnull=False):
        assert incident.detected_at.date() <= incident.aware_on
    parity = AIObjective.objects.get(organisation=org, title__startswith="Approval-rate parity")
    # Measured by the monitor's latest run (a four-fifths breach), so not on track.
    assert parity.latest_value is not None and parity.latest_value < 0.8
    assert parity.status == "at_risk"

    states = {row.node.ref_id: row.state for row in checklist(org)}
    assert states["9.2.2"] == states["9.3.3"] == states["10.2"] == "held"
    assert "missing" not in states.values()

    runner = CliRunner()
    clean = runner.invoke(app, ["check", "--organisation", DEMO_SLUG, "--fail-on", "minor"])
    assert clean.exit_code == 0, clean.output
    data = runner.invoke(app, ["check", "--organisation", DEMO_SLUG, "--json"]).output
    assert json.loads(data)["counts"]["major"] == 0

    seeded = improvement.raise_nonconformity(
        org, actor="test", title="Seeded", description="d", source="audit"
    )
    improvement.record_correction(
        seeded,
        actor="test",
        correction="c",
        done_on=seeded.raised_on.replace(year=seeded.raised_on.year - 1),
    )
    result = runner.invoke(app, ["check", "--organisation", DEMO_SLUG, "--fail-on", "minor"])
    assert result.exit_code == 1
    assert f"{seeded.reference} was corrected on" in result.output


def test_check_refuses_unknown_organisation_and_level(db):
    runner = CliRunner()
    assert runner.invoke(app, ["check", "--organisation", "nowhere"]).exit_code == 2
    wrong = runner.invoke(app, ["check", "--organisation", "x", "--fail-on", "fatal"])
    assert wrong.exit_code == 2 and "--fail-on takes one of" in wrong.output
