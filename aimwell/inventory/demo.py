"""Meridian Lending's AI inventory: four systems, their models, data and suppliers."""

from __future__ import annotations

from typing import Any

from aimwell.accounts.models import User
from aimwell.demo import DemoResult, demo_organisation
from aimwell.inventory import services
from aimwell.inventory.models import AIModel, AISystem, Dataset, Resource, Supplier

SUPPLIERS: list[dict[str, Any]] = [
    {
        "name": "Northbridge Credit Bureau",
        "provides": "Credit bureau data for applicants",
        "due_diligence": "completed",
        "responsibilities": "Bureau keeps data accurate and lawful; "
        "we use it only for creditworthiness assessment.",
    },
    {
        "name": "Convai Cloud",
        "provides": "Hosted large language model behind the support chatbot",
        "due_diligence": "in_progress",
        "responsibilities": "Provider documents model limitations "
        "and incidents; we configure guardrails and human escalation.",
    },
    {
        "name": "TalentSift",
        "provides": "CV parsing and ranking model",
        "due_diligence": "issues_found",
        "responsibilities": "Vendor must share bias test results "
        "per release; we review shortlists before any decision.",
    },
]
MODELS: list[dict[str, Any]] = [
    {
        "name": "credit-gbm",
        "version": "4.2",
        "model_type": "gradient-boosted trees",
        "origin": "in_house",
        "intended_use": "Probability of default for consumer loans up to EUR 50,000",
        "limitations": "Not validated for business lending or thin-file applicants",
    },
    {
        "name": "fraud-graph",
        "version": "1.8",
        "model_type": "graph neural network",
        "origin": "in_house",
        "intended_use": "Flag card and account-takeover fraud for analysts",
    },
    {
        "name": "convai-assist",
        "version": "2025-06",
        "model_type": "large language model",
        "origin": "third_party",
        "supplier": "Convai Cloud",
        "is_general_purpose": True,
        "intended_use": "Answer customer questions about products and accounts",
    },
    {
        "name": "talentsift-ranker",
        "version": "3.0",
        "model_type": "ranking model",
        "origin": "third_party",
        "supplier": "TalentSift",
        "intended_use": "Rank applicants for open positions",
    },
]
DATASETS: list[dict[str, Any]] = [
    {
        "name": "Loan applications 2019-2025",
        "source": "Core banking system",
        "contains_personal_data": True,
        "legal_basis": "GDPR Art. 6(1)(b) contract",
        "quality_checks": "Completeness and label-leakage checks per training run",
        "retention": "10 years after the loan ends",
    },
    {
        "name": "Bureau credit files",
        "source": "Northbridge Credit Bureau",
        "supplier": "Northbridge Credit Bureau",
        "contains_personal_data": True,
        "legal_basis": "GDPR Art. 6(1)(f) legitimate interest",
        "retention": "Per bureau contract",
    },
    {
        "name": "Card transactions",
        "source": "Card processing platform",
        "contains_personal_data": True,
        "legal_basis": "GDPR Art. 6(1)(c) legal obligation (AML)",
    },
    {
        "name": "Support conversations",
        "source": "Chat platform",
        "contains_personal_data": True,
        "legal_basis": "GDPR Art. 6(1)(b) contract",
        "retention": "2 years",
    },
    {
        "name": "Job applications",
        "source": "Recruiting system",
        "contains_personal_data": True,
        "special_category_data": True,
        "legal_basis": "GDPR Art. 6(1)(b) and Art. 9(2)(b)",
        "retention": "6 months after the position closes",
    },
]
SYSTEMS: list[dict[str, Any]] = [
    {
        "name": "Consumer credit scoring",
        "owner": "credit.owner@meridian.example",
        "purpose": "Assess the creditworthiness of consumer loan applicants and recommend approve, "
        "refer or decline.",
        "business_unit": "Retail lending",
        "lifecycle_stage": "deployed",
        "geography": "EU (Germany, Netherlands)",
        "users": "Credit underwriters",
        "affected_persons": "Loan applicants",
        "vulnerable_groups": "Applicants in financial difficulty",
        "autonomy": "partial",
        "oversight_mode": "human_on_the_loop",
        "decision_impact": "significant",
        "eu_roles": ["provider", "deployer"],
        "models": ["credit-gbm 4.2"],
        "datasets": ["Loan applications 2019-2025", "Bureau credit files"],
        "suppliers": ["Northbridge Credit Bureau"],
    },
    {
        "name": "Card fraud detection",
        "owner": "ml.engineer@meridian.example",
        "purpose": "Flag suspicious card transactions and account takeovers for fraud analysts.",
        "business_unit": "Financial crime",
        "lifecycle_stage": "deployed",
        "geography": "EU",
        "users": "Fraud analysts",
        "affected_persons": "Card holders",
        "autonomy": "partial",
        "oversight_mode": "human_in_the_loop",
        "decision_impact": "moderate",
        "eu_roles": ["provider", "deployer"],
        "models": ["fraud-graph 1.8"],
        "datasets": ["Card transactions"],
    },
    {
        "name": "Customer support assistant",
        "owner": "aims.manager@meridian.example",
        "purpose": "Answer customer questions in chat and hand over to an agent when needed.",
        "business_unit": "Customer service",
        "lifecycle_stage": "deployed",
        "geography": "EU",
        "users": "Customers, support agents",
        "affected_persons": "Customers",
        "autonomy": "high",
        "oversight_mode": "human_on_the_loop",
        "decision_impact": "low",
        "eu_roles": ["deployer"],
        "models": ["convai-assist 2025-06"],
        "datasets": ["Support conversations"],
        "suppliers": ["Convai Cloud"],
    },
    {
        "name": "CV screening",
        "owner": "credit.owner@meridian.example",
        "purpose": "Shortlist applicants for open positions from their CVs.",
        "business_unit": "People",
        "lifecycle_stage": "validation",
        "geography": "Germany",
        "users": "Recruiters",
        "affected_persons": "Job applicants",
        "autonomy": "assistive",
        "oversight_mode": "human_in_the_loop",
        "decision_impact": "significant",
        "eu_roles": ["deployer"],
        "models": ["talentsift-ranker 3.0"],
        "datasets": ["Job applications"],
        "suppliers": ["TalentSift"],
    },
]


def _inventory(result: DemoResult) -> None:
    org = demo_organisation()
    actor = "demo loader"
    suppliers = {s.name: s for s in Supplier.objects.filter(organisation=org)}
    for row in SUPPLIERS:
        if row["name"] not in suppliers:
            suppliers[row["name"]] = services.create(Supplier, org, actor=actor, **row)
            result.created.append(f"supplier {row['name']}")
    models = {str(m): m for m in AIModel.objects.filter(organisation=org)}
    for row in MODELS:
        values = {**row, "supplier": suppliers.get(row.get("supplier", ""))}
        label = f"{row['name']} {row['version']}"
        if label not in models:
            models[label] = services.create(AIModel, org, actor=actor, **values)
    datasets = {d.name: d for d in Dataset.objects.filter(organisation=org)}
    for row in DATASETS:
        values = {**row, "supplier": suppliers.get(row.get("supplier", ""))}
        if row["name"] not in datasets:
            datasets[row["name"]] = services.create(Dataset, org, actor=actor, **values)
    existing = set(AISystem.objects.filter(organisation=org).values_list("name", flat=True))
    for row in SYSTEMS:
        if row["name"] in existing:
            continue
        values = {k: v for k, v in row.items() if k not in ("models", "datasets", "suppliers")}
        values["owner"] = User.objects.filter(email=row["owner"]).first()
        system = services.create(AISystem, org, actor=actor, **values)
        for kind, names, lookup in (
            ("models", row.get("models", []), models),
            ("datasets", row.get("datasets", []), datasets),
            ("suppliers", row.get("suppliers", []), suppliers),
        ):
            for name in names:
                services.link(system, kind, lookup[name], actor=actor)
        services.create(
            Resource,
            org,
            actor=actor,
            system=system,
            kind="people",
            name=f"{row['business_unit']} model owners",
        )
        result.created.append(f"AI system {row['name']}")


STEPS = [_inventory]
