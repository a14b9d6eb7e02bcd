"""Rows in every section of the certification pack, written through each app's services, so the
query-count test can grow the AIMS and see whether gathering the pack grows with it."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from aimwell.catalog.models import RequirementNode
from aimwell.competence import services as training
from aimwell.evidence import services as evidence
from aimwell.governance import services as governance
from aimwell.impact_assessments import services as impact
from aimwell.improvement import services as improvement
from aimwell.internal_audit import services as audits
from aimwell.inventory import services as inventory
from aimwell.inventory.models import AISystem
from aimwell.management_review import services as reviews
from aimwell.objectives import services as objectives
from aimwell.risks.services import method, register, treatment

_n = itertools.count(1)


def iso_node(ref_id: str) -> RequirementNode:
    return RequirementNode.objects.get(
        framework__urn="iso42001:2023", framework__organisation__isnull=True, ref_id=ref_id
    )


def add_rows(
    org: Any, *, owner: Any, auditor: Any, chair: Any, members: list[Any], count: int
) -> None:
    """`count` more of everything the pack lists: AI systems, risks with an action and a control,
    impact assessments, evidence, AIMS roles, oversight bodies, RACI rows, objectives, courses
    and training records, audits with findings, nonconformities with actions, management reviews
    with actions. `owner` owns the systems; `auditor` (who owns none) leads the audits; `chair`
    (top management) chairs the reviews."""
    if method.current_method(org) is None:
        method.publish_method(org, actor="test")
    today = timezone.localdate()
    for _ in range(count):
        i = next(_n)
        system = inventory.create(
            AISystem,
            org,
            actor="test",
            name=f"System {i}",
            purpose=f"Purpose {i}",
            owner=owner,
            lifecycle_stage="deployed",
        )
        risk = register.create_risk(
            org,
            actor="test",
            title=f"Risk {i}",
            system=system,
            custom_source="Training data",
            likelihood=3,
            consequences={"individuals": {"rating": 3, "description": "Unfair refusal"}},
        )
        treatment.add_action(
            risk, actor="test", title=f"Treat {i}", owner=owner, due_date=today - dt.timedelta(1)
        )
        treatment.select_control(risk, actor="test", node=iso_node("A.6.2.6"), rationale="x")
        impact.create_assessment(org, actor="test", system=system, owner=owner)
        evidence.add_link(
            org,
            title=f"Evidence {i}",
            url=f"https://example.com/evidence/{i}",
            actor="test",
            owner=owner,
            requirement_urns=["iso42001:2023:A.6.2.6", "iso42001:2023:9.1"],
        )
        governance.create_aims_role(org, name=f"Role {i}", holders=members, actor="test")
        governance.create_body(
            org, name=f"Body {i}", kind="steering", members=members, chair=members[0], actor="test"
        )
        for member in members:
            governance.set_raci(org, member=member, letter="C", system=system, actor="test")
        objectives.create_objective(
            org,
            actor="test",
            title=f"Objective {i}",
            measure="Share",
            target=90,
            due_date=today + dt.timedelta(days=30),
            owner=owner,
            annex_c=iso_node("C.2.5"),
            systems=[system],
        )
        course = training.create_course(org, actor="test", key=f"course-{i}", title=f"Course {i}")
        training.record_training(course, owner, actor="test", completed_on=today)
        programme = audits.create_programme(
            org,
            actor="test",
            title=f"Programme {i}",
            cycle_start=today,
            cycle_end=today + dt.timedelta(days=300),
            owner=auditor,
        )
        audit = audits.create_audit(
            org,
            actor="test",
            title=f"Audit {i}",
            scope="Monitoring",
            planned_start=today,
            planned_end=today + dt.timedelta(days=2),
            lead_auditor=auditor,
            programme=programme,
            requirements=[iso_node("9.1")],
        )
        audits.start_audit(audit, actor=auditor)
        audits.add_finding(
            audit,
            actor="test",
            kind="minor_nc",
            title=f"Finding {i}",
            description="Not monitored",
            requirement=iso_node("9.1"),
            system=system,
            owner=owner,
            due_date=today + dt.timedelta(days=20),
        )
        nc = improvement.raise_nonconformity(
            org,
            actor="test",
            title=f"Nonconformity {i}",
            description="x",
            source="other",
            owner=owner,
            requirement=iso_node("9.1"),
            systems=[system],
        )
        improvement.record_root_cause(nc, actor="test", method="Five whys", root_cause="No step")
        improvement.add_corrective_action(
            nc, actor="test", title=f"Correct {i}", owner=owner, due_date=today
        )
        review = reviews.plan_review(
            org, actor="test", title=f"Review {i}", planned_on=today, chair=chair
        )
        improvement.add_review_action(
            review, actor="test", title=f"Follow up {i}", owner=owner, due_date=today
        )
