"""Access checks of the incidents and concerns routes (collected by the role matrix). The objects
they use are made once for all operations apps by `aimwell.operations.tests.access_checks.setup`."""

from __future__ import annotations

from django.urls import reverse

from aimwell.operations.tests.access_checks import (
    OWNER_WRITERS,
    PARTICIPANTS,
    api_get,
    api_path,
    page_check,
    post_check,
)
from aimwell.testing import MANAGERS, READERS, Check

API: dict[tuple[str, str], Check] = {
    # Incidents
    ("GET", api_path("/incidents")): api_get("/incidents", READERS),
    ("POST", api_path("/incidents")): Check(
        "POST",
        lambda c: api_path("/incidents"),
        OWNER_WRITERS,
        object=False,
        ok=201,
        body=lambda role: {"title": f"Incident by {role}", "description": "d", "severity": "low"},
    ),
    ("GET", api_path("/incidents/{incident_id}")): api_get(
        "/incidents/{pk}", READERS, "ops_incident"
    ),
    ("PATCH", api_path("/incidents/{incident_id}")): Check(
        "PATCH",
        lambda c: api_path(f"/incidents/{c['ops_incident'].pk}"),
        OWNER_WRITERS,
        object=True,
        body=lambda role: {"response": f"Contained by {role}"},
    ),
    ("POST", api_path("/incidents/{incident_id}/authority-report")): Check(
        "POST",
        lambda c: api_path(f"/incidents/{c['ops_incident'].pk}/authority-report"),
        OWNER_WRITERS,
        object=True,
        body=lambda role: {"reported_on": "2026-03-03", "authority": "Market surveillance"},
    ),
    ("POST", api_path("/incidents/{incident_id}/nonconformity")): Check(
        "POST",
        lambda c: api_path(f"/incidents/{c['ops_incident'].pk}/nonconformity"),
        OWNER_WRITERS,
        object=True,
        ok=201,
        body=lambda role: {"title": f"From {role}"},
    ),
    # Concerns
    ("POST", api_path("/concerns")): Check(
        "POST",
        lambda c: api_path("/concerns"),
        PARTICIPANTS,
        object=False,
        ok=201,
        body=lambda role: {
            "category": "bias",
            "description": f"Worry of {role}",
            "anonymous": True,
        },
    ),
    ("GET", api_path("/concerns")): api_get("/concerns", MANAGERS),
    ("GET", api_path("/concerns/mine")): api_get("/concerns/mine", PARTICIPANTS),
    ("POST", api_path("/concerns/status")): Check(
        "POST",
        lambda c: api_path("/concerns/status"),
        PARTICIPANTS,
        object=True,
        body=lambda role, c: {"code": c["ops_code"]},
    ),
    ("GET", api_path("/concerns/{concern_id}")): api_get("/concerns/{pk}", MANAGERS, "ops_concern"),
    ("POST", api_path("/concerns/{concern_id}/triage")): Check(
        "POST",
        lambda c: api_path(f"/concerns/{c['ops_concern'].pk}/triage"),
        MANAGERS,
        object=True,
        body=lambda role: {"status": "investigating", "triage_notes": role},
    ),
}

WEB: dict[str, Check | str] = {
    "incidents:incidents": page_check("incidents:incidents", READERS),
    "incidents:incident-new": page_check("incidents:incident-new", OWNER_WRITERS),
    "incidents:incident": page_check("incidents:incident", READERS, "ops_incident"),
    "incidents:incident-step": post_check(
        lambda c: reverse("incidents:incident-step", args=[c["ops_incident"].pk, "update"]),
        OWNER_WRITERS,
        lambda role: {"status": "contained", "response": f"Contained by {role}"},
    ),
    "incidents:concerns": page_check("incidents:concerns", MANAGERS),
    "incidents:concern-report": page_check("incidents:concern-report", PARTICIPANTS),
    "incidents:concerns-mine": page_check("incidents:concerns-mine", PARTICIPANTS),
    "incidents:concern": page_check("incidents:concern", MANAGERS, "ops_concern"),
}
