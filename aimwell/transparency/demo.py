"""Demo data: Meridian Lending publishes the card of its credit-scoring system (classified by the
inventory demo), opens its public transparency page with its adopted principles and AI policy,
and has received one request for an explanation through it. Idempotent: each part looks for
itself first."""

from __future__ import annotations

from typing import Any

from aimwell.documents.models import Document
from aimwell.governance.models import Principle
from aimwell.incidents import services as incidents
from aimwell.incidents.models import Concern
from aimwell.inventory.models import AISystem
from aimwell.transparency import services
from aimwell.transparency.models import CardVersion, TransparencySettings

ACTOR = "demo loader"
SYSTEM = "Consumer credit scoring"
INTRODUCTION = (
    "Meridian Lending uses AI to help decide on consumer loans and to spot card fraud. People "
    "decide; the systems recommend. This page describes the systems that affect our customers, "
    "what they are for and what they cannot do, and how to tell us when something looks wrong."
)
LIMITATIONS = (
    "The score is less reliable for applicants with a short credit history; those applications "
    "always go to a credit officer. It does not judge affordability on its own."
)


def _system(org: Any) -> AISystem | None:
    return AISystem.objects.filter(organisation=org, name=SYSTEM).first()


def _public_page(result: Any) -> None:
    from aimwell.demo import demo_organisation

    org = demo_organisation()
    system = _system(org)
    if system is None or TransparencySettings.objects.filter(organisation=org).exists():
        return
    services.update_card(system, actor=ACTOR, limitations=LIMITATIONS)
    services.publish_card(system, actor=ACTOR)
    policy = Document.objects.filter(
        organisation=org, template_key="ai-policy", published_version__isnull=False
    ).first()
    services.update_settings(
        org,
        actor=ACTOR,
        enabled=True,
        slug=org.slug,
        public_name=org.name,
        contact="ai.questions@meridian.example · Meridian Lending, 12 Harbour Street",
        introduction=INTRODUCTION,
        policy_source="document" if policy else "text",
        policy_document=policy,
        policy_text="" if policy else "We use AI only where people stay accountable for it.",
        accept_concerns=True,
        principles=list(Principle.objects.filter(organisation=org, status="adopted")),
        public_systems=[system],
    )
    result.created.append("public transparency page with the credit-scoring card")


def _outside_request(result: Any) -> None:
    from aimwell.demo import demo_organisation

    org = demo_organisation()
    system = _system(org)
    has_card = CardVersion.objects.filter(card__system=system).exists()
    if (
        system is None
        or not has_card
        or Concern.objects.filter(organisation=org, source="external").exists()
    ):
        return
    concern = incidents.report_external_concern(
        org,
        system=system,
        category="transparency",
        kind="explanation",
        description="My loan was declined last week. Which factors weighed most in the decision?",
        contact_email="applicant@example.org",
    )
    result.created.append(f"request for explanation {concern.reference} from the public page")


STEPS = [_public_page, _outside_request]
