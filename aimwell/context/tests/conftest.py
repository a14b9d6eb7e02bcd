"""Fixtures of the context tests: AI systems of the organisation (the register is the lead's;
tests create rows directly), and a helper that counts queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
