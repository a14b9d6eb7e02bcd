"""Audit events recorded before the split name their object "operations.<model>" (the label is
part of each event's MAC, so they are never rewritten): the object's history, the audit-trail
filter and the API find them beside the events recorded under the model's label now."""

from __future__ import annotations

from aimwell.core.audit import record_event, verify_organisation
from aimwell.incidents import services as incidents


def _incident_with_an_event_from_before_the_split(org, manager):
    incident = incidents.record_incident(
        org, actor=manager.user, title="Drift", description="d", severity="low"
    )
    record_event(
        organisation_id=org.pk,
        actor=manager.user,
        action="incident.updated",
        object_type="operations.incident",
        object_id=incident.pk,
        object_repr=str(incident),
        changes={"severity": ["high", "low"]},
    )
    return incident


def test_the_history_of_an_object_holds_its_events_under_both_labels(org, manager):
    incident = _incident_with_an_event_from_before_the_split(org, manager)
    for label in ("incidents.incident", "operations.incident"):
        page = manager.client.get(f"/audit/{label}/{incident.pk}/").content.decode()
        assert "incident.recorded" in page and "incident.updated" in page, label
    response = manager.api(
        "GET", f"/api/v1/audit-events?object_type=incidents.incident&object_id={incident.pk}"
    )
    actions = {event["action"] for event in response.json()["items"]}
    assert actions == {"incident.recorded", "incident.updated"}
    # The chain still verifies: nothing was rewritten.
    assert verify_organisation(org.pk)[1] is None
