"""Anonymous concerns leave no trace of the reporter; the serious-incident countdown on pages."""

from __future__ import annotations

import pytest

from aimwell.core.models import AuditEvent
from aimwell.incidents import services as incidents
from aimwell.incidents.models import Concern

pytestmark = pytest.mark.usefixtures("catalog")
API = "/api/v1"


def test_anonymous_concerns_leave_no_trace_of_the_reporter(org, staff, manager):
    r = staff.api(
        "POST", f"{API}/concerns", {"category": "bias", "description": "Unfair", "anonymous": True}
    )
    assert r.status_code == 201
    code = r.json()["follow_up_code"]
    concern = Concern.objects.get(pk=r.json()["id"])
    assert concern.reporter is None
    events = AuditEvent.objects.filter(object_id=str(concern.pk))
    assert {e.actor_label for e in events} == {"anonymous reporter"}
    assert all(e.actor_id is None for e in events)
    detail = manager.api("GET", f"{API}/concerns/{concern.pk}").json()
    assert detail["reporter"] is None and detail["is_anonymous"] is True
    assert staff.api("GET", f"{API}/concerns/mine").json() == []
    manager.api(
        "POST",
        f"{API}/concerns/{concern.pk}/triage",
        {"status": "closed", "outcome": "Model retrained"},
    )
    status = staff.api("POST", f"{API}/concerns/status", {"code": code}).json()
    assert status["outcome"] == "Model retrained" and "reporter" not in status
    assert staff.api("GET", f"{API}/concerns/{concern.pk}").status_code == 403


def test_serious_incident_countdown_shows_on_the_page(org, manager, contributor):
    incident = incidents.record_incident(
        org,
        actor=manager.user,
        title="Death linked to triage advice",
        description="d",
        severity="critical",
        is_serious=True,
        serious_kind="death",
        owner=contributor.user,
    )
    page = manager.client.get(f"/operations/incidents/{incident.pk}/").content.decode()
    assert "10 days" in page and "10 days left" in page
    api = manager.api("GET", f"{API}/incidents/{incident.pk}").json()
    assert api["days_to_report"] == 10
