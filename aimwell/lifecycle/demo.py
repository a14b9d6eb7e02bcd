"""Demo data: Meridian Lending's life-cycle records for its four AI systems, the credit model's V&V
plan frozen with results read from its first monitoring run (a passed criterion and a failed one
whose residual risk the CEO accepted), its deployment approval, datasets with their provenance,
resources, and change requests (one decided, one in flight). Every figure and status is computed
by the product from these records. Idempotent: each part looks for itself first."""

from __future__ import annotations

from typing import Any

from aimwell.accounts.models import Membership, User
from aimwell.change_control import services as changes
from aimwell.change_control.models import ChangeRequest
from aimwell.inventory import services as inventory
from aimwell.inventory.models import AISystem, Dataset, Resource
from aimwell.lifecycle import status
from aimwell.lifecycle.errors import LifecycleError
from aimwell.lifecycle.models import (
    DeploymentApproval,
    DesignRecord,
    LoggingPolicy,
    RequirementsSpec,
    VVPlan,
)
from aimwell.lifecycle.services import gate, records, vv

ACTOR = "demo loader"
CREDIT = "Consumer credit scoring"
CEO = "ceo@meridian.example"
MANAGER = "aims.manager@meridian.example"

REQUIREMENTS: dict[str, dict[str, str]] = {
    CREDIT: {
        "intended_purpose": "Estimate the probability of default of consumer loan applicants "
        "(loans up to EUR 50,000) and recommend approve, refer or decline to an underwriter.",
        "intended_users": "Credit underwriters in Retail lending; never applicants directly.",
        "functional_requirements": "Score every complete application within 2 seconds; give "
        "the four strongest reasons for a decline recommendation; refer thin-file applicants.",
        "performance_requirements": "ROC AUC at least 0.75 and accuracy at the decision "
        "threshold at least 0.72 on the hold-out validation sample (criteria AC-1, AC-2).",
        "fairness_requirements": "Approval-rate ratio across sex and age bands at least 0.8 "
        "(four-fifths rule, criterion AC-3).",
        "robustness_requirements": "Population stability index of every input at most 0.2 "
        "against the validation sample (criterion AC-4).",
        "constraints": "No protected characteristic as input; EU data residency.",
        "legal_requirements": "EU AI Act high-risk obligations (Annex III 5(b)); GDPR Art. 22 "
        "safeguards; consumer credit directive creditworthiness assessment.",
    },
    "Card fraud detection": {
        "intended_purpose": "Flag card transactions and account takeovers that look fraudulent "
        "for a fraud analyst to review.",
        "intended_users": "Fraud analysts in Financial crime.",
        "performance_requirements": "ROC AUC at least 0.95 on the weekly sample (AC-1).",
        "robustness_requirements": "Input PSI at most 0.25 week on week (AC-2).",
        "constraints": "A flag never blocks a card on its own; an analyst decides.",
        "legal_requirements": "Anti-money-laundering duties; GDPR Art. 6(1)(c).",
    },
    "Customer support assistant": {
        "intended_purpose": "Answer customers' questions about products and accounts in chat and "
        "hand over to an agent when it cannot help or the customer asks.",
        "intended_users": "Customers, support agents.",
        "performance_requirements": "At least 85% of sampled answers rated correct by agents.",
        "constraints": "No advice on individual credit decisions; discloses it is an AI.",
        "legal_requirements": "EU AI Act Art. 50(1) disclosure to people interacting with AI.",
    },
    "CV screening": {
        "intended_purpose": "Shortlist applicants for open positions from their CVs for a "
        "recruiter to review.",
        "intended_users": "Recruiters in People.",
        "fairness_requirements": "Selection-rate ratio across sex at least 0.8 on each "
        "vendor release before use.",
        "constraints": "A recruiter reviews every shortlist; no automatic rejection.",
        "legal_requirements": "EU AI Act high-risk use (Annex III 4(a)); GDPR Art. 9 and 22.",
    },
}
DESIGNS: dict[str, dict[str, str]] = {
    CREDIT: {
        "architecture": "Gradient-boosted trees (credit-gbm) served behind the loan-origination "
        "system; a rules layer refers thin files and amounts above policy to an underwriter.",
        "model_choices": "Boosted trees over logistic regression: better calibration on the "
        "2019-2025 book, with reason codes from feature attributions.",
        "assumptions": "The applicant population stays close to 2019-2025; bureau data is "
        "current at application time.",
        "build_tooling": "Python, LightGBM, MLflow for experiments and the model registry.",
        "compute": "Training on a 16-core CPU node, about 40 minutes per run.",
        "human_oversight_design": "Underwriters see the score, the reasons and the applicant "
        "file; they decide, can override any recommendation and record why.",
        "alternatives_rejected": "A neural network (no gain in AUC, weaker explanations).",
        "standards_applied": "ISO/IEC 42001 Annex A; internal model risk policy.",
    },
    "Card fraud detection": {
        "architecture": "Graph neural network over cards, devices and merchants; scores stream "
        "to the analysts' queue.",
        "model_choices": "A graph model catches linked account takeovers that per-transaction "
        "models miss.",
        "build_tooling": "Python, PyTorch Geometric, MLflow.",
        "human_oversight_design": "Analysts confirm every flag before a card is blocked.",
    },
    "Customer support assistant": {
        "architecture": "Convai Cloud's hosted language model with our retrieval over product "
        "pages; guardrails block account-specific advice; hand-over button on every answer.",
        "model_choices": "A hosted model: no training data of ours leaves the EU tenancy.",
        "human_oversight_design": "Agents sample conversations daily and can take over any chat.",
    },
    "CV screening": {
        "architecture": "TalentSift's ranking model inside the recruiting system.",
        "model_choices": "Bought: the vendor supplies bias test results per release.",
        "human_oversight_design": "Recruiters review every shortlist and the unranked pool.",
    },
}
LOGGING: dict[str, dict[str, Any]] = {
    CREDIT: {
        "events_logged": "Every score with its inputs, reasons, model version and the "
        "underwriter's decision and overrides.",
        "storage_location": "Decision log database (EU region), append-only",
        "retention_days": 3650,
        "access_control": "Credit risk and internal audit; read-only.",
    },
    "Card fraud detection": {
        "events_logged": "Scores, flags and analysts' outcomes.",
        "storage_location": "Fraud case system",
        "retention_days": 1825,
    },
    "Customer support assistant": {
        "events_logged": "Conversations, hand-overs and guardrail blocks.",
        "storage_location": "Chat platform archive (EU)",
        "retention_days": 730,
    },
    "CV screening": {
        "events_logged": "Rankings per position and recruiters' shortlist decisions.",
        "storage_location": "Recruiting system audit log",
        "retention_days": 365,
    },
}
# Key, kind, metric (as the monitor names it), comparison, threshold, group, description.
CREDIT_CRITERIA = (
    ("AC-1", "performance", "roc_auc", "gte", 0.75, "", "Ranking quality on the hold-out sample"),
    ("AC-2", "performance", "accuracy", "gte", 0.72, "", "Accuracy at the decision threshold"),
    (
        "AC-3",
        "fairness",
        "dp_ratio_min",
        "gte",
        0.8,
        "sex and age bands (lowest ratio)",
        "Approval-rate parity, four-fifths rule",
    ),
    ("AC-4", "robustness", "psi_max", "lte", 0.2, "", "Input stability against validation"),
)
SUPPORT_CRITERIA = (
    (
        "AC-1",
        "performance",
        "answer_accuracy",
        "gte",
        0.85,
        "",
        "Share of sampled answers agents rate correct",
    ),
    (
        "AC-2",
        "other",
        "handover_success",
        "gte",
        0.95,
        "",
        "Share of hand-over requests that reached an agent",
    ),
)
# The support team's monthly sample (400 conversations), rated by agents: measured values.
SUPPORT_RESULTS = {"AC-1": 0.89, "AC-2": 0.985}
FRAUD_CRITERIA = (
    ("AC-1", "performance", "roc_auc", "gte", 0.95, "", "Ranking quality on the weekly sample"),
    ("AC-2", "robustness", "psi_max", "lte", 0.25, "", "Input stability week on week"),
)
DATASETS: dict[str, dict[str, Any]] = {
    "Loan applications 2019-2025": {
        "provenance": "Exported from the core banking system by the data platform team; each "
        "training extract is versioned with its query and row count.",
        "acquisition": "Collected from applicants when they apply (contract).",
        "collection_period": "January 2019 to June 2025",
        "labelling": "Default = 90 days past due within 12 months, computed from repayments.",
        "representativeness": "Applicants of our German and Dutch branches; thin-file and "
        "self-employed applicants are under-represented.",
    },
    "Bureau credit files": {
        "provenance": "Delivered by Northbridge Credit Bureau under contract, monthly files.",
        "acquisition": "Bought per application under the bureau contract.",
        "collection_period": "Rolling 24 months",
        "representativeness": "Covers applicants with a bureau record only.",
    },
    "Card transactions": {
        "provenance": "Card processing platform feed, confirmed fraud labels from case system.",
        "collection_period": "Rolling 18 months",
        "labelling": "Fraud confirmed by an analyst or a chargeback.",
    },
    "Support conversations": {
        "provenance": "Chat platform export; used for retrieval evaluation only, not training.",
        "collection_period": "Rolling 12 months",
    },
    "Job applications": {
        "provenance": "Recruiting system; processed by TalentSift under a processing agreement.",
        "collection_period": "Per open position",
        "representativeness": "Applicants to our roles in Germany.",
    },
}
RESOURCES: dict[str, list[tuple[str, str, str, str]]] = {
    CREDIT: [
        ("data", "Loan applications and bureau files", "Data platform team", "6 years, 1.2 M rows"),
        ("tooling", "MLflow tracking and model registry", "ML platform team", "shared service"),
        ("compute", "Training node", "Cloud (EU region)", "16 CPU cores, 64 GB"),
    ],
    "Card fraud detection": [
        ("compute", "GPU training node", "Cloud (EU region)", "1 GPU"),
        ("tooling", "MLflow tracking and model registry", "ML platform team", "shared service"),
    ],
}


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _membership(org: Any, email: str) -> Membership | None:
    return Membership.objects.filter(organisation=org, user__email=email).first()


def _records(org: Any, result: Any) -> None:
    manager = _user(MANAGER) or ACTOR
    for system in AISystem.objects.filter(organisation=org, name__in=list(REQUIREMENTS)):
        owner = system.owner or ACTOR
        if not RequirementsSpec.objects.filter(system=system).exists():
            spec = records.save_requirements(system, actor=owner, **REQUIREMENTS[system.name])
            records.approve_record(spec, actor=manager)
            result.created.append(f"requirements of {system.name}")
        if not DesignRecord.objects.filter(system=system).exists():
            design = records.save_design(
                system, actor=owner, datasets=list(system.datasets.all()), **DESIGNS[system.name]
            )
            records.approve_record(design, actor=manager)
            result.created.append(f"design record of {system.name}")
        if not LoggingPolicy.objects.filter(system=system).exists():
            records.save_logging_policy(system, actor=owner, **LOGGING[system.name])
            result.created.append(f"event-log policy of {system.name}")


def _inventory_detail(org: Any, result: Any) -> None:
    """Dataset provenance and quality (A.7.4, A.7.5) and resources (A.4.2-A.4.6)."""
    for dataset in Dataset.objects.filter(organisation=org, name__in=list(DATASETS)):
        missing = {k: v for k, v in DATASETS[dataset.name].items() if not getattr(dataset, k)}
        if missing:
            inventory.update(dataset, actor=ACTOR, **missing)
    for system in AISystem.objects.filter(organisation=org, name__in=list(RESOURCES)):
        existing = set(Resource.objects.filter(system=system).values_list("name", flat=True))
        for kind, name, provider, capacity in RESOURCES[system.name]:
            if name not in existing:
                inventory.create(
                    Resource,
                    org,
                    actor=ACTOR,
                    system=system,
                    kind=kind,
                    name=name,
                    provider=provider,
                    capacity=capacity,
                )
                result.created.append(f"resource {name} of {system.name}")


def _first_run(system: AISystem) -> Any:
    from aimwell.monitoring.models import MonitorRun, RunStatus

    return (
        MonitorRun.objects.filter(system=system, status=RunStatus.SUCCEEDED)
        .order_by("finished_at", "number")
        .first()
    )


def _plan(system: AISystem, criteria: tuple[Any, ...], scope: str, result: Any) -> VVPlan | None:
    if VVPlan.objects.filter(system=system).exists():
        return None
    owner = system.owner or ACTOR
    plan = vv.save_plan(
        system,
        actor=owner,
        scope=scope,
        method="Results read from the first "
        "monitoring run of the validation log, judged by Aimwell.",
    )
    for key, kind, metric, comparison, threshold, group, description in criteria:
        vv.add_criterion(
            plan,
            actor=owner,
            key=key,
            kind=kind,
            metric=metric,
            group=group,
            comparison=comparison,
            threshold=threshold,
            description=description,
        )
    vv.freeze_plan(plan, actor=owner)
    run = _first_run(system)
    if run is not None:
        for criterion in plan.criteria.all():
            if isinstance((run.summary or {}).get(criterion.metric), (int, float)):
                vv.record_result(system, criterion_id=criterion.pk, monitor_run=run, actor=owner)
    result.created.append(f"frozen V&V plan of {system.name}")
    return plan


def _vv(org: Any, result: Any) -> None:
    credit = AISystem.objects.filter(organisation=org, name=CREDIT).first()
    if credit is not None and _plan(credit, CREDIT_CRITERIA, "Validation sample 2026 Q2", result):
        entry = status.load_one(credit)
        ceo = _membership(org, CEO)
        for state in entry.criteria:
            if state.status == "failed" and ceo is not None:
                vv.accept_criterion(
                    credit,
                    criterion_id=state.criterion.pk,
                    kind="failed",
                    likelihood=2,
                    consequence=3,
                    rationale="Accuracy at the threshold is below target while ranking quality "
                    "(AC-1) meets it; underwriters decide every refer and decline, and the "
                    "threshold is re-tuned in change CR-002.",
                    actor=ceo.user,
                    membership=ceo,
                )
    fraud = AISystem.objects.filter(organisation=org, name="Card fraud detection").first()
    if fraud is not None:
        _plan(fraud, FRAUD_CRITERIA, "Weekly reference sample, July 2026", result)
    support = AISystem.objects.filter(organisation=org, name="Customer support assistant").first()
    if support is not None:
        plan = _plan(support, SUPPORT_CRITERIA, "Agents' rating of 400 sampled chats", result)
        for criterion in plan.criteria.all() if plan else []:
            vv.record_result(
                support,
                criterion_id=criterion.pk,
                actor=support.owner or ACTOR,
                value=SUPPORT_RESULTS[criterion.key],
                note="Monthly sample of 400 conversations rated by agents",
            )


def _support_monitor(org: Any, result: Any) -> None:
    """The support assistant's monitor: agents' ratings of sampled chats, uploaded monthly."""
    from aimwell.monitoring.models import Monitor
    from aimwell.monitoring.services import create_monitor

    support = AISystem.objects.filter(organisation=org, name="Customer support assistant").first()
    name = "Support answers: agent-rated quality"
    if support is None or Monitor.objects.filter(system=support, name=name).exists():
        return
    create_monitor(
        support,
        actor=ACTOR,
        name=name,
        description="Monthly upload of 400 sampled conversations with the agent's rating "
        "(correct or not) beside the assistant's own confidence.",
        label_column="rated_correct",
        prediction_column="answered",
        score_column="confidence",
        metrics=["performance"],
        schedule="monthly",
    )
    result.created.append("monitor of the customer support assistant")


def _approvals(org: Any, result: Any) -> None:
    """Approve deployment where the computed gate is open; elsewhere the gate page shows what is
    still missing (nothing is forced)."""
    ceo = _membership(org, CEO)
    if ceo is None:
        return
    for system in AISystem.objects.filter(organisation=org, lifecycle_stage="deployed"):
        if DeploymentApproval.objects.filter(system=system).exists():
            continue
        model = system.models_used.filter(retired_on__isnull=True).order_by("-created_at").first()
        if model is None:
            continue
        try:
            gate.approve_deployment(
                system,
                model=model,
                actor=ceo.user,
                membership=ceo,
                note="Gate preconditions met; V&V report reviewed.",
            )
        except LifecycleError:
            continue
        result.created.append(f"deployment approval of {system.name}")


def _changes(org: Any, result: Any) -> None:
    manager = _membership(org, MANAGER)
    credit = AISystem.objects.filter(organisation=org, name=CREDIT).first()
    if manager is None or credit is None:
        return
    if not ChangeRequest.objects.filter(
        organisation=org, title__startswith="Add deployer"
    ).exists():
        aims = changes.create_change(
            org,
            actor=manager.user,
            title="Add deployer duties to the AI system life-cycle procedure",
            scope="aims",
            reason="We both build and use the credit model: the EU AI Act deployer duties "
            "(Art. 26, Art. 27) must be part of the life-cycle procedure.",
            what_changes="Life-cycle procedure gains a deployer checklist; the deployment gate "
            "now needs a current impact assessment.",
            impact_on_risks="None new; R-001 treatment references the checklist.",
            impact_on_assessments="Impact assessments cover Art. 27 questions for deployed "
            "high-risk systems.",
            impact_on_soa="A.6.2.5 implementation note updated.",
            impact_on_documents="AI system life-cycle procedure, new version.",
        )
        changes.submit_change(aims, actor=manager.user)
        ceo = _membership(org, CEO)
        decider = ceo or manager
        changes.decide_change(
            aims,
            approve=True,
            actor=decider.user,
            membership=decider,
            note="Approved at the AI governance meeting.",
        )
        changes.implement_change(aims, actor=manager.user)
        result.created.append(f"change {aims.reference}")
    if not ChangeRequest.objects.filter(organisation=org, system=credit).exists():
        owner = credit.owner or manager.user
        retrain = changes.create_change(
            org,
            actor=owner,
            title="Retrain credit-gbm on 2026 applications and re-tune the threshold",
            scope="system",
            system=credit,
            reason="Accuracy at the decision threshold is below the 0.72 target (V&V AC-2, "
            "accepted for now) and the latest monitoring run alerts on approval-rate parity.",
            what_changes="New model version trained on 2019-2026 data; decision threshold "
            "re-tuned; V&V against the same frozen criteria before deployment.",
            impact_on_risks="R-001 (unfair refusals) reassessed with the new version.",
            impact_on_assessments="IA-001 reviewed for the new version.",
            impact_on_soa="None.",
            impact_on_documents="System card republished after deployment.",
        )
        changes.submit_change(retrain, actor=owner)
        result.created.append(f"change {retrain.reference} (submitted)")


def _republish_cards(org: Any, result: Any) -> None:
    """The life-cycle records now answer more of the credit model's technical-documentation
    outline: its owner publishes the card again (a new version only when the content moved)."""
    from aimwell.transparency.models import CardVersion
    from aimwell.transparency.services import publish_card

    published = CardVersion.objects.filter(organisation=org).values_list("card__system", flat=True)
    for system in AISystem.objects.filter(organisation=org, pk__in=set(published)):
        version, created = publish_card(system, actor=system.owner or ACTOR)
        if created:
            result.created.append(f"card version {version.number} of {system.name}")


def _lifecycle(result: Any) -> None:
    from aimwell.demo import demo_organisation

    org = demo_organisation()
    before = len(result.created)
    _inventory_detail(org, result)
    _records(org, result)
    _support_monitor(org, result)
    _vv(org, result)
    _changes(org, result)
    _approvals(org, result)
    if len(result.created) > before:
        # Only after this load added life-cycle records: a later load must not republish cards
        # because someone changed live data since (loading the demo again changes nothing).
        _republish_cards(org, result)


STEPS = [_lifecycle]
