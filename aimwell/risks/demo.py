"""Demo: Meridian Lending's risk method, a risk register with treatments and residual acceptance,
and impact assessments of credit scoring and CV screening. Idempotent: risks are looked up by
title, assessments by system."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from aimwell.accounts.models import Membership
from aimwell.demo import DemoResult, demo_organisation
from aimwell.inventory.models import AISystem
from aimwell.risks.models import Risk
from aimwell.risks.services import method, register, treatment

ACTOR = "demo loader"
TODAY = timezone.localdate


def _user(email: str) -> Any:
    return get_user_model().objects.filter(email=email).first()


def _node(ref: str) -> Any:
    from aimwell.catalog.models import RequirementNode

    return RequirementNode.objects.filter(
        framework__urn="iso42001:2023", framework__organisation__isnull=True, ref_id=ref
    ).first()


# title, system, source ref, objective ref, causes, ratings, likelihood, treatment, plan,
# controls, actions [(title, owner, days from today, status)], residual (L, C), accepted by
RISKS: list[dict[str, Any]] = [
    {
        "title": "Credit model refuses protected groups more often",
        "system": "Consumer credit scoring",
        "source": "C.3.4",
        "objective": "C.2.5",
        "causes": "Historical approvals reflect past lending bias; postcode and employment "
        "history act as proxies for ethnicity and age.",
        "ratings": {"individuals": 4, "groups": 5, "organisation": 4},
        "likelihood": 4,
        "option": "modify",
        "plan": "Fairness testing before every release, monitored disparity in production, "
        "human review of borderline refusals.",
        "controls": ["A.6.2.4", "A.7.4", "A.6.2.6", "A.9.2"],
        "actions": [
            (
                "Disparate-impact tests in the release checklist",
                "ml.engineer@meridian.example",
                20,
                "in_progress",
            ),
            (
                "Quarterly fairness report to the AI ethics committee",
                "credit.owner@meridian.example",
                -12,
                "open",
            ),
        ],
        "residual": (2, 4),
        "accept": "ceo@meridian.example",
    },
    {
        "title": "Credit model drifts after the interest-rate shift",
        "system": "Consumer credit scoring",
        "source": "C.3.6",
        "objective": "C.2.8",
        "causes": "Applicant mix and repayment behaviour change faster than the annual retrain.",
        "ratings": {"organisation": 4, "individuals": 3},
        "likelihood": 3,
        "option": "modify",
        "plan": "Population stability monitoring with alert thresholds; retrain triggers.",
        "controls": ["A.6.2.6", "A.6.2.5"],
        "actions": [
            ("Drift alerts wired to the model owner", "ml.engineer@meridian.example", 30, "open")
        ],
        "residual": (2, 3),
        "accept": "aims.manager@meridian.example",
    },
    {
        "title": "Applicants cannot understand or contest a refusal",
        "system": "Consumer credit scoring",
        "source": "C.3.2",
        "objective": "C.2.11",
        "causes": "Reason codes are generic; no route to a human review is advertised.",
        "ratings": {"individuals": 4, "society": 2},
        "likelihood": 3,
        "option": "modify",
        "plan": "Specific reason codes from attributions; human review on request.",
        "controls": ["A.8.2", "A.8.3", "A.9.3"],
        "actions": [
            (
                "Publish the human-review route in refusal letters",
                "credit.owner@meridian.example",
                -5,
                "open",
            )
        ],
        "residual": None,
        "accept": None,
    },
    {
        "title": "Fraud model blocks legitimate customers' cards",
        "system": "Card fraud detection",
        "source": "C.3.4",
        "objective": "C.2.8",
        "causes": "Threshold tuned for recall; seasonal spending looks anomalous.",
        "ratings": {"individuals": 3, "organisation": 3},
        "likelihood": 4,
        "option": "modify",
        "plan": "Step-up verification instead of blocking; weekly false-positive review.",
        "controls": ["A.6.2.6", "A.9.4"],
        "actions": [
            ("Step-up verification flow", "ml.engineer@meridian.example", 45, "in_progress")
        ],
        "residual": (2, 3),
        "accept": None,
    },
    {
        "title": "Support assistant gives wrong answers about loan terms",
        "system": "Customer support assistant",
        "source": "C.3.7",
        "objective": "C.2.8",
        "causes": "A general-purpose model answers beyond the approved knowledge base.",
        "ratings": {"individuals": 3, "organisation": 3},
        "likelihood": 3,
        "option": "share",
        "plan": "Contractual accuracy commitments from the vendor; retrieval limited to approved "
        "content; disclosure that customers talk to an AI.",
        "controls": ["A.10.3", "A.8.2", "A.6.2.7"],
        "actions": [
            (
                "Vendor contract addendum on model updates",
                "aims.manager@meridian.example",
                60,
                "open",
            )
        ],
        "residual": (2, 2),
        "accept": "aims.manager@meridian.example",
    },
    {
        "title": "CV screening filters out career returners and older candidates",
        "system": "CV screening",
        "source": "C.3.4",
        "objective": "C.2.5",
        "causes": "Ranker trained on past hires; gaps in employment lower the score.",
        "ratings": {"individuals": 4, "groups": 4, "organisation": 4},
        "likelihood": 4,
        "option": "modify",
        "plan": "Recruiter reviews every rejection; supplier bias audit; gap-neutral features.",
        "controls": ["A.10.3", "A.7.4", "A.9.2", "A.5.4"],
        "actions": [("Supplier bias audit report", "credit.owner@meridian.example", -20, "open")],
        "residual": None,
        "accept": None,
    },
    {
        "title": "Staff paste customer data into public AI chat tools",
        "system": None,
        "source": None,
        "custom": "Shadow use of generative AI",
        "objective": "C.2.7",
        "causes": "No approved assistant; productivity pressure.",
        "ratings": {"organisation": 4, "individuals": 3},
        "likelihood": 3,
        "option": "modify",
        "plan": "Acceptable-use rule, approved internal assistant, awareness training.",
        "controls": ["A.2.2", "A.9.4", "MER-01"],
        "actions": [
            (
                "Roll out the approved internal assistant",
                "aims.manager@meridian.example",
                90,
                "open",
            )
        ],
        "residual": (2, 3),
        "accept": "aims.manager@meridian.example",
    },
]


def _method(result: DemoResult) -> None:
    org = demo_organisation()
    if method.current_method(org) is None:
        method.publish_method(
            org,
            actor=_user("aims.manager@meridian.example") or ACTOR,
            change_note="First version, agreed by the AI ethics committee",
        )
        result.created.append("risk method v1")


def _own_control(org: Any) -> Any:
    from aimwell.controls import services as controls
    from aimwell.controls.models import CustomControl

    found = CustomControl.objects.filter(organisation=org, code="MER-01").first()
    return found or controls.create_custom_control(
        org,
        actor=ACTOR,
        code="MER-01",
        title="Approved generative AI assistants only",
        description="Staff use only the approved internal assistant for work involving "
        "customer or confidential data.",
    )


def _risks(result: DemoResult) -> None:
    org = demo_organisation()
    existing = set(Risk.objects.filter(organisation=org).values_list("title", flat=True))
    systems = {s.name: s for s in AISystem.objects.filter(organisation=org)}
    own = _own_control(org)
    for row in RISKS:
        if row["title"] in existing:
            continue
        owner_email = (
            "credit.owner@meridian.example"
            if row["system"] in ("Consumer credit scoring", "CV screening")
            else "aims.manager@meridian.example"
        )
        risk = register.create_risk(
            org,
            actor=_user("aims.manager@meridian.example") or ACTOR,
            title=row["title"],
            system=systems.get(row["system"]) if row["system"] else None,
            risk_source=_node(row["source"]) if row["source"] else None,
            custom_source=row.get("custom", ""),
            objective=_node(row["objective"]),
            causes=row["causes"],
            consequences={k: {"rating": v} for k, v in row["ratings"].items()},
            likelihood=row["likelihood"],
            owner=_user(owner_email),
        )
        treatment.set_treatment(risk, actor=ACTOR, option=row["option"], plan=row["plan"])
        for ref in row["controls"]:
            if ref == own.code:
                treatment.select_control(risk, actor=ACTOR, custom=own)
            else:
                treatment.select_control(risk, actor=ACTOR, node=_node(ref))
        for title, email, days, status in row["actions"]:
            action = treatment.add_action(
                risk,
                actor=ACTOR,
                title=title,
                owner=_user(email),
                due_date=TODAY() + dt.timedelta(days=days),
            )
            if status != "open":
                treatment.update_action(action, actor=ACTOR, status=status)
        if row["residual"]:
            likelihood, consequence = row["residual"]
            treatment.assess_residual(
                risk, actor=ACTOR, likelihood=likelihood, consequence=consequence
            )
        if row["accept"]:
            acceptor = _user(row["accept"])
            membership = Membership.objects.filter(organisation=org, user=acceptor).first()
            treatment.accept_residual(
                risk, actor=acceptor, membership=membership, note="Within risk appetite"
            )
        result.created.append(f"risk {risk.reference}")


STEPS = [_method, _risks]
