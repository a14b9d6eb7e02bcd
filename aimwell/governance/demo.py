"""Meridian Lending's governance: principles, AIMS roles, RACI, the AI ethics committee with a
meeting and its decisions, and the board's commitment. Additive and idempotent (each row is
looked up first); runs after the context step, whose people and AI systems it names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aimwell.accounts.models import Membership, Organisation
from aimwell.context.demo import (
    ACTOR,
    ADMIN,
    AUDITOR,
    CEO,
    CHAT,
    CREDIT,
    CREDIT_OWNER,
    CV,
    FRAUD,
    MANAGER,
    ML,
    catalog_nodes,
    members_by_email,
    user_of,
)
from aimwell.demo import DemoResult, demo_organisation
from aimwell.governance import services
from aimwell.governance.models import (
    AIMSRole,
    Decision,
    LeadershipCommitment,
    Meeting,
    OversightBody,
    Principle,
)
from aimwell.inventory.models import AISystem

PRINCIPLES: list[dict[str, Any]] = [
    {"name": "Fairness", "statement": "Our AI treats people equitably: we test for and correct "
     "unjustified differences in outcomes between groups.",
     "rationale": "Credit and hiring decisions shape people's lives; anti-discrimination law "
     "applies.", "nodes": ["iso42001:2023:A.5.4"]},
    {"name": "Transparency and explainability", "statement": "People know when AI is used "
     "about them and can get a meaningful explanation of a decision.",
     "rationale": "GDPR Art. 22, Consumer Credit Directive Art. 18 and AI Act Art. 50.",
     "nodes": ["iso42001:2023:A.8.2"]},
    {"name": "Accountability and human oversight", "statement": "A named person is accountable "
     "for every AI system, and people can override it.",
     "rationale": "ISO/IEC 42001 A.3.2; AI Act Art. 14 and 26.",
     "nodes": ["iso42001:2023:A.3.2", "iso42001:2023:A.9.2"]},
    {"name": "Privacy and data protection", "statement": "We use the least personal data "
     "needed, for purposes people were told about.",
     "rationale": "GDPR; customers' trust.", "nodes": ["iso42001:2023:A.7.4"]},
    {"name": "Safety and robustness", "statement": "Our AI is tested before release and "
     "monitored in use, and fails safe.",
     "rationale": "Model risk expectations of supervisors.",
     "nodes": ["iso42001:2023:A.6.2.4"]},
]  # fmt: skip

ROLES: list[dict[str, Any]] = [
    {"name": "AI governance lead", "holders": [MANAGER],
     "responsibilities": "Runs the AIMS: registers, risk method, scope, reporting to top "
     "management.", "authorities": "Approves the AIMS scope and AIMS procedures."},
    {"name": "Top management sponsor", "holders": [CEO],
     "responsibilities": "Owns the AI policy and objectives; chairs management review.",
     "authorities": "Accepts residual risk up to level 25; allocates resources."},
    {"name": "AI system owner", "holders": [CREDIT_OWNER, ML],
     "responsibilities": "Accountable for a system across its life cycle: documentation, "
     "monitoring, incidents.", "authorities": "May suspend their system."},
    {"name": "Internal AIMS auditor", "holders": [AUDITOR],
     "responsibilities": "Plans and runs internal audits; follows up corrective actions.",
     "authorities": "Access to all AIMS records."},
]  # fmt: skip


def _governance_step(result: DemoResult) -> None:
    org = demo_organisation()
    members = members_by_email(org)
    member = members.get
    systems = {s.name: s for s in AISystem.objects.filter(organisation=org)}
    for row in PRINCIPLES:
        if not Principle.objects.filter(organisation=org, name=row["name"]).exists():
            values = {k: v for k, v in row.items() if k != "nodes"}
            principle = services.create_principle(
                org,
                actor=ACTOR,
                status="adopted",
                owner=user_of(member(MANAGER)),
                catalog_nodes=catalog_nodes(org, row["nodes"]),
                **values,
            )
            for system in systems.values():
                if row["name"] in ("Fairness", "Transparency and explainability"):
                    services.link_principle(principle, system, actor=ACTOR)
            result.created.append(f"principle {row['name']}")
    for row in ROLES:
        if not AIMSRole.objects.filter(organisation=org, name=row["name"]).exists():
            holders = [m for m in (member(e) for e in row["holders"]) if m]
            services.create_aims_role(org, actor=ACTOR, **{**row, "holders": holders})
            result.created.append(f"AIMS role {row['name']}")
    _raci(org, members, systems)
    _governance(org, members, result)


def _raci(org: Organisation, members: dict[str, Membership], systems: dict[str, Any]) -> None:
    system_raci = {
        CREDIT: {CREDIT_OWNER: "A", ML: "R", MANAGER: "C", CEO: "I", AUDITOR: "I"},
        FRAUD: {ML: "A", CREDIT_OWNER: "C", MANAGER: "C", AUDITOR: "I"},
        CHAT: {MANAGER: "A", ML: "R", ADMIN: "C", AUDITOR: "I"},
        CV: {CREDIT_OWNER: "A", ML: "R", MANAGER: "C", CEO: "I"},
    }
    process_raci = {
        "context_and_scope": {MANAGER: "A", ADMIN: "R", CEO: "C", AUDITOR: "I"},
        "leadership_and_policy": {CEO: "A", MANAGER: "R", AUDITOR: "I"},
        "risk_management": {MANAGER: "A", CREDIT_OWNER: "R", ML: "R", CEO: "I"},
        "impact_assessment": {MANAGER: "A", CREDIT_OWNER: "R", ML: "C"},
        "ai_lifecycle": {CREDIT_OWNER: "A", ML: "R", MANAGER: "C"},
        "data_governance": {ML: "A", CREDIT_OWNER: "C", MANAGER: "I"},
        "internal_audit": {AUDITOR: "A", MANAGER: "C", CEO: "I"},
        "management_review": {CEO: "A", MANAGER: "R", AUDITOR: "C"},
    }
    for name, cells in system_raci.items():
        if name not in systems:
            continue
        for email, letter in cells.items():
            if email in members:
                services.set_raci(
                    org, member=members[email], letter=letter, system=systems[name], actor=ACTOR
                )
    for process, cells in process_raci.items():
        for email, letter in cells.items():
            if email in members:
                services.set_raci(
                    org, member=members[email], letter=letter, process=process, actor=ACTOR
                )


def _governance(org: Organisation, members: dict[str, Membership], result: DemoResult) -> None:
    body = OversightBody.objects.filter(organisation=org, name="AI ethics committee").first()
    if body is None:
        body = services.create_body(
            org,
            actor=ACTOR,
            name="AI ethics committee",
            kind="ethics_committee",
            chair=members.get(CEO),
            members=[m for e in (CEO, MANAGER, CREDIT_OWNER, ADMIN) if (m := members.get(e))],
            meeting_frequency="Quarterly, and on request of any member",
            terms_of_reference=(
                "Purpose: oversee the responsible use of AI at Meridian Lending.\n\n"
                "- Review impact assessments of high-risk AI systems before deployment.\n"
                "- Decide on ethical questions escalated by system owners or staff.\n"
                "- Monitor fairness results of credit scoring and CV screening.\n"
                "- Report to the board twice a year.\n\n"
                "Quorum: the chair and two members. Decisions by consensus, else by the chair."
            ),
        )
        result.created.append("oversight body AI ethics committee")
    held = dt.date(2026, 9, 15)
    meeting = Meeting.objects.filter(body=body, held_on=held).first()
    if meeting is None:
        meeting = services.record_meeting(
            body,
            actor=ACTOR,
            held_on=held,
            title="Q3 review of high-risk systems",
            attendees=[m for e in (CEO, MANAGER, CREDIT_OWNER) if (m := members.get(e))],
            minutes=(
                "**Present:** Jonas Lindqvist (chair), Priya Raman, Tomás Ferreira.\n\n"
                "1. *CV screening bias audit*: selection-rate ratio for applicants over 50 is "
                "0.72, below our 0.8 threshold.\n"
                "2. *Credit scoring declines*: 3% of declines were reviewed by a person in Q3.\n"
                "3. *Support assistant*: AI disclosure is missing in the mobile app chat."
            ),
        )
        result.created.append("ethics committee meeting")
    decisions = [
        ("CV screening stays in validation until the selection-rate ratio across age bands is "
         "at least 0.8 in a new bias audit.", CREDIT_OWNER, dt.date(2026, 12, 15), "open"),
        ("Every declined credit application above EUR 10,000 gets a human review before the "
         "decision is sent.", CREDIT_OWNER, dt.date(2026, 10, 31), "done"),
        ("The support assistant discloses that it is an AI at the start of every chat, in all "
         "channels (AI Act Art. 50).", MANAGER, dt.date(2026, 10, 15), "open"),
    ]  # fmt: skip
    for text, owner, due, status in decisions:
        if not Decision.objects.filter(body=body, text=text).exists():
            services.record_decision(
                body,
                actor=ACTOR,
                text=text,
                decided_on=held,
                meeting=meeting,
                follow_up_owner=members.get(owner),
                due_date=due,
                status=status,
            )
    commitment = (
        "The board approves the AI policy and the AIMS programme: two full-time roles, a "
        "certification budget of EUR 120,000, and ISO/IEC 42001 certification by Q3 2027."
    )
    if not LeadershipCommitment.objects.filter(organisation=org, commitment=commitment).exists():
        services.record_commitment(
            org,
            actor=ACTOR,
            made_by=members.get(CEO),
            made_on=dt.date(2026, 6, 2),
            commitment=commitment,
            evidence="Board minutes of 2 June 2026, item 4; AI policy v1.0 signed by the CEO.",
        )
        result.created.append("leadership commitment")


STEPS = [_governance_step]
