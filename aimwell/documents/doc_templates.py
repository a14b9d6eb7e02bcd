"""Templates, in our own words, for the documented information ISO/IEC 42001 requires and the
procedures an AIMS needs. Each is a Markdown file in `library/` filled with the organisation's live
data (name, top management, process owners, in-scope AI systems, risk method) when instantiated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.template import engines
from django.utils import timezone

from aimwell.accounts.models import Membership
from aimwell.accounts.roles import AIMSProcess, Role

LIBRARY = Path(__file__).resolve().parent / "library"
ALL_INSIDERS = [r.value for r in Role if r != Role.EXTERNAL_AUDITOR]


@dataclass(frozen=True)
class DocTemplate:
    key: str
    reference: str
    title: str
    doc_type: str
    requirements: tuple[str, ...]
    process: AIMSProcess
    approver: str | None = None  # None: the type's default
    review_months: int = 12
    acknowledgement_roles: list[str] = field(default_factory=list)
    classification: str = "internal"

    @property
    def path(self) -> Path:
        return LIBRARY / f"{self.key}.md"

    def requirement_urns(self) -> list[str]:
        return [f"iso42001:2023:{ref}" for ref in self.requirements]


TEMPLATES: tuple[DocTemplate, ...] = (
    DocTemplate(
        "ai-policy", "POL-01", "AI policy", "policy", ("5.2", "A.2.2", "A.2.3", "A.2.4"),
        AIMSProcess.LEADERSHIP_AND_POLICY, approver="top_management",
        acknowledgement_roles=ALL_INSIDERS, classification="public",
    ),
    DocTemplate(
        "aims-scope", "REC-01", "AIMS scope statement", "record", ("4.3", "4.1", "4.2"),
        AIMSProcess.CONTEXT_AND_SCOPE, approver="top_management",
    ),
    DocTemplate(
        "risk-management", "PRO-01", "AI risk criteria, assessment and treatment process",
        "procedure", ("6.1.1", "6.1.2", "6.1.3", "8.2", "8.3"), AIMSProcess.RISK_MANAGEMENT,
    ),
    DocTemplate(
        "impact-assessment", "PRO-02", "AI system impact assessment process", "procedure",
        ("6.1.4", "8.4", "A.5.2", "A.5.3", "A.5.4", "A.5.5"), AIMSProcess.IMPACT_ASSESSMENT,
    ),
    DocTemplate(
        "ai-objectives", "PLN-01", "AI objectives and plans to achieve them", "plan",
        ("6.2", "A.6.1.2", "A.9.3"), AIMSProcess.LEADERSHIP_AND_POLICY,
        approver="top_management",
    ),
    DocTemplate(
        "roles-responsibilities", "POL-02", "AI roles and responsibilities", "policy",
        ("5.3", "A.3.2", "A.10.2"), AIMSProcess.LEADERSHIP_AND_POLICY,
        acknowledgement_roles=["admin", "aims_manager", "contributor"],
    ),
    DocTemplate(
        "competence-awareness", "PRO-03", "Competence and awareness", "procedure",
        ("7.2", "7.3", "A.4.6"), AIMSProcess.COMPETENCE_AND_TRAINING,
    ),
    DocTemplate(
        "document-control", "PRO-04", "Control of documented information", "procedure",
        ("7.5.1", "7.5.2", "7.5.3"), AIMSProcess.DOCUMENT_CONTROL,
    ),
    DocTemplate(
        "internal-audit-programme", "PLN-02", "Internal audit programme", "plan",
        ("9.2.1", "9.2.2"), AIMSProcess.INTERNAL_AUDIT,
    ),
    DocTemplate(
        "management-review", "PRO-05", "Management review procedure", "procedure",
        ("9.3.1", "9.3.2", "9.3.3"), AIMSProcess.MANAGEMENT_REVIEW,
    ),
    DocTemplate(
        "nonconformity", "PRO-06", "Nonconformity and corrective action", "procedure",
        ("10.1", "10.2"), AIMSProcess.IMPROVEMENT,
    ),
    DocTemplate(
        "incident-response", "PLN-03", "AI incident response plan", "plan",
        ("A.8.4", "A.3.3"), AIMSProcess.INCIDENT_MANAGEMENT, review_months=6,
        acknowledgement_roles=["admin", "aims_manager", "contributor"],
    ),
    DocTemplate(
        "data-governance", "PRO-07", "Data governance for AI", "procedure",
        ("A.7.2", "A.7.3", "A.7.4", "A.7.5", "A.7.6", "A.4.3"), AIMSProcess.DATA_GOVERNANCE,
    ),
    DocTemplate(
        "ai-lifecycle", "PRO-08", "Responsible AI development life cycle", "procedure",
        ("8.1", "A.6.1.3", "A.6.2.2", "A.6.2.3", "A.6.2.4", "A.6.2.5", "A.6.2.7", "A.6.2.8"),
        AIMSProcess.AI_LIFECYCLE,
    ),
    DocTemplate(
        "monitoring", "PLN-04", "AI monitoring and measurement plan", "plan",
        ("9.1", "A.6.2.6"), AIMSProcess.MONITORING,
    ),
    DocTemplate(
        "responsible-use", "POL-03", "Responsible use of AI", "policy",
        ("A.9.2", "A.9.3", "A.9.4"), AIMSProcess.LEADERSHIP_AND_POLICY,
        acknowledgement_roles=ALL_INSIDERS, classification="public",
    ),
    DocTemplate(
        "supplier-management", "PRO-09", "AI supplier and customer management", "procedure",
        ("A.10.2", "A.10.3", "A.10.4"), AIMSProcess.SUPPLIER_MANAGEMENT,
    ),
    DocTemplate(
        "communication", "PRO-10", "Communication and external reporting", "procedure",
        ("7.4", "A.8.2", "A.8.3", "A.8.5"), AIMSProcess.LEADERSHIP_AND_POLICY,
    ),
)  # fmt: skip

BY_KEY = {t.key: t for t in TEMPLATES}


def template_for_requirement(urn: str) -> DocTemplate | None:
    """The template whose document satisfies a requirement, for the checklist's create link."""
    for template in TEMPLATES:
        if urn in template.requirement_urns():
            return template
    return None


def _people(members: list[Membership], **match: Any) -> list[str]:
    found = []
    for m in members:
        if all(getattr(m, k) == v for k, v in match.items()):
            found.append(m.user.display_name)
    return found


def _ai_systems(organisation: Any) -> list[str]:
    """Names of the organisation's AI systems in the AIMS scope, from the inventory."""
    try:
        model = apps.get_model("inventory", "AISystem")
    except LookupError:
        return []
    systems = model.objects.filter(organisation_id=organisation.pk)
    if any(f.name == "in_scope" for f in model._meta.get_fields()):
        systems = systems.filter(in_scope=True)
    return list(systems.order_by("name").values_list("name", flat=True))


def live_context(organisation: Any) -> dict[str, Any]:
    members = list(
        Membership.objects.active()
        .select_related("user")
        .filter(organisation_id=organisation.pk)
        .order_by("user__full_name", "user__email")
    )
    owners = {
        process.value: ", ".join(
            m.user.display_name for m in members if process.value in m.owned_processes
        )
        or "the AIMS manager"
        for process in AIMSProcess
    }
    managers = _people(members, role=Role.AIMS_MANAGER.value)
    return {
        "organisation": organisation.name,
        "today": timezone.localdate().isoformat(),
        "top_management": ", ".join(_people(members, is_top_management=True)) or "top management",
        "aims_managers": ", ".join(managers) or "the AIMS manager",
        "internal_auditors": ", ".join(_people(members, role=Role.INTERNAL_AUDITOR.value))
        or "the internal auditor",
        "owners": owners,
        "ai_systems": _ai_systems(organisation),
        "risk_method": (
            "likelihood (1-5) multiplied by impact (1-5), giving a level from 1 to 25; levels of "
            "15 and above are high, 8 to 14 medium, below 8 low"
        ),
    }


def render_template(template: DocTemplate, organisation: Any) -> str:
    """The template's Markdown with the organisation's live data filled in."""
    source = template.path.read_text(encoding="utf-8")
    engine = engines["django"]
    compiled = engine.from_string("{% autoescape off %}" + source + "{% endautoescape %}")
    return compiled.render(live_context(organisation)).strip() + "\n"
