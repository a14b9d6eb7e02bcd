"""Creating a risk through the API with a token: the token and its member are read once per
request (the guest-scope middleware and ninja's TokenAuth share the answer), and the number of
queries does not grow with the risks and systems the organisation already has."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from aimwell.accounts import services as accounts
from aimwell.risks.models import Risk
from aimwell.risks.tests import factories as f

pytestmark = pytest.mark.django_db

BODY = {
    "title": "Prompt injection in the assistant",
    "risk_source": "C.3.7",
    "likelihood": 3,
    "consequences": {"individuals": {"rating": 4}},
}


def _post(client: Client, token: str, title: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            "/api/v1/risks",
            data={**BODY, "title": title},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert response.status_code == 201, response.content[:300]
    return [q["sql"] for q in ctx.captured_queries]


def _reads_of(table: str, queries: list[str]) -> int:
    return sum(1 for sql in queries if sql.startswith("SELECT") and f'FROM "{table}"' in sql)


def test_a_token_request_reads_the_token_and_the_membership_once(catalog, org, manager):
    f.method(org)
    _, token = accounts.create_api_token(
        manager.membership, name="script", expires_at=None, actor=manager.user
    )
    queries = _post(Client(), token, "First")
    assert _reads_of("accounts_apitoken", queries) == 1
    assert _reads_of("accounts_membership", queries) == 1


def test_creating_a_risk_costs_the_same_queries_with_more_risks(catalog, org, manager):
    f.method(org)
    _, token = accounts.create_api_token(
        manager.membership, name="script", expires_at=None, actor=manager.user
    )
    client = Client()
    _post(client, token, "Warm-up")  # first use of the token notes it (touch_token)
    few = _post(client, token, "With few")
    for i in range(6):
        system = f.system(org, name=f"System {i}")
        f.risk(org, title=f"Existing {i}", system=system)
    many = _post(client, token, "With many")
    assert len(many) == len(few)
    # 3 + 6 existing ones, references allocated in order
    assert (
        list(
            Risk.objects.filter(organisation=org)
            .order_by("sequence")
            .values_list("reference", flat=True)
        )[-1]
        == "R-009"
    )
