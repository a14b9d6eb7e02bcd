"""Demo data: Meridian Lending has chosen a certification body, applied, and planned its stage 1
audit, with the demo external auditor engaged on it (documents, SoA and readiness, risks and two
AI systems in scope). Idempotent: nothing is created twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from aimwell.accounts.models import Membership
from aimwell.certification import services, workspace
from aimwell.certification.choices import Area, AuditKind
from aimwell.certification.models import Engagement, ExternalAudit

MANAGER = "aims.manager@meridian.example"
GUEST = "auditor@certbody.example"
STAGE_1_TITLE = "Stage 1 audit"


def _certification(result: Any) -> None:
    from aimwell.demo import demo_organisation
    from aimwell.documents.models import Document
    from aimwell.inventory.models import AISystem

    org = demo_organisation()
    manager = Membership.objects.filter(organisation=org, user__email=MANAGER).first()
    guest = Membership.objects.filter(organisation=org, user__email=GUEST).first()
    if manager is None or guest is None:
        return
    actor = manager.user
    today = timezone.localdate()
    project = services.project_of(org)
    if project is None:
        project = services.get_or_create_project(org, actor=actor)
        policies = Document.objects.filter(organisation=org, is_retired=False).order_by("title")[:3]
        services.update_project(
            project,
            actor=actor,
            submitted_documents=list(policies),
            body_name="Calder Assurance & Certification",
            accreditation_body="United Kingdom Accreditation Service (UKAS)",
            accreditation_number="CAC-42001-0815",
            contact_name="Dr. Ines Laurent",
            contact_email=GUEST,
            applied_on=today - dt.timedelta(days=20),
            application_notes="Application form, AIMS scope statement, AI policy and the "
            "Statement of Applicability sent for the quote and the stage 1 plan.",
        )
        result.created.append("certification project with Calder Assurance")
    audit = ExternalAudit.objects.filter(project=project, kind=AuditKind.STAGE_1).first()
    if audit is None:
        systems = list(
            AISystem.objects.filter(
                organisation=org, name__in=["Consumer credit scoring", "Customer support assistant"]
            )
        )
        audit = services.plan_audit(
            project,
            actor=actor,
            kind=AuditKind.STAGE_1,
            title=STAGE_1_TITLE,
            planned_start=today + dt.timedelta(days=21),
            planned_end=today + dt.timedelta(days=22),
            scope="Documentation review and readiness for stage 2: scope, AI policy, risk "
            "method, SoA, and the credit scoring and support chatbot systems.",
            areas=[Area.DOCUMENTS, Area.CONTROLS, Area.RISKS, Area.SYSTEMS, Area.CONTEXT],
            all_systems=False,
            systems=systems,
            lead_auditor="Dr. Ines Laurent",
            team="Dr. Ines Laurent\nMarek Nowak (technical expert, machine learning)",
            plan="Day 1: opening meeting, context and scope, policy, documented information.\n"
            "Day 2: risk and impact assessments, SoA, readiness; closing meeting.",
        )
        result.created.append("stage 1 audit")
    if not Engagement.objects.filter(audit=audit, membership=guest).exists():
        workspace.grant_engagement(
            audit,
            actor=actor,
            membership=guest,
            ends_at=timezone.make_aware(
                dt.datetime.combine(audit.planned_end + dt.timedelta(days=14), dt.time(18))
            ),
        )
        result.created.append(f"engagement of {GUEST} on the stage 1 audit")


STEPS = [_certification]
