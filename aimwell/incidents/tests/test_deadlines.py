"""Serious incidents carry their reporting deadline (EU AI Act Art. 73), recomputed when the
kind changes; closing one needs the authority report."""

from __future__ import annotations

import datetime as dt

import pytest

from aimwell.incidents import services as incidents
from aimwell.notifications.models import Notification
from aimwell.operations.errors import OperationsError

pytestmark = pytest.mark.usefixtures("catalog")


@pytest.mark.parametrize(
    ("kind", "days"),
    [
        ("death", 10),
        ("critical_infrastructure", 2),
        ("widespread", 2),
        ("health", 15),
        ("fundamental_rights", 15),
    ],
)
def test_serious_incident_deadlines(org, manager, kind, days):
    aware = dt.date(2026, 5, 4)
    incident = incidents.record_incident(
        org,
        actor=manager.user,
        title="Harm",
        description="d",
        severity="critical",
        is_serious=True,
        serious_kind=kind,
        aware_on=aware,
        owner=manager.user,
    )
    assert incident.report_deadline == aware + dt.timedelta(days=days)
    assert incident.days_to_report(on=aware) == days
    assert Notification.objects.filter(user=manager.user, kind="incident.serious").count() == 1


def test_changing_the_kind_recomputes_the_deadline_and_closing_needs_the_report(org, manager):
    incident = incidents.record_incident(
        org, actor=manager.user, title="Outage", description="d", severity="high"
    )
    assert incident.report_deadline is None
    incidents.update_incident(
        incident,
        actor=manager.user,
        is_serious=True,
        serious_kind="death",
        aware_on=dt.date(2026, 1, 1),
    )
    assert incident.report_deadline == dt.date(2026, 1, 11)
    incidents.update_incident(incident, actor=manager.user, serious_kind="critical_infrastructure")
    assert incident.report_deadline == dt.date(2026, 1, 3)
    with pytest.raises(OperationsError, match="report to the authority"):
        incidents.update_incident(incident, actor=manager.user, status="closed")
    incidents.record_authority_report(
        incident, actor=manager.user, reported_on=dt.date(2026, 1, 2), authority="BaFin"
    )
    incidents.update_incident(incident, actor=manager.user, status="closed")
    assert incident.status == "closed" and incident.days_to_report() is None
