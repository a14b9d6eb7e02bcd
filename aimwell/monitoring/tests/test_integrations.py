"""Monitoring with operations and controls installed: incidents, nonconformities, AI objectives,
and the readiness score."""

from __future__ import annotations

import datetime as dt

import pytest

from aimwell.monitoring import services

pytestmark = pytest.mark.django_db


def _run(monitor, log):
    return services.execute_run(services.start_run(monitor, actor="t", log=str(log)))


def test_breach_opens_an_incident_linked_to_the_run(monitor, logs, contributor):
    from aimwell.incidents.models import Incident

    run = _run(monitor, logs["unfair"])
    action = next(a for a in run.actions if a["kind"] == "incident")
    assert action["status"] == "done", action
    incident = Incident.objects.get(pk=action["id"])
    assert incident.owner == contributor.user and incident.severity == "high"
    assert f"run #{run.number}" in incident.description
    assert list(incident.systems.all()) == [monitor.system]


def test_breach_opens_a_nonconformity_when_configured(monitor, logs):
    from aimwell.improvement.models import Nonconformity

    services.update_monitor(monitor, actor="t", on_breach="nonconformity")
    run = _run(monitor, logs["unfair"])
    action = next(a for a in run.actions if a["kind"] == "nonconformity")
    nc = Nonconformity.objects.get(pk=action["id"])
    assert nc.source == "monitoring" and nc.requirement.urn == "iso42001:2023:9.1"


def test_fair_run_opens_nothing(monitor, logs):
    from aimwell.incidents.models import Incident

    run = _run(monitor, logs["fair"])
    assert run.actions == [] and not Incident.objects.exists()


def test_run_feeds_the_objective_that_measures_it(monitor, logs, contributor):
    from aimwell.objectives.services import create_objective

    objective = create_objective(
        monitor.organisation,
        actor="t",
        title="Fair credit decisions",
        measure="Lowest selection-rate ratio across age bands, monitor:dp_ratio_min",
        target=0.8,
        due_date=dt.date.today() + dt.timedelta(days=90),
        owner=contributor.user,
        systems=[monitor.system],
    )
    run = _run(monitor, logs["unfair"])
    measurement = objective.measurements.get()
    assert measurement.source == "monitoring"
    assert measurement.value == pytest.approx(run.summary["dp_ratio_min"])


def test_failing_monitor_weighs_on_readiness(monitor, logs):
    from aimwell.controls.hooks import open_nonconformities

    assert not any("Failing monitor" in n.label for n in open_nonconformities(monitor.organisation))
    _run(monitor, logs["unfair"])
    found = [n for n in open_nonconformities(monitor.organisation) if "Failing monitor" in n.label]
    assert found and "iso42001:2023:A.6.2.6" in found[0].requirement_urns
    _run(monitor, logs["fair"])
    assert not any("Failing monitor" in n.label for n in open_nonconformities(monitor.organisation))
