"""Query counts of every list page and endpoint stay the same when the rows double."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from aimwell.context.services import context as services
from aimwell.context.services import scope as scope_services
from aimwell.governance import services as gov
from aimwell.inventory.models import AISystem

_n = itertools.count()


def _add_rows(org, members, body, count=3):
    for _ in range(count):
        i = next(_n)
        system = AISystem.objects.create(
            organisation=org, name=f"System {i}", purpose="x", eu_role="deployer"
        )
        services.create_issue(
            org,
            title=f"Issue {i}",
            kind="external",
            category="legal",
            systems=[system],
            owner=members[0].user,
            actor="t",
        )
        services.create_party(
            org,
            name=f"Party {i}",
            kind="external",
            category="customers",
            systems=[system],
            actor="t",
        )
        legal = services.create_legal_requirement(org, name=f"Law {i}", kind="law", actor="t")
        services.set_applicability(legal, system, actor="t")
        services.create_objective(org, title=f"Objective {i}", owner=members[0].user, actor="t")
        gov.create_principle(org, name=f"Principle {i}", statement="x", status="adopted", actor="t")
        gov.create_aims_role(org, name=f"Role {i}", holders=members, actor="t")
        gov.create_body(
            org, name=f"Body {i}", kind="steering", members=members, chair=members[0], actor="t"
        )
        meeting = gov.record_meeting(
            body, held_on=dt.date(2026, 1, 1), attendees=members, actor="t"
        )
        gov.record_decision(
            body,
            text=f"Decision {i}",
            decided_on=dt.date(2026, 1, 1),
            meeting=meeting,
            follow_up_owner=members[0],
            actor="t",
        )
        gov.record_commitment(
            org,
            made_by=members[0],
            made_on=dt.date(2026, 1, 1),
            commitment=f"Commitment {i}",
            actor="t",
        )
        for member in members:
            gov.set_raci(org, member=member, letter="C", system=system, actor="t")
        draft = scope_services.start_draft(org, actor="t")
        scope_services.approve_draft(draft, membership=members[0], actor="t")


PAGES = [
    "/context/",
    "/context/issues/",
    "/context/interested-parties/",
    "/context/legal/",
    "/context/objectives/",
    "/context/principles/",
    "/context/aims-roles/",
    "/context/oversight-bodies/",
    "/context/leadership/",
    "/context/raci/?axis=systems",
    "/context/raci/?axis=processes",
    "/context/ai-roles/",
    "/context/scope/",
    "/context/issues/export.csv",
    "/context/legal/export.csv",
    "/context/aims-roles/export.csv",
    "/context/oversight-bodies/export.csv",
]
ENDPOINTS = [
    "/api/v1/context/issues",
    "/api/v1/interested-parties",
    "/api/v1/legal-requirements",
    "/api/v1/objectives",
    "/api/v1/principles",
    "/api/v1/aims-roles",
    "/api/v1/oversight-bodies",
    "/api/v1/leadership-commitments",
    "/api/v1/raci",
    "/api/v1/raci/matrix?axis=systems",
    "/api/v1/context/ai-roles",
    "/api/v1/scope",
    "/api/v1/scope/versions",
    "BODY/meetings",
    "BODY/decisions",
]


@pytest.fixture
def grow(org, admin, manager, contributor):
    members = [admin.membership, manager.membership, contributor.membership]
    body = gov.create_body(org, name="Ethics", kind="ethics_committee", actor="t")
    return lambda: _add_rows(org, members, body), body


@pytest.mark.parametrize("url", PAGES + ENDPOINTS)
def test_query_count_does_not_grow_with_rows(url, grow, manager, count_queries):
    add, body = grow
    url = url.replace("BODY", f"/api/v1/oversight-bodies/{body.pk}")
    get = (
        (lambda: manager.client.get(url))
        if url.startswith("/context")
        else (lambda: manager.api("GET", url))
    )
    add()
    get()  # warm the session and membership caches
    few = count_queries(get)
    add()
    add()
    many = count_queries(get)
    assert many == few, (url, few, many)
