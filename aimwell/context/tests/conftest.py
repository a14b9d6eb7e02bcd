"""Fixtures of the context (and governance) tests: AI systems of the organisation (the register
is the lead's; tests create rows directly), one row of every register, and a helper that counts
queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aimwell.context.services import context as services
from aimwell.governance import services as gov
from aimwell.inventory.models import AISystem, Supplier


@pytest.fixture
def systems(org: Any, contributor: Any) -> dict[str, AISystem]:
    bureau = Supplier.objects.create(
        organisation=org, name="Credit Bureau Ltd", provides="Credit reference data"
    )
    credit = AISystem.objects.create(
        organisation=org,
        name="Credit scoring",
        purpose="Scores loan applications",
        business_unit="Retail lending",
        geography="EU, UK",
        eu_role="provider",
        lifecycle_stage="deployed",
        owner=contributor.user,
    )
    credit.suppliers.add(bureau)
    chatbot = AISystem.objects.create(
        organisation=org,
        name="Support chatbot",
        purpose="Answers customer questions",
        business_unit="Customer service",
        geography="EU",
        eu_role="deployer",
    )
    lab = AISystem.objects.create(
        organisation=org,
        name="Research sandbox",
        purpose="Experiments",
        in_scope=False,
        scope_reason="Internal experiments on synthetic data; no decisions about people",
    )
    return {"credit": credit, "chatbot": chatbot, "lab": lab}


@pytest.fixture
def count_queries() -> Callable[[Callable[[], Any]], int]:
    def run(call: Callable[[], Any]) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = call()
        assert getattr(response, "status_code", 200) == 200, response
        return len(captured)

    return run


@pytest.fixture
def filled(org, admin, manager, systems):
    issue = services.create_issue(
        org,
        title="AI Act obligations",
        kind="external",
        category="legal",
        systems=[systems["credit"]],
        actor="t",
    )
    services.create_issue(
        org, title="Skills gap", kind="internal", category="organisational", actor="t"
    )
    party = services.create_party(
        org, name="Borrowers", kind="external", category="customers", is_requirement=True, actor="t"
    )
    legal = services.create_legal_requirement(org, name="GDPR", kind="regulation", actor="t")
    services.set_applicability(legal, systems["credit"], note="Art. 22", actor="t")
    objective = services.create_objective(org, title="Responsible growth", actor="t")
    principle = gov.create_principle(
        org, name="Fairness", statement="Fair.", status="adopted", actor="t"
    )
    gov.create_principle(org, name="Secret draft", statement="Draft.", actor="t")
    role = gov.create_aims_role(
        org, name="AI governance lead", holders=[manager.membership], actor="t"
    )
    body = gov.create_body(
        org,
        name="AI ethics committee",
        kind="ethics_committee",
        members=[admin.membership],
        chair=admin.membership,
        actor="t",
    )
    meeting = gov.record_meeting(
        body,
        held_on=dt.date(2026, 2, 1),
        title="Kick-off",
        minutes="**Agreed** the charter",
        actor="t",
    )
    gov.record_decision(
        body, text="Adopt the charter", decided_on=dt.date(2026, 2, 1), meeting=meeting, actor="t"
    )
    commitment = gov.record_commitment(
        org,
        made_by=manager.membership,
        made_on=dt.date(2026, 1, 15),
        commitment="Resource the AIMS",
        actor="t",
    )
    return {
        "issues": issue,
        "parties": party,
        "legal": legal,
        "objectives": objective,
        "principles": principle,
        "roles": role,
        "bodies": body,
        "commitments": commitment,
        "meeting": meeting,
    }
