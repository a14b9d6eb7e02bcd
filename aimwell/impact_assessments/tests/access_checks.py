"""Access checks of the impact-assessment routes (collected by the role matrix). They use the
assessment the risks' checks set up (`risk_assessment`, about the contributor's AI system)."""

from __future__ import annotations

from django.urls import reverse

from aimwell.testing import MANAGERS, READERS, Check

WRITERS = {"admin", "aims_manager", "contributor"}
AREA_BY_ROLE = {"admin": "fairness", "aims_manager": "privacy", "contributor": "safety"}

WEB: dict[str, Check | str] = {
    "impact_assessments:list": Check(
        "GET", lambda c: reverse("impact_assessments:list"), READERS, False
    ),
    "impact_assessments:new": Check(
        "GET", lambda c: reverse("impact_assessments:new"), WRITERS, False
    ),
    "impact_assessments:detail": Check(
        "GET",
        lambda c: reverse("impact_assessments:detail", args=[c["risk_assessment"].pk]),
        READERS,
        True,
    ),
    "impact_assessments:edit": Check(
        "GET",
        lambda c: reverse("impact_assessments:edit", args=[c["risk_assessment"].pk]),
        WRITERS,
        True,
    ),
    "impact_assessments:approve": Check(
        "POST",
        lambda c: reverse("impact_assessments:approve", args=[c["risk_assessment"].pk]),
        MANAGERS,
        True,
        body=lambda role: {"note": "approved"},
        ok=302,
    ),
    "impact_assessments:risk": Check(
        "POST",
        lambda c: reverse("impact_assessments:risk", args=[c["risk_assessment"].pk]),
        WRITERS,
        True,
        body=lambda role: {"area": AREA_BY_ROLE.get(role, "society")},
        ok=302,
    ),
}

API: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/impact-assessments"): Check(
        "GET", lambda c: "/api/v1/impact-assessments", READERS, False
    ),
    ("POST", "/api/v1/impact-assessments"): Check(
        "POST",
        lambda c: "/api/v1/impact-assessments",
        WRITERS,
        False,
        ok=201,
        body=lambda role, c: {"system_id": str(c["risk_system"].pk), "title": f"IA of {role}"},
    ),
    ("GET", "/api/v1/impact-assessments/{assessment_id}"): Check(
        "GET", lambda c: f"/api/v1/impact-assessments/{c['risk_assessment'].pk}", READERS, True
    ),
    ("PATCH", "/api/v1/impact-assessments/{assessment_id}"): Check(
        "PATCH",
        lambda c: f"/api/v1/impact-assessments/{c['risk_assessment'].pk}",
        WRITERS,
        True,
        body=lambda role: {"societal_reach": f"regional ({role})"},
    ),
    ("POST", "/api/v1/impact-assessments/{assessment_id}/approve"): Check(
        "POST",
        lambda c: f"/api/v1/impact-assessments/{c['risk_assessment'].pk}/approve",
        MANAGERS,
        True,
        body=lambda role: {"note": "fine"},
    ),
    ("POST", "/api/v1/impact-assessments/{assessment_id}/risks"): Check(
        "POST",
        lambda c: f"/api/v1/impact-assessments/{c['risk_assessment'].pk}/risks",
        WRITERS,
        True,
        ok=201,
        body=lambda role: {"area": AREA_BY_ROLE.get(role, "society")},
    ),
}
