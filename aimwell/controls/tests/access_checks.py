"""Access checks of the SoA, baseline and readiness routes (collected by the role matrix).

Approving an SoA version takes top management (the manager); everything else that writes takes
the AIMS manager or admin role."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from aimwell.catalog.models import RequirementNode
from aimwell.controls import services
from aimwell.testing import MANAGERS, READERS, Check

TOP = {"aims_manager"}


def setup(ctx: dict[str, Any]) -> None:
    org = ctx["org"]
    node = RequirementNode.objects.get(
        framework__urn="iso42001:2023", framework__organisation__isnull=True, ref_id="A.2.2"
    )
    services.decide(
        org,
        actor="t",
        node=node,
        applicable=True,
        status="partial",
        owner=ctx["everyone"]["aims_manager"].user,
    )
    ctx["own_control"] = services.create_custom_control(
        org, actor="t", code="ORG-1", title="Model registry"
    )
    ctx["soa_version"] = services.create_version(org, actor="t")


def _version(c: dict[str, Any]) -> str:
    return str(c["soa_version"].pk)


WEB: dict[str, Check | str] = {
    "controls:home": Check("GET", lambda c: reverse("controls:home"), READERS, False),
    "controls:export": Check(
        "GET", lambda c: reverse("controls:export") + "?format=csv", READERS, False
    ),
    "controls:custom-new": Check("GET", lambda c: reverse("controls:custom-new"), MANAGERS, False),
    "controls:versions": Check("GET", lambda c: reverse("controls:versions"), READERS, False),
    "controls:version": Check(
        "GET", lambda c: reverse("controls:version", args=[_version(c)]), READERS, True
    ),
    "controls:version-approve": Check(
        "POST",
        lambda c: reverse("controls:version-approve", args=[_version(c)]),
        TOP,
        True,
        body=lambda role: {"note": "approved"},
        ok=302,
    ),
    "controls:entry": Check(
        "GET", lambda c: reverse("controls:entry", args=["ORG-1"]), READERS, True
    ),
    "controls:readiness": Check("GET", lambda c: reverse("controls:readiness"), READERS, False),
    "controls:snapshot": Check(
        "POST", lambda c: reverse("controls:snapshot"), MANAGERS, False, ok=302
    ),
    "controls:override": Check(
        "POST",
        lambda c: reverse("controls:override", args=["4.1"]),
        MANAGERS,
        False,
        body=lambda role: {"status": "ready", "reason": f"checked by {role}"},
        ok=302,
    ),
    "controls:baseline": Check("GET", lambda c: reverse("controls:baseline"), READERS, False),
    "controls:baseline-record": Check(
        "POST",
        lambda c: reverse("controls:baseline-record", args=["4.1"]),
        MANAGERS,
        False,
        body=lambda role: {"maturity": "2", "practice": "workshop notes"},
        ok=302,
    ),
}

API: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/soa"): Check("GET", lambda c: "/api/v1/soa", READERS, False),
    ("GET", "/api/v1/soa/export"): Check(
        "GET", lambda c: "/api/v1/soa/export?format=csv", READERS, False
    ),
    ("GET", "/api/v1/soa/versions"): Check("GET", lambda c: "/api/v1/soa/versions", READERS, False),
    ("POST", "/api/v1/soa/versions"): Check(
        "POST",
        lambda c: "/api/v1/soa/versions",
        MANAGERS,
        False,
        ok=201,
        body=lambda role: {"note": f"by {role}"},
    ),
    ("GET", "/api/v1/soa/versions/{version_id}"): Check(
        "GET", lambda c: f"/api/v1/soa/versions/{_version(c)}", READERS, True
    ),
    ("POST", "/api/v1/soa/versions/{version_id}/approve"): Check(
        "POST",
        lambda c: f"/api/v1/soa/versions/{_version(c)}/approve",
        TOP,
        True,
        body=lambda role: {"note": "ok"},
    ),
    ("GET", "/api/v1/soa/versions/{version_id}/diff"): Check(
        "GET",
        lambda c: f"/api/v1/soa/versions/{_version(c)}/diff?against={_version(c)}",
        READERS,
        True,
    ),
    ("GET", "/api/v1/soa/{control}"): Check(
        "GET", lambda c: f"/api/v1/soa/{c['own_control'].pk}", READERS, True
    ),
    ("PATCH", "/api/v1/soa/{control}"): Check(
        "PATCH",
        lambda c: "/api/v1/soa/A.2.2",
        MANAGERS,
        False,
        body=lambda role: {"justification": f"Required by our policy ({role})"},
    ),
    ("POST", "/api/v1/controls"): Check(
        "POST",
        lambda c: "/api/v1/controls",
        MANAGERS,
        False,
        ok=201,
        body=lambda role: {"code": f"OWN-{role}", "title": "Own control"},
    ),
    ("GET", "/api/v1/baseline"): Check("GET", lambda c: "/api/v1/baseline", READERS, False),
    ("PUT", "/api/v1/baseline/{ref}"): Check(
        "PUT",
        lambda c: "/api/v1/baseline/A.2.2",
        MANAGERS,
        False,
        body=lambda role: {"maturity": 1, "practice": "informal"},
    ),
    ("GET", "/api/v1/readiness"): Check("GET", lambda c: "/api/v1/readiness", READERS, False),
    ("GET", "/api/v1/readiness/export"): Check(
        "GET", lambda c: "/api/v1/readiness/export?format=csv", READERS, False
    ),
    ("POST", "/api/v1/readiness/snapshots"): Check(
        "POST", lambda c: "/api/v1/readiness/snapshots", MANAGERS, False, ok=201
    ),
    ("PUT", "/api/v1/readiness/overrides/{ref}"): Check(
        "PUT",
        lambda c: "/api/v1/readiness/overrides/4.2",
        MANAGERS,
        False,
        body=lambda role: {"status": "partial", "reason": "interviews pending"},
    ),
}
