"""Demo data: Meridian Lending's evidence, some of it stale, linked to requirements and to the AI
systems of the register, and an open evidence request. Idempotent by title."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.utils import timezone

from aimwell.accounts.models import Membership
from aimwell.evidence import services
from aimwell.evidence.models import EvidenceItem, EvidenceRequest

OWNER = "credit.owner@meridian.example"
MANAGER = "aims.manager@meridian.example"
AUDITOR = "internal.auditor@meridian.example"

# title, file name or URL, content, days ago, validity days, requirements, AI system name
ITEMS: list[tuple[str, str, bytes | None, int, int | None, list[str], str | None]] = [
    (
        "Credit scoring model validation report 2026-Q2",
        "credit-gbm-validation-2026q2.csv",
        b"metric,value,threshold,result\nauc,0.812,0.75,pass\nks,0.46,0.35,pass\n"
        b"disparate_impact_age,0.91,0.80,pass\ndisparate_impact_sex,0.97,0.80,pass\n",
        75,
        365,
        ["iso42001:2023:A.6.2.4", "iso42001:2023:9.1"],
        "Consumer credit scoring",
    ),
    (
        "Fraud detection drift monitoring, last month",
        "fraud-graph-drift.csv",
        b"feature,psi,status\namount,0.04,stable\nmerchant_category,0.11,watch\n"
        b"hour_of_day,0.02,stable\nscore,0.07,stable\n",
        20,
        45,
        ["iso42001:2023:A.6.2.6", "iso42001:2023:9.1"],
        "Card fraud detection",
    ),
    (
        "CV screening bias audit 2025",
        "talentsift-bias-audit-2025.md",
        b"# CV screening bias audit 2025\n\n"
        b"Selection-rate ratio women/men: 0.86 (threshold 0.80).\n"
        b"Selection-rate ratio over-50/under-50: 0.78 (below 0.80; corrective action CA-12).\n",
        430,
        365,
        ["iso42001:2023:A.5.4", "iso42001:2023:6.1.4"],
        "CV screening",
    ),
    (
        "Support assistant red-team test results",
        "https://wiki.meridian.example/ai/convai-red-team-2026",
        None,
        200,
        180,
        ["iso42001:2023:A.6.2.4"],
        "Customer support assistant",
    ),
    (
        "AI awareness training completions",
        "ai-awareness-training-completions.csv",
        b"team,staff,completed,share\nRisk,14,14,100%\nData science,22,21,95%\n"
        b"Customer service,60,52,87%\nHR,9,9,100%\n",
        30,
        365,
        ["iso42001:2023:7.2", "iso42001:2023:7.3"],
        None,
    ),
    (
        "Supplier assessment: Convai Cloud (LLM vendor)",
        "supplier-assessment-convai.txt",
        b"Supplier: Convai Cloud\nReviewed: model cards, data retention (30 days), EU hosting,\n"
        b"incident notification within 24h, audit rights in contract.\nOutcome: approved.\n",
        300,
        365,
        ["iso42001:2023:A.10.3"],
        "Customer support assistant",
    ),
]


def _systems(org: Any) -> dict[str, Any]:
    try:
        model = apps.get_model("inventory", "AISystem")
    except LookupError:
        return {}
    return {s.name: s for s in model.objects.filter(organisation=org)}


def _evidence(result: Any) -> None:
    from aimwell.demo import demo_organisation

    org = demo_organisation()
    members = {
        m.user.email: m.user
        for m in Membership.objects.active().select_related("user").filter(organisation=org)
    }
    owner = members.get(OWNER)
    if owner is None:
        return
    systems = _systems(org)
    titles = set(EvidenceItem.objects.filter(organisation=org).values_list("title", flat=True))
    today = timezone.localdate()
    for title, name, content, days_ago, validity, urns, system in ITEMS:
        if title in titles:
            continue
        common: dict[str, Any] = {
            "title": title,
            "actor": owner,
            "effective_date": today - dt.timedelta(days=days_ago),
            "validity_days": validity,
            "requirement_urns": urns,
        }
        if content is None:
            item = services.add_link(org, url=name, **common)
        else:
            item = services.add_file(org, data=content, file_name=name, **common)
        if system and system in systems:
            services.add_target_link(
                item, target_type="inventory.aisystem", target_id=systems[system].pk, actor=owner
            )
        result.created.append(f"evidence {title}")
    auditor = members.get(AUDITOR)
    request_title = "Q3 fairness report for consumer credit scoring"
    if (
        auditor is not None
        and not EvidenceRequest.objects.filter(organisation=org, title=request_title).exists()
    ):
        services.request_evidence(
            org,
            title=request_title,
            requested_from=owner,
            due_date=today + dt.timedelta(days=10),
            requirement_urn="iso42001:2023:A.5.4",
            description="For the internal audit of impact assessment: the fairness metrics of the "
            "last quarter, computed from the production prediction log.",
            actor=auditor,
        )
        result.created.append(f"evidence request {request_title}")


STEPS = [_evidence]
