"""Demo: Meridian Lending's baseline self-assessment, a Statement of Applicability over all 38
Annex A controls (and its own control) with justifications and owners, an approved SoA version,
and readiness snapshots for the trend. Idempotent: entries are looked up by control."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from aimwell.accounts.models import Membership
from aimwell.controls import services, soa
from aimwell.controls.models import (
    BaselineEntry,
    CustomControl,
    SoAEntry,
    SoAVersion,
)
from aimwell.demo import DemoResult, demo_organisation

ACTOR = "demo loader"
MANAGER = "aims.manager@meridian.example"
CREDIT = "credit.owner@meridian.example"
ML = "ml.engineer@meridian.example"
CEO = "ceo@meridian.example"

# ref: (status, owner, justification, legal/contractual/business reasons); None = not applicable
SOA: dict[str, tuple[str, str | None, str, str] | None] = {
    "A.2.2": ("implemented", CEO, "Sets direction for every AI use.", "Board mandate"),
    "A.2.3": ("partial", MANAGER, "Privacy and security policies must not contradict it.", ""),
    "A.2.4": ("planned", MANAGER, "Annual review cycle agreed.", ""),
    "A.3.2": ("implemented", MANAGER, "RACI for every AI system.", ""),
    "A.3.3": (
        "partial",
        MANAGER,
        "Staff need a safe route to raise AI concerns.",
        "Whistleblowing law",
    ),
    "A.4.2": ("partial", ML, "Resources of each system are recorded in the inventory.", ""),
    "A.4.3": ("implemented", ML, "Training and bureau data are core resources.", ""),
    "A.4.4": ("partial", ML, "ML platform and tooling are tracked.", ""),
    "A.4.5": ("partial", ML, "Cloud compute for training and inference.", ""),
    "A.4.6": ("planned", MANAGER, "Model owners and reviewers named per system.", ""),
    "A.5.2": (
        "implemented",
        MANAGER,
        "Impact assessment process adopted.",
        "EU AI Act Art. 27 for deployed high-risk systems",
    ),
    "A.5.3": ("partial", MANAGER, "Assessments recorded in Aimwell.", ""),
    "A.5.4": (
        "partial",
        CREDIT,
        "Credit and hiring decisions affect individuals.",
        "Consumer credit law",
    ),
    "A.5.5": ("planned", MANAGER, "Regional credit exclusion is a societal concern.", ""),
    "A.6.1.2": ("partial", ML, "Objectives for responsible development set per system.", ""),
    "A.6.1.3": ("partial", ML, "Model development standard.", ""),
    "A.6.2.2": ("implemented", ML, "Requirements captured before build.", ""),
    "A.6.2.3": ("implemented", ML, "Design and development record per AI system, approved.", ""),
    "A.6.2.4": ("partial", ML, "", ""),
    "A.6.2.5": ("implemented", ML, "Deployment gates in the release pipeline.", ""),
    "A.6.2.6": ("partial", ML, "", ""),
    "A.6.2.7": (
        "planned",
        ML,
        "Technical documentation for high-risk systems.",
        "EU AI Act Annex IV",
    ),
    "A.6.2.8": (
        "implemented",
        ML,
        "Decision logs kept seven years.",
        "Record keeping for credit decisions",
    ),
    "A.7.2": ("partial", ML, "Data for development is governed.", "GDPR"),
    "A.7.3": ("implemented", ML, "Bureau data acquired under contract.", "Bureau data agreement"),
    "A.7.4": ("partial", ML, "", ""),
    "A.7.5": ("planned", ML, "Lineage of training data.", ""),
    "A.7.6": ("implemented", ML, "Feature pipelines are versioned.", ""),
    "A.8.2": ("partial", CREDIT, "", "Consumer credit information duties"),
    "A.8.3": ("not_started", None, "Regulators and affected people need a reporting route.", ""),
    "A.8.4": ("planned", MANAGER, "Incident communication plan.", "GDPR breach notification"),
    "A.8.5": ("partial", MANAGER, "Information for customers and partners.", ""),
    "A.9.2": ("partial", CREDIT, "", ""),
    "A.9.3": ("planned", CREDIT, "Objectives for responsible use per system.", ""),
    "A.9.4": ("implemented", MANAGER, "", ""),
    "A.10.2": (
        "partial",
        MANAGER,
        "Responsibilities split with the credit bureau and vendors.",
        "",
    ),
    "A.10.3": ("partial", MANAGER, "", "Supplier contracts"),
    "A.10.4": (
        "partial",
        MANAGER,
        "Meridian provides white-label credit scoring to Harbourside Bank: the agreement sets "
        "out responsibilities, intended use and the information the bank receives.",
        "Harbourside Bank white-label lending agreement",
    ),
}
# Controls excluded from the SoA, with why (none: every Annex A control applies to Meridian).
EXCLUSIONS: dict[str, str] = {}
BASELINE = {
    "4.1": (2, "Context discussed at board strategy days, not written down for AI."),
    "4.3": (1, "No defined scope for AI."),
    "5.2": (1, "A short statement on responsible AI in the code of conduct."),
    "6.1.2": (2, "Model risk management for credit models only."),
    "6.1.3": (2, "Model risk findings tracked in a spreadsheet."),
    "6.1.4": (0, "No impact assessments."),
    "7.2": (2, "Data science team trained; no AI training for others."),
    "8.2": (2, "Annual model validation for credit models."),
    "9.2": (0, "Internal audit has never covered AI."),
    "A.2.2": (1, "See 5.2."),
    "A.6.2.4": (3, "Model validation team for credit models."),
    "A.6.2.6": (2, "Monitoring dashboards without thresholds."),
    "A.7.4": (2, "Data quality checks in pipelines, no documented criteria."),
    "A.10.3": (1, "Standard IT procurement questionnaire."),
}


def _user(email: str | None) -> Any:
    return get_user_model().objects.filter(email=email).first() if email else None


def _baseline(result: DemoResult) -> None:
    org = demo_organisation()
    done = set(
        BaselineEntry.objects.filter(organisation=org).values_list("node__ref_id", flat=True)
    )
    nodes = {n.ref_id: n for n in services.baseline_nodes()}
    added = 0
    for ref, node in nodes.items():
        if ref in done:
            continue
        maturity, practice = BASELINE.get(ref, (1, "Done ad hoc, not documented."))
        services.record_baseline(
            org, actor=_user(MANAGER) or ACTOR, node=node, maturity=maturity, practice=practice
        )
        added += 1
    if added:
        result.created.append(f"baseline of {added} requirements and controls")
        # The first readiness snapshot: the score as the organisation stands at the baseline,
        # computed and dated now (a snapshot is never back-dated).
        services.take_snapshot(org, actor=ACTOR)


def _soa(result: DemoResult) -> None:
    org = demo_organisation()
    decided = set(
        SoAEntry.objects.filter(organisation=org, applicable__isnull=False).values_list(
            "node__ref_id", flat=True
        )
    )
    rows = {r.ref: r for r in soa.soa_rows(org)}
    count = 0
    for ref, spec in SOA.items():
        row = rows.get(ref)
        if row is None or ref in decided:
            continue
        if spec is None:
            services.decide(
                org, actor=ACTOR, node=row.node, applicable=False, justification=EXCLUSIONS[ref]
            )
        else:
            status, owner, justification, reasons = spec
            services.decide(
                org,
                actor=ACTOR,
                node=row.node,
                applicable=True,
                status=status,
                owner=_user(owner),
                justification=justification,
                obligations=reasons,
            )
        count += 1
    own = CustomControl.objects.filter(organisation=org, code="MER-01").first()
    if own is not None and not SoAEntry.objects.filter(custom=own, applicable=True).exists():
        services.decide(
            org,
            actor=ACTOR,
            custom=own,
            applicable=True,
            status="partial",
            owner=_user(MANAGER),
            justification="Our answer to shadow use of generative AI.",
        )
        count += 1
    if count:
        result.created.append(f"SoA decisions for {count} controls")


def _soa_version(result: DemoResult) -> None:
    org = demo_organisation()
    if SoAVersion.objects.filter(organisation=org).exists():
        return
    version = services.create_version(org, actor=_user(MANAGER) or ACTOR, note="First SoA")
    ceo = _user(CEO)
    membership = Membership.objects.filter(organisation=org, user=ceo).first()
    services.approve_version(version, actor=ceo, membership=membership)
    services.take_snapshot(org, actor=ACTOR)
    result.created.append("SoA v1 approved by the CEO")


STEPS = [_baseline, _soa, _soa_version]
