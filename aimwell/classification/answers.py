"""Meridian Lending's answers to the EU AI Act questionnaire for its four systems. The demo
records them through the classification service, which decides the class, basis and
obligations; the tests reuse them as realistic cases."""

from __future__ import annotations

from typing import Any

_SCREENED: dict[str, Any] = {
    "is_ai_system": True,
    "eu_nexus": True,
    "exclusions": ["none"],
    "art5_practices": ["none"],
    "annex_i_product": "none",
}

# Consumer credit: built in-house (provider) and used by Meridian's own underwriters (deployer);
# Annex III 5(b), so the deployer side owes the Art. 27 impact assessment.
CREDIT_ANSWERS: dict[str, Any] = {
    **_SCREENED,
    "annex_iii_areas": ["area_5"],
    "annex_iii_5_uses": ["creditworthiness"],
    "art6_3_derogations": ["none"],
    "art50_features": ["none"],
    "open_source_release": False,
    "gpai_model": False,
    "deployer_type": "other",
}
# Card fraud: built and run in-house; fraud detection is carved out of Annex III 5(b).
FRAUD_ANSWERS: dict[str, Any] = {
    **_SCREENED,
    "annex_iii_areas": ["area_5"],
    "annex_iii_5_uses": ["fraud_detection"],
    "art50_features": ["none"],
    "open_source_release": False,
    "gpai_model": False,
}
# Support chatbot on a supplier's hosted model: Meridian deploys it; it talks to customers.
SUPPORT_ANSWERS: dict[str, Any] = {
    **_SCREENED,
    "annex_iii_areas": ["none"],
    "art50_features": ["interacts_with_people"],
}
# CV screening bought from TalentSift and used by Meridian's recruiters: Annex III 4(a).
CV_ANSWERS: dict[str, Any] = {
    **_SCREENED,
    "annex_iii_areas": ["area_4"],
    "annex_iii_4_uses": ["a"],
    "art6_3_derogations": ["none"],
    "art50_features": ["none"],
    "deployer_type": "other",
}

# System name -> answers; the roles are the system's own (the demo registers the credit and
# fraud systems with provider and deployer, the assistant and CV screening with deployer).
DEMO_CLASSIFICATIONS: dict[str, dict[str, Any]] = {
    "Consumer credit scoring": CREDIT_ANSWERS,
    "Card fraud detection": FRAUD_ANSWERS,
    "Customer support assistant": SUPPORT_ANSWERS,
    "CV screening": CV_ANSWERS,
}
