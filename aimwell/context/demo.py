"""Meridian Lending's context and scope: additive and idempotent (each row is looked up by its
name first). Runs after the inventory's demo step and links its AI systems when they exist; the
governance demo step (aimwell.governance.demo) follows it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aimwell.accounts.models import Membership, Organisation
from aimwell.catalog.querysets import node_by_urn
from aimwell.context.models import (
    ContextIssue,
    InterestedParty,
    LegalRequirement,
    Objective,
)
from aimwell.context.services import context as services
from aimwell.context.services import scope as scope_services
from aimwell.demo import DemoResult, demo_organisation
from aimwell.inventory.models import AISystem

ACTOR = "demo loader"
CREDIT, FRAUD, CHAT, CV = (
    "Consumer credit scoring",
    "Card fraud detection",
    "Customer support assistant",
    "CV screening",
)
CEO, MANAGER, ADMIN = (
    "ceo@meridian.example",
    "aims.manager@meridian.example",
    "admin@meridian.example",
)
CREDIT_OWNER, ML, AUDITOR = (
    "credit.owner@meridian.example",
    "ml.engineer@meridian.example",
    "internal.auditor@meridian.example",
)

AI_ROLES = {
    "ai_provider": "We develop and place on the market our own credit-scoring and fraud models, "
    "and provide credit scoring to a partner bank under a white-label agreement.",
    "ai_producer": "Our data science team designs, trains and validates the in-house models.",
    "ai_customer": "We buy AI services: a conversational AI platform for customer support and a "
    "CV-ranking service for recruitment.",
}

ISSUES: list[dict[str, Any]] = [
    {"title": "EU AI Act high-risk obligations for creditworthiness and recruitment",
     "kind": "external", "category": "legal",
     "description": "Annex III 5(b) (creditworthiness) and 4(a) (recruitment) make two of our "
     "systems high-risk; obligations apply from 2 August 2026.",
     "effect": "Provider duties (risk management, data governance, technical documentation, "
     "logging, human oversight) for credit scoring; deployer duties for CV screening.",
     "systems": [CREDIT, CV]},
    {"title": "Consumer Credit Directive (EU) 2023/2225 transposition",
     "kind": "external", "category": "legal",
     "description": "Creditworthiness assessments must rest on relevant, accurate data; "
     "applicants may ask for human intervention and an explanation.",
     "effect": "Explanations and a human review path for automated credit decisions.",
     "systems": [CREDIT]},
    {"title": "Supervisory focus on model risk in lending",
     "kind": "external", "category": "legal",
     "description": "Supervisors expect validated, explainable credit models (EBA guidelines on "
     "loan origination and monitoring).",
     "effect": "Independent model validation before each release; validation evidence on file.",
     "systems": [CREDIT]},
    {"title": "Public concern about bias in automated lending and hiring",
     "kind": "external", "category": "social",
     "description": "Press and consumer groups scrutinise automated decisions about credit and "
     "jobs; a fairness incident would damage trust in the brand.",
     "effect": "Fairness testing and monitoring for credit scoring and CV screening.",
     "systems": [CREDIT, CV]},
    {"title": "Dependence on a third-party conversational AI platform",
     "kind": "external", "category": "technological",
     "description": "The support assistant runs on Convai Cloud's general-purpose model; model "
     "updates are outside our control.",
     "effect": "Supplier due diligence, change notification in the contract, regression tests "
     "before each model update.",
     "systems": [CHAT]},
    {"title": "Competition from digital-only lenders",
     "kind": "external", "category": "economic",
     "description": "Price and speed pressure on consumer lending.",
     "effect": "Pressure to automate decisions further; the AIMS must keep oversight "
     "proportionate."},
    {"title": "Energy use of model training",
     "kind": "external", "category": "environmental",
     "description": "Retraining is monthly; investors ask for emissions reporting.",
     "effect": "Record compute used per training run as an AI resource."},
    {"title": "Shortage of ML engineering and validation skills",
     "kind": "internal", "category": "organisational",
     "description": "Two ML engineers cover four systems; independent validation relies on one "
     "person in risk.",
     "effect": "Competence plan and external validation support (clause 7.2)."},
    {"title": "Quality of legacy loan data",
     "kind": "internal", "category": "technological",
     "description": "Loan records before 2019 have missing income fields and inconsistent "
     "codes.",
     "effect": "Data quality checks and documented exclusions for training data (A.7.4).",
     "systems": [CREDIT]},
]  # fmt: skip

PARTIES: list[dict[str, Any]] = [
    {"name": "Loan applicants", "kind": "external", "category": "affected_persons",
     "needs": "Fair, explainable credit decisions; a person to review a decline.",
     "is_requirement": True,
     "how_addressed": "Reason codes on every decline; human review on request; fairness "
     "monitoring by age band and sex.", "systems": [CREDIT]},
    {"name": "Job applicants", "kind": "external", "category": "affected_persons",
     "needs": "Not to be screened out unfairly; to know AI is used.",
     "is_requirement": True,
     "how_addressed": "Recruiters review every shortlist; notice in the job advert; bias audit "
     "before deployment.", "systems": [CV]},
    {"name": "Retail customers", "kind": "external", "category": "customers",
     "needs": "Quick, correct answers; to know when they talk to a machine; a human on request.",
     "is_requirement": True,
     "how_addressed": "AI disclosure at the start of each chat; hand-over to an agent.",
     "systems": [CHAT]},
    {"name": "Financial supervisors (BaFin, DNB)", "kind": "external", "category": "regulators",
     "needs": "Sound model risk management; compliance with the AI Act and consumer credit law.",
     "is_requirement": True,
     "how_addressed": "Legal register, model validation, AIMS certification."},
    {"name": "Data protection authorities", "kind": "external", "category": "regulators",
     "needs": "Lawful processing; DPIAs; Art. 22 GDPR safeguards.",
     "is_requirement": True, "how_addressed": "DPIA per AI system; DPO consulted on changes."},
    {"name": "Harbourside Bank (partner bank)", "kind": "external", "category": "customers",
     "needs": "Model documentation, bias test results and audit rights over the scoring service.",
     "is_requirement": True,
     "how_addressed": "Contract schedule 4; quarterly model report.", "systems": [CREDIT]},
    {"name": "Employees and works council", "kind": "internal", "category": "employees",
     "needs": "Co-determination on AI that evaluates people; training; job security.",
     "is_requirement": True,
     "how_addressed": "Works agreement on CV screening; AI literacy training (Art. 4 AI Act).",
     "systems": [CV]},
    {"name": "AI suppliers (Northbridge, Convai, TalentSift)", "kind": "external",
     "category": "suppliers",
     "needs": "Clear requirements, data-sharing terms and change notification.",
     "is_requirement": False, "how_addressed": ""},
    {"name": "Board and shareholders", "kind": "internal", "category": "management",
     "needs": "Growth without regulatory or reputational loss.",
     "is_requirement": False, "how_addressed": "Quarterly AIMS report to the board."},
]  # fmt: skip

LEGAL: list[dict[str, Any]] = [
    {"name": "General Data Protection Regulation (GDPR)", "kind": "regulation",
     "jurisdiction": "EU", "reference": "Regulation (EU) 2016/679",
     "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
     "summary": "Lawful basis, transparency, data minimisation, DPIAs, and safeguards for "
     "decisions based solely on automated processing (Art. 22).",
     "owner": MANAGER,
     "applies": {CREDIT: "Art. 22 safeguards; DPIA", FRAUD: "Legitimate interest; DPIA",
                 CHAT: "Chat transcripts; retention", CV: "Art. 22; special-category data risk"}},
    {"name": "EU AI Act", "kind": "regulation", "jurisdiction": "EU",
     "reference": "Regulation (EU) 2024/1689",
     "url": "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
     "summary": "Risk-based rules for AI systems: prohibited practices, high-risk requirements, "
     "transparency duties, AI literacy.",
     "owner": MANAGER,
     "nodes": ["eu-ai-act:2024:art-6", "eu-ai-act:2024:art-16", "eu-ai-act:2024:art-26",
               "eu-ai-act:2024:art-50"],
     "applies": {CREDIT: "High-risk (Annex III 5(b)); we are the provider",
                 CV: "High-risk (Annex III 4(a)); we are the deployer",
                 CHAT: "Art. 50 transparency: disclose AI to users",
                 FRAUD: "Fraud detection is excluded from Annex III 5(b); minimal risk"}},
    {"name": "Consumer Credit Directive and national consumer credit law", "kind": "law",
     "jurisdiction": "EU; Germany; Netherlands", "reference": "Directive (EU) 2023/2225",
     "url": "https://eur-lex.europa.eu/eli/dir/2023/2225/oj",
     "summary": "Creditworthiness assessment on relevant data; right to human intervention, "
     "an explanation and to contest an automated credit decision (Art. 18).",
     "owner": CREDIT_OWNER, "applies": {CREDIT: "Art. 18 creditworthiness assessment"}},
    {"name": "Employment and anti-discrimination law (AGG, works constitution)", "kind": "law",
     "jurisdiction": "Germany", "reference": "AGG; BetrVG § 87(1) no. 6",
     "summary": "No discrimination in recruitment on protected grounds; works council "
     "co-determination on technical systems that monitor or evaluate employees.",
     "owner": CREDIT_OWNER, "applies": {CV: "Protected grounds; works agreement required"}},
    {"name": "Harbourside Bank white-label lending agreement", "kind": "contract",
     "jurisdiction": "Netherlands", "reference": "Agreement HB-2025-014, schedule 4",
     "summary": "We provide credit scoring to Harbourside Bank: model documentation, quarterly "
     "bias test results, 30 days' notice of model changes, audit rights.",
     "owner": CREDIT_OWNER, "applies": {CREDIT: "Schedule 4 model governance duties"}},
    {"name": "ISO/IEC 42001:2023", "kind": "standard", "jurisdiction": "International",
     "reference": "ISO/IEC 42001:2023",
     "summary": "The AI management system standard we are certifying against.",
     "owner": MANAGER, "nodes": ["iso42001:2023:4.3", "iso42001:2023:5.1"], "applies": {}},
]  # fmt: skip

OBJECTIVES: list[dict[str, Any]] = [
    {"title": "Grow the consumer loan book by 15% by 2027 without raising the default rate",
     "owner": CEO, "target_date": dt.date(2027, 12, 31)},
    {"title": "Cut card fraud losses by 20% in 2026", "owner": ML,
     "target_date": dt.date(2026, 12, 31)},
    {"title": "Resolve 70% of support chats without an agent, keeping satisfaction at 4.3 or "
     "higher", "owner": MANAGER, "target_date": dt.date(2026, 12, 31)},
    {"title": "Certify the AIMS to ISO/IEC 42001 by Q3 2027", "owner": MANAGER,
     "target_date": dt.date(2027, 9, 30)},
]  # fmt: skip


def members_by_email(org: Organisation) -> dict[str, Membership]:
    return {
        m.user.email.lower(): m
        for m in Membership.objects.filter(organisation=org).select_related("user")
    }


def catalog_nodes(org: Organisation, urns: list[str]) -> list[Any]:
    return [n for n in (node_by_urn(org, u) for u in urns) if n is not None]


def _context(result: DemoResult) -> None:
    org = demo_organisation()
    members = members_by_email(org)
    member = members.get
    systems = {s.name: s for s in AISystem.objects.filter(organisation=org)}

    def linked(names: list[str]) -> list[AISystem]:
        return [systems[n] for n in names if n in systems]

    for role, note in AI_ROLES.items():
        services.set_ai_role(org, role, note=note, actor=ACTOR)
    for row in ISSUES:
        if not ContextIssue.objects.filter(organisation=org, title=row["title"]).exists():
            values = {**row, "systems": linked(row.get("systems", []))}
            services.create_issue(
                org,
                actor=ACTOR,
                owner=user_of(member(MANAGER)),
                last_reviewed=dt.date(2026, 9, 1),
                **values,
            )
            result.created.append(f"context issue {row['title'][:40]}")
    for row in PARTIES:
        if not InterestedParty.objects.filter(organisation=org, name=row["name"]).exists():
            services.create_party(
                org, actor=ACTOR, **{**row, "systems": linked(row.get("systems", []))}
            )
            result.created.append(f"interested party {row['name']}")
    for row in LEGAL:
        values = {k: v for k, v in row.items() if k not in ("applies", "nodes", "owner")}
        req = LegalRequirement.objects.filter(organisation=org, name=row["name"]).first()
        if req is None:
            req = services.create_legal_requirement(
                org,
                actor=ACTOR,
                owner=user_of(member(row["owner"])),
                catalog_nodes=catalog_nodes(org, row.get("nodes", [])),
                **values,
            )
            result.created.append(f"legal requirement {row['name']}")
        for name, note in row["applies"].items():
            if name in systems:
                services.set_applicability(req, systems[name], note=note, actor=ACTOR)
    for row in OBJECTIVES:
        if not Objective.objects.filter(organisation=org, title=row["title"]).exists():
            services.create_objective(
                org, actor=ACTOR, **{**row, "owner": user_of(member(row["owner"]))}
            )
            result.created.append(f"objective {row['title'][:40]}")
    _scope(org, members, result)


def user_of(membership: Membership | None) -> Any:
    return membership.user if membership else None


def _scope(org: Organisation, members: dict[str, Membership], result: DemoResult) -> None:
    if scope_services.latest_approved(org) is not None or scope_services.current_draft(org):
        return
    approver = members.get(CEO)
    if approver is None:
        return
    draft = scope_services.start_draft(org, actor=ACTOR, from_live_data=True)
    scope_services.update_draft(
        draft, actor=ACTOR, change_note="First scope, drafted from the registers."
    )
    scope_services.approve_draft(draft, membership=approver, actor=ACTOR)
    result.created.append("AIMS scope v1")


STEPS = [_context]
