"""Meridian Lending's impact assessments of credit scoring and CV screening (idempotent: a system
with an assessment is left alone)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from aimwell.accounts.models import Membership
from aimwell.demo import DemoResult, demo_organisation
from aimwell.impact_assessments import services as impact
from aimwell.impact_assessments.choices import IMPACT_AREA_KEYS
from aimwell.impact_assessments.models import ImpactAssessment
from aimwell.inventory.models import AISystem

ACTOR = "demo loader"


def _user(email: str) -> Any:
    return get_user_model().objects.filter(email=email).first()


def _area(
    severity: int, likelihood: int, description: str, mitigation: str, residual: int
) -> dict[str, Any]:
    return {
        "description": description,
        "severity": severity,
        "likelihood": likelihood,
        "mitigation": mitigation,
        "residual_severity": residual,
    }


ASSESSMENTS: dict[str, dict[str, Any]] = {
    "Consumer credit scoring": {
        "affected_groups": "Applicants by age band, sex and postcode; self-employed applicants.",
        "societal_reach": "About 180,000 decisions a year in three countries.",
        "impacts": {
            "fundamental_rights": _area(
                4,
                3,
                "Access to credit, an essential service.",
                "Human review of refusals on request.",
                3,
            ),
            "fairness": _area(
                4,
                4,
                "Higher refusal rates for some groups.",
                "Pre-release disparity tests; monitoring.",
                3,
            ),
            "privacy": _area(
                3, 2, "Bureau files and bank data profiled.", "DPIA; data minimisation.", 2
            ),
            "safety": _area(
                3,
                2,
                "Over-indebtedness if approvals are too lenient.",
                "Affordability rules outside the model.",
                2,
            ),
            "transparency": _area(3, 3, "Generic reason codes.", "Specific reason codes.", 2),
            "environment": _area(1, 2, "Modest training compute.", "Annual retrain only.", 1),
            "society": _area(
                3,
                2,
                "Credit exclusion concentrated in some regions.",
                "Regional outcome reporting.",
                2,
            ),
        },
        "dpia_required": True,
        "dpia_reference": "DPIA-2025-03 Credit decisioning",
        # Meridian deploys its own credit model, and Annex III 5(b) puts the Art. 27 assessment
        # on the deployer side.
        "fria": {
            "process_description": "Underwriters receive an approve, refer or decline "
            "recommendation with reason codes for every consumer loan application and decide.",
            "period_and_frequency": "Continuously, for every application; about 180,000 "
            "decisions a year in Germany and the Netherlands.",
            "categories_of_persons": "Consumer loan applicants, in particular applicants in "
            "financial difficulty, self-employed applicants and applicants with a short credit "
            "history.",
            "specific_risks": "Refusal of credit through indirect discrimination by age, sex or "
            "postcode; over-indebtedness if approvals are too lenient.",
            "human_oversight": "Underwriters decide every application; short-history "
            "applications always go to a credit officer; refusals are reviewed on request.",
            "materialisation_measures": "Fairness monitor with a disparity threshold; model "
            "rollback to the previous version; the AI governance committee decides on "
            "suspension.",
            "complaint_mechanism": "Applicants can ask for an explanation and a human review "
            "through the public transparency page and the complaints team.",
        },
        "overall_residual": "Acceptable with the fairness monitoring and the human-review route.",
        "reassessment_triggers": "New model version; new data source; complaint trend; "
        "change in lending policy.",
        "approve": True,
    },
    "CV screening": {
        "affected_groups": "Job applicants, in particular career returners, older applicants, "
        "people with disabilities.",
        "societal_reach": "About 9,000 applications a year.",
        "impacts": {
            "fundamental_rights": _area(
                4, 3, "Access to employment.", "Recruiter reviews every rejection.", 3
            ),
            "fairness": _area(
                5, 3, "Gaps in employment lower scores.", "Bias audit; gap-neutral features.", 3
            ),
            "privacy": _area(
                3, 3, "CVs processed by a supplier.", "Processing agreement; retention limits.", 2
            ),
            "safety": _area(1, 1, "No physical risk.", "", 1),
            "transparency": _area(
                3, 4, "Applicants are not told AI ranks them.", "Notice in the job advert.", 2
            ),
            "environment": _area(1, 1, "Supplier-hosted inference.", "", 1),
            "society": _area(
                3, 2, "Reinforces narrow hiring profiles.", "Annual outcome review.", 2
            ),
        },
        "dpia_required": True,
        "dpia_reference": "",
        "fria": {
            "process_description": "Ranks applications for recruiters before a first screening.",
            "period_and_frequency": "Continuously, for every open position.",
            "categories_of_persons": "Job applicants; career returners; older applicants.",
            "specific_risks": "Indirect discrimination by age and career gaps.",
            "human_oversight": "A recruiter reviews every rejection.",
        },
        "overall_residual": "Not yet acceptable: bias audit outstanding.",
        "reassessment_triggers": "Supplier model update; audit findings.",
        "approve": False,
    },
    "Card fraud detection": {
        "affected_groups": "Card holders, in particular those who travel or shop abroad.",
        "societal_reach": "Every card payment of about 400,000 customers.",
        "impacts": {
            "fundamental_rights": _area(
                2, 3, "Payments blocked without explanation.", "Fast unblock by phone.", 2
            ),
            "fairness": _area(
                3, 2, "More false alarms for some nationalities.", "False-alarm rates by group.", 2
            ),
            "privacy": _area(
                3, 3, "Transaction profiling.", "Purpose limitation; retention limits.", 2
            ),
            "safety": _area(2, 2, "Stranded travellers.", "Emergency card replacement.", 1),
            "transparency": _area(
                2, 3, "Customers are not told a model blocked them.", "Notice in the app.", 1
            ),
            "environment": _area(1, 2, "Real-time scoring.", "Efficient model.", 1),
            "society": _area(1, 1, "Less fraud for everyone.", "", 1),
        },
        "dpia_required": True,
        "dpia_reference": "DPIA-2024-07 Transaction monitoring",
        "overall_residual": "Acceptable: a person reviews every block over 24 hours.",
        "reassessment_triggers": "New model version; complaint trend on blocked cards.",
        "approve": True,
    },
    "Customer support assistant": {
        "affected_groups": "Customers asking about products, fees and their accounts.",
        "societal_reach": "About 30,000 conversations a month.",
        "impacts": {
            "fundamental_rights": _area(1, 2, "No decisions on customers.", "", 1),
            "fairness": _area(
                2, 2, "Poorer answers in minority languages.", "Language coverage tests.", 1
            ),
            "privacy": _area(
                3, 3, "Conversations processed by the vendor.", "Processing agreement.", 2
            ),
            "safety": _area(1, 1, "No physical risk.", "", 1),
            "transparency": _area(
                3, 3, "Wrong answers about fees.", "Fee tables synchronised daily.", 2
            ),
            "environment": _area(2, 3, "Hosted large language model.", "Short answers.", 2),
            "society": _area(1, 1, "Faster help.", "", 1),
        },
        "dpia_required": True,
        "dpia_reference": "DPIA-2025-11 Customer support assistant",
        "overall_residual": "Acceptable: fee tables are synchronised into the knowledge base daily "
        "and the answers are re-checked after every vendor model change.",
        "reassessment_triggers": "Vendor model change; incident on wrong information.",
        "approve": True,
    },
}


def _assessments(result: DemoResult) -> None:
    org = demo_organisation()
    manager = _user("aims.manager@meridian.example")
    ceo = _user("ceo@meridian.example")
    for name, spec in ASSESSMENTS.items():
        system = AISystem.objects.filter(organisation=org, name=name).first()
        if system is None or ImpactAssessment.objects.filter(system=system).exists():
            continue
        values = {k: v for k, v in spec.items() if k != "approve"}
        values["impacts"] = {k: values["impacts"][k] for k in IMPACT_AREA_KEYS}
        assessment = impact.create_assessment(
            org, actor=manager or ACTOR, system=system, owner=system.owner, **values
        )
        if spec["approve"]:
            membership = Membership.objects.filter(organisation=org, user=ceo).first()
            impact.approve(assessment, actor=ceo, membership=membership, note="Reviewed by the "
                           "AI ethics committee")  # fmt: skip
        result.created.append(f"impact assessment {assessment.reference}")


STEPS = [_assessments]
