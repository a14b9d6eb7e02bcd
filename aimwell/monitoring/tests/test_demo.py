"""What the issue must show, end to end on the demo: the credit-scoring monitor's latest run
breaches the four-fifths rule for one group, the owner is notified, an incident is opened, the
run is evidence for A.6.2.6, and the SoA and readiness show it. Loading again changes nothing."""

from __future__ import annotations

import pytest

from aimwell.evidence.models import EvidenceLink
from aimwell.monitoring.models import Monitor, MonitorRun, Notification


@pytest.fixture
def demo(demo_org):
    return demo_org


def test_demo_credit_scoring_breach_end_to_end(demo):
    from aimwell.controls import readiness, soa
    from aimwell.incidents.models import Incident

    monitor = Monitor.objects.get(organisation=demo, system__name="Consumer credit scoring")
    runs = list(MonitorRun.objects.filter(monitor=monitor).order_by("number"))
    assert [r.status for r in runs] == ["succeeded"] * 3
    assert [r.breached for r in runs] == [False, False, True]
    latest = runs[-1]
    assert latest.n_rows == 20_000
    four_fifths = [b for b in latest.breaches if "four-fifths" in b["message"]]
    assert {b["group"] for b in four_fifths if b["subject"] == "age_band"} == {"age_band=60+"}
    sex = latest.summary["fairness"]["sex"]
    assert sex["status"] != "alert"  # one grouping breaches, not every one

    note = Notification.objects.get(run=latest)
    assert note.recipient.email == "credit.owner@meridian.example"

    action = next(a for a in latest.actions if a["kind"] == "incident")
    incident = Incident.objects.get(pk=action["id"])
    assert (
        monitor.system in incident.systems.all() and f"run #{latest.number}" in incident.description
    )

    evidence = latest.evidence
    assert "iso42001:2023:A.6.2.6" in set(evidence.requirements.values_list("urn", flat=True))
    assert EvidenceLink.objects.filter(
        evidence=evidence, target_type="monitoring.monitorrun", target_id=latest.pk
    ).exists()

    rows = {r.urn: r for r in soa.soa_rows(demo)}
    assert rows["iso42001:2023:A.6.2.6"].evidence_current >= 3

    report = readiness.compute(demo, with_trend=False)
    assert any("Failing monitor" in n.label for n in report.open_nonconformities)
    touched = [i for i in report.items if i.ref in ("9.1", "A.6.2.4", "A.6.2.6", "A.7.4")]
    assert any(i.ref == "9.1" for i in touched)  # the clause requirement is always assessed
    for item in touched:  # and so are the controls the SoA declares applicable
        assert any(c.label == "No open nonconformity" and c.result == 0 for c in item.checks)


def test_demo_fraud_monitor_and_idempotence(demo):
    from aimwell.demo import load_demo

    fraud = Monitor.objects.get(organisation=demo, system__name="Card fraud detection")
    assert fraud.run_count == 2
    before = MonitorRun.objects.count(), Notification.objects.count()
    load_demo()
    assert (MonitorRun.objects.count(), Notification.objects.count()) == before


def test_demo_support_assistant_has_evaluation_evidence(demo):
    """The LLM support assistant is watched through its evaluation suite: a run computed by the
    engine on the generated October log, compared with September's, recorded as evidence."""
    import csv
    from pathlib import Path

    monitor = Monitor.objects.get(
        organisation=demo, system__name="Customer support assistant", task="generative"
    )
    assert Monitor.objects.filter(
        system=monitor.system, name="Support answers: agent-rated quality"
    ).exists()
    run = MonitorRun.objects.get(monitor=monitor)
    assert run.status == "succeeded" and not run.breached
    passed = cases = refused = 0
    with Path(run.log_location).open(newline="") as fh:
        for row in csv.DictReader(fh):
            cases += 1
            passed += row["verdict"] == "pass"
            refused += row["refused"] == "true"
    generative = run.result["generative"]
    assert (generative["overall"]["passed"], generative["overall"]["n"]) == (passed, cases)
    assert generative["overall"]["refused"] == refused and cases == 800
    assert generative["baseline"].endswith("support-assistant-eval-2026-09.csv")
    assert len(generative["comparisons"]) == 5  # all categories and each of the four
    assert run.evidence is not None and run.evidence.title.startswith("Customer support assistant")
