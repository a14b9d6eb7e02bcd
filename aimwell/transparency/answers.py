"""Answers to the EU AI Act classification questions for consumer credit scoring (an Annex III
area 5 use): shared by the demo and the tests."""

from __future__ import annotations

from typing import Any

CREDIT_ANSWERS: dict[str, Any] = {
    "is_ai_system": True,
    "eu_nexus": True,
    "exclusions": ["none"],
    "art5_practices": ["none"],
    "annex_i_product": "none",
    "annex_iii_areas": ["area_5"],
    "annex_iii_5_uses": ["creditworthiness"],
    "art6_3_derogations": ["none"],
    "art50_features": ["none"],
    "open_source_release": False,
    "gpai_model": False,
    "deployer_type": "other",
}
