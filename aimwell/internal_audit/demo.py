"""The demo organisation's audit programmes, audits, checklists and findings (additive and
idempotent, run by `aimwell demo`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from aimwell.improvement import services as improvement
from aimwell.internal_audit import services as audits
from aimwell.internal_audit.models import Audit, AuditProgramme
from aimwell.operations.demo import (
    AUDITOR,
    CEO,
    CREDIT_OWNER,
    MANAGER,
    ai_system,
    catalog_node,
    people,
)

AUDIT_TITLE = "AI life cycle and monitoring audit"


def _audit_cycle(result: Any) -> None:
    from aimwell.demo import demo_organisation

    org = demo_organisation()
    users = people()
    if len(users) < 6 or Audit.objects.filter(organisation=org, title=AUDIT_TITLE).exists():
        return
    today = timezone.localdate()
    programme = AuditProgramme.objects.filter(organisation=org, title="AIMS audits 2026").first()
    if programme is None:
        programme = audits.create_programme(
            org,
            actor=users[MANAGER],
            title="AIMS audits 2026",
            cycle_start=dt.date(today.year, 1, 1),
            cycle_end=dt.date(today.year, 12, 31),
            objectives="Cover every clause and Annex A control once before the stage 2 audit.",
            owner=users[AUDITOR],
        )
        result.created.append("audit programme AIMS audits 2026")
    credit = ai_system(org, "Consumer credit scoring")
    nodes = [n for n in (catalog_node(r) for r in ("8.1", "9.1", "A.6.2.6", "A.8.4")) if n]
    auditor = users[AUDITOR]
    audit = audits.create_audit(
        org,
        actor=users[MANAGER],
        title=AUDIT_TITLE,
        programme=programme,
        scope="Operational planning and control of AI systems, monitoring and measurement, "
        "and incident communication, sampled on the credit scoring system.",
        planned_start=today - dt.timedelta(days=75),
        planned_end=today - dt.timedelta(days=72),
        lead_auditor=auditor,
        requirements=nodes,
        systems=[credit] if credit else [],
    )
    audits.start_audit(audit, actor=auditor)
    reported_on = audit.planned_end  # findings and report dated on the audit's last day
    for index, item in enumerate(audit.checklist.select_related("requirement")):
        ref = item.requirement.ref_id if item.requirement else ""
        result_ = "nonconforming" if ref == "A.6.2.6" and index % 2 == 0 else "conforming"
        if ref == "A.8.4" and result_ == "conforming":
            result_ = "observation"
        audits.assess(
            item,
            actor=auditor,
            result=result_,
            notes="Sampled on the credit scoring system.",
            evidence_reviewed="Release records, monitoring dashboard, interview with the owner",
        )
    major = audits.add_finding(
        audit,
        actor=auditor,
        kind="major_nc",
        title="Deployed credit model not monitored for drift",
        description="No drift or performance monitoring ran on credit-gbm for four months after "
        "deployment; the monitoring plan exists but was never scheduled.",
        requirement=catalog_node("A.6.2.6"),
        system=credit,
        evidence_reviewed="Monitoring job list, release checklist v3, interview with T. Ferreira",
        owner=users[CREDIT_OWNER],
        due_date=today - dt.timedelta(days=30),
        raised_on=reported_on,
    )
    minor = audits.add_finding(
        audit,
        actor=auditor,
        kind="minor_nc",
        title="Incident response procedure still in draft",
        description="The AI incident response procedure is in draft, so staff follow an "
        "unapproved process.",
        requirement=catalog_node("A.8.4"),
        evidence_reviewed="Document register, DOC-incident-response",
        owner=users[MANAGER],
        due_date=today + dt.timedelta(days=20),
        raised_on=reported_on,
    )
    audits.add_finding(
        audit,
        actor=auditor,
        kind="observation",
        title="Monitoring thresholds not justified",
        description="Alert thresholds for fraud detection are set without a recorded rationale.",
        requirement=catalog_node("9.1"),
    )
    audits.add_finding(
        audit,
        actor=auditor,
        kind="ofi",
        title="Automate model card updates",
        description="Model cards could be regenerated from the registry on each release.",
    )
    audits.issue_report(
        audit,
        actor=auditor,
        conclusion="The AI life cycle is planned and controlled, but monitoring of deployed "
        "models is not yet effective (one major nonconformity). Incident communication works "
        "in practice; its procedure must be approved.",
        on=reported_on,
    )
    result.created.append(f"audit {audit.reference} with 4 findings")

    nc = major.nonconformity
    owner = users[CREDIT_OWNER]
    improvement.record_correction(
        nc,
        actor=owner,
        correction="Drift and performance monitoring scheduled weekly for "
        "credit-gbm; a first run showed no material drift.",
        done_on=today - dt.timedelta(days=70),
    )
    improvement.record_root_cause(
        nc,
        actor=owner,
        method="Five whys",
        root_cause="The release checklist had no step to schedule monitoring, so it depended on "
        "memory.",
    )
    action = improvement.add_corrective_action(
        nc,
        actor=owner,
        title="Add 'schedule monitoring' to the release checklist",
        owner=owner,
        due_date=today - dt.timedelta(days=50),
    )
    improvement.complete_action(
        action,
        actor=owner,
        note="Checklist v4 published; applied to two releases.",
        on=today - dt.timedelta(days=52),
    )
    improvement.verify_effectiveness(
        nc,
        actor=auditor,
        result="effective",
        notes="Checked the three releases since: each had monitoring scheduled before go-live.",
        on=today - dt.timedelta(days=20),
    )
    improvement.close_nonconformity(nc, actor=users[MANAGER], on=today - dt.timedelta(days=19))
    result.created.append(f"nonconformity {nc.reference} closed after verification")

    minor_nc = minor.nonconformity
    improvement.record_correction(
        minor_nc,
        actor=users[MANAGER],
        correction="Staff told to follow the draft until approval.",
        done_on=reported_on + dt.timedelta(days=2),
    )
    improvement.record_root_cause(
        minor_nc,
        actor=users[MANAGER],
        method="Interview",
        root_cause="No owner was named for approving the procedure.",
    )
    improvement.add_corrective_action(
        minor_nc,
        actor=users[MANAGER],
        title="Approve and publish the incident procedure",
        owner=users[CEO],
        due_date=today - dt.timedelta(days=3),
    )


STEPS = [_audit_cycle]
