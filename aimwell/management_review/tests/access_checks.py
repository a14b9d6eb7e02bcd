"""Access checks of the management reviews routes (collected by the role matrix). The objects
they use are made once for all operations apps by `aimwell.operations.tests.access_checks.setup`."""

from __future__ import annotations

from django.urls import reverse

from aimwell.operations.tests.access_checks import (
    api_get,
    api_path,
    new_review,
    page_check,
    post_check,
)
from aimwell.testing import MANAGERS, READERS, Check

API: dict[tuple[str, str], Check] = {
    # Management reviews
    ("GET", api_path("/management-reviews")): api_get("/management-reviews", READERS),
    ("POST", api_path("/management-reviews")): Check(
        "POST",
        lambda c: api_path("/management-reviews"),
        MANAGERS,
        object=False,
        ok=201,
        body=lambda role: {"title": f"Review by {role}", "planned_on": "2026-06-01"},
    ),
    ("GET", api_path("/management-reviews/{review_id}")): api_get(
        "/management-reviews/{pk}", READERS, "ops_review"
    ),
    ("PATCH", api_path("/management-reviews/{review_id}")): Check(
        "PATCH",
        lambda c: api_path(f"/management-reviews/{c['ops_review'].pk}"),
        MANAGERS,
        object=True,
        body=lambda role: {"attendees": f"{role}"},
    ),
    ("POST", api_path("/management-reviews/{review_id}/inputs")): Check(
        "POST",
        lambda c: api_path(f"/management-reviews/{c['ops_review'].pk}/inputs"),
        MANAGERS,
        object=True,
    ),
    ("POST", api_path("/management-reviews/{review_id}/hold")): Check(
        "POST",
        lambda c: api_path(f"/management-reviews/{new_review(c, gathered=True).pk}/hold"),
        MANAGERS,
        object=True,
        body=lambda role: {"held_on": "2026-03-02", "conclusions": "Suitable and effective"},
    ),
    ("POST", api_path("/management-reviews/{review_id}/actions")): Check(
        "POST",
        lambda c: api_path(f"/management-reviews/{c['ops_review'].pk}/actions"),
        MANAGERS,
        object=True,
        ok=201,
        body=lambda role: {"title": f"Decision of {role}"},
    ),
}

WEB: dict[str, Check | str] = {
    "management_review:reviews": page_check("management_review:reviews", READERS),
    "management_review:review-new": page_check("management_review:review-new", MANAGERS),
    "management_review:review": page_check("management_review:review", READERS, "ops_review"),
    "management_review:review-step": post_check(
        lambda c: reverse("management_review:review-step", args=[c["ops_review"].pk, "inputs"]),
        MANAGERS,
    ),
}
