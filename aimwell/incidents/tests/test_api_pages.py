"""Anonymous concerns leave no trace of the reporter; the serious-incident countdown on pages."""

from __future__ import annotations

import re

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


def test_a_concern_names_its_ai_system_by_search_not_from_a_list(org, other_org, staff):
    from aimwell.inventory.models import AISystem

    ours = AISystem.objects.create(organisation=org, name="Credit scoring", purpose="x")
    AISystem.objects.create(organisation=org, name="Fraud alerts", purpose="x")
    theirs = AISystem.objects.create(organisation=other_org, name="Credit abroad", purpose="x")
    form = staff.client.get("/operations/concerns/report/").content.decode()
    # A search box instead of an option per system.
    assert "Search AI systems by name" in form and "Fraud alerts" not in form
    found = staff.client.get("/ai-systems/pick/", {"q": "credit"}).content.decode()
    assert re.findall(r'data-value="([^"]+)"', found) == [str(ours.pk)]
    refused = staff.post(
        "/operations/concerns/report/",
        {"category": "bias", "description": "Unfair", "system": str(theirs.pk)},
    )
    assert refused.status_code == 200 and not Concern.objects.exists()
    staff.post(
        "/operations/concerns/report/",
        {"category": "bias", "description": "Unfair", "system": str(ours.pk)},
    )
    assert Concern.objects.get().system == ours
