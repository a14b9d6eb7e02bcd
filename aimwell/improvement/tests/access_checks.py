"""Access checks of the nonconformities and actions routes (collected by the role matrix). The
objects they use are made once for all operations apps by
`aimwell.operations.tests.access_checks.setup`."""

from __future__ import annotations

from django.urls import reverse

from aimwell.operations.tests.access_checks import (
    AUDIT_WRITERS,
    OWNER_WRITERS,
    api_get,
    api_path,
    new_action,
    new_nc,
    page_check,
    post_check,
)
from aimwell.testing import READERS, Check

API: dict[tuple[str, str], Check] = {
    # Nonconformities and actions
    ("GET", api_path("/nonconformities")): api_get("/nonconformities", READERS),
    ("POST", api_path("/nonconformities")): Check(
        "POST",
        lambda c: api_path("/nonconformities"),
        AUDIT_WRITERS,
        object=False,
        ok=201,
        body=lambda role: {"title": f"NC by {role}", "description": "d", "source": "complaint"},
    ),
    ("GET", api_path("/nonconformities/{nc_id}")): api_get(
        "/nonconformities/{pk}", READERS, "ops_nc"
    ),
    ("PATCH", api_path("/nonconformities/{nc_id}")): Check(
        "PATCH",
        lambda c: api_path(f"/nonconformities/{c['ops_nc'].pk}"),
        OWNER_WRITERS,
        object=True,
        body=lambda role: {"description": f"Described by {role}"},
    ),
    ("POST", api_path("/nonconformities/{nc_id}/correction")): Check(
        "POST",
        lambda c: api_path(f"/nonconformities/{c['ops_nc'].pk}/correction"),
        OWNER_WRITERS,
        object=True,
        body=lambda role: {"correction": f"Fixed by {role}"},
    ),
    ("POST", api_path("/nonconformities/{nc_id}/root-cause")): Check(
        "POST",
        lambda c: api_path(f"/nonconformities/{c['ops_nc'].pk}/root-cause"),
        OWNER_WRITERS,
        object=True,
        body=lambda role: {"root_cause": f"Found by {role}", "method": "5 whys"},
    ),
    ("POST", api_path("/nonconformities/{nc_id}/actions")): Check(
        "POST",
        lambda c: api_path(f"/nonconformities/{c['ops_nc'].pk}/actions"),
        OWNER_WRITERS,
        object=True,
        ok=201,
        body=lambda role: {"title": f"Action of {role}"},
    ),
    ("POST", api_path("/nonconformities/{nc_id}/verification")): Check(
        "POST",
        lambda c: api_path(
            f"/nonconformities/{new_nc(c, 'staff', 'verification').pk}/verification"
        ),
        AUDIT_WRITERS,
        object=True,
        body=lambda role: {"result": "effective", "notes": "ok"},
    ),
    ("POST", api_path("/nonconformities/{nc_id}/close")): Check(
        "POST",
        lambda c: api_path(f"/nonconformities/{new_nc(c, 'staff', 'verified').pk}/close"),
        AUDIT_WRITERS,
        object=True,
        body=lambda role: {},
    ),
    ("GET", api_path("/actions")): api_get("/actions", READERS),
    ("GET", api_path("/actions/{action_id}")): api_get("/actions/{pk}", READERS, "ops_action"),
    ("PATCH", api_path("/actions/{action_id}")): Check(
        "PATCH",
        lambda c: api_path(f"/actions/{c['ops_action'].pk}"),
        OWNER_WRITERS,
        object=True,
        body=lambda role: {"description": f"By {role}"},
    ),
    ("POST", api_path("/actions/{action_id}/complete")): Check(
        "POST",
        lambda c: api_path(f"/actions/{new_action(c).pk}/complete"),
        OWNER_WRITERS,
        object=True,
        body=lambda role: {"note": "done"},
    ),
    ("POST", api_path("/actions/{action_id}/cancel")): Check(
        "POST",
        lambda c: api_path(f"/actions/{new_action(c).pk}/cancel"),
        OWNER_WRITERS,
        object=True,
        body=lambda role: {"reason": "superseded"},
    ),
}

WEB: dict[str, Check | str] = {
    "improvement:nc-edit": page_check("improvement:nc-edit", OWNER_WRITERS, "ops_nc"),
    "improvement:ncs": page_check("improvement:ncs", READERS),
    "improvement:nc-new": page_check("improvement:nc-new", AUDIT_WRITERS),
    "improvement:nonconformity": page_check("improvement:nonconformity", READERS, "ops_nc"),
    "improvement:nc-step": post_check(
        lambda c: reverse("improvement:nc-step", args=[c["ops_nc"].pk, "correction"]),
        OWNER_WRITERS,
        lambda role: {"correction": f"Contained by {role}"},
    ),
    "improvement:actions": page_check("improvement:actions", READERS),
    "improvement:action": page_check("improvement:action", READERS, "ops_action"),
    "improvement:action-step": post_check(
        lambda c: reverse("improvement:action-step", args=[new_action(c).pk, "complete"]),
        OWNER_WRITERS,
        lambda role: {"note": role},
    ),
}
