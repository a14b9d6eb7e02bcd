"""Access checks of the classification routes (collected by the role matrix). They use the AI
system the inventory's checks set up (`inv_system`, owned by the contributor)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from aimwell.testing import READERS, Check

WRITERS = {"admin", "aims_manager", "contributor"}


def _system(c: dict[str, Any]) -> str:
    return str(c["inv_system"].pk)


WEB: dict[str, Check | str] = {
    "classification:classify": Check(
        "GET", lambda c: reverse("classification:classify", args=[_system(c)]), READERS, True
    ),
}


def _answers(role: str) -> dict[str, Any]:
    return {"answers": MINIMAL_ANSWERS, "role": "provider"}


# A spam filter: an AI system in scope, no prohibited practice, no high-risk use, no duties.
MINIMAL_ANSWERS: dict[str, Any] = {
    "is_ai_system": True,
    "eu_nexus": True,
    "exclusions": ["none"],
    "art5_practices": ["none"],
    "annex_i_product": "none",
    "annex_iii_areas": ["none"],
    "art50_features": ["none"],
    "open_source_release": False,
    "gpai_model": False,
}

API: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/classification/rules"): Check(
        "GET", lambda c: "/api/v1/classification/rules", READERS, False
    ),
    ("POST", "/api/v1/ai-systems/{system_id}/classification/preview"): Check(
        "POST",
        lambda c: f"/api/v1/ai-systems/{_system(c)}/classification/preview",
        READERS,
        True,
        body=_answers,
    ),
    ("POST", "/api/v1/ai-systems/{system_id}/classification"): Check(
        "POST",
        lambda c: f"/api/v1/ai-systems/{_system(c)}/classification",
        WRITERS,
        True,
        body=_answers,
        ok=201,
    ),
    ("GET", "/api/v1/ai-systems/{system_id}/classifications"): Check(
        "GET", lambda c: f"/api/v1/ai-systems/{_system(c)}/classifications", READERS, True
    ),
    ("GET", "/api/v1/ai-systems/{system_id}/compliance-matrix"): Check(
        "GET", lambda c: f"/api/v1/ai-systems/{_system(c)}/compliance-matrix", READERS, True
    ),
}
