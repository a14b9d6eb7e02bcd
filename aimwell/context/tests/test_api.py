"""The API: create, read, change and delete through explicit schemas; validation errors name the
field and write nothing; lists filter, sort and paginate on the server."""

from __future__ import annotations

from aimwell.context.models import ContextIssue, InterestedParty
from aimwell.core.models import AuditEvent


def test_issue_crud_with_systems(org, manager, staff, systems):
    created = manager.api(
        "POST",
        "/api/v1/context/issues",
        {
            "title": "EU AI Act",
            "kind": "external",
            "category": "legal",
            "effect": "High-risk duties",
            "owner_id": str(manager.user.pk),
            "system_ids": [str(systems["credit"].pk)],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["owner"]["email"] == manager.user.email
    assert body["systems"] == [
        {
            "id": str(systems["credit"].pk),
            "name": "Credit scoring",
            "eu_role": "provider",
            "in_scope": True,
        }
    ]
    url = f"/api/v1/context/issues/{body['id']}"
    patched = manager.api("PATCH", url, {"effect": "Changed", "system_ids": []})
    assert patched.json()["effect"] == "Changed" and patched.json()["systems"] == []
    assert staff.api("GET", url).status_code == 403
    assert manager.api("DELETE", url).status_code == 204
    assert manager.api("GET", url).status_code == 404


def test_validation_errors_name_the_field_and_write_nothing(org, manager, other_org, systems):
    before = AuditEvent.objects.filter(organisation=org).count()
    bad_choice = manager.api(
        "POST", "/api/v1/context/issues", {"title": "X", "kind": "sideways", "category": "legal"}
    )
    assert bad_choice.status_code == 422
    assert bad_choice.json()["errors"][0]["field"] == "kind"
    missing = manager.api("POST", "/api/v1/interested-parties", {"kind": "external"})
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} == {"name", "category"}
    from aimwell.inventory.models import AISystem

    foreign = AISystem.objects.create(organisation=other_org, name="Theirs", purpose="x")
    cross = manager.api(
        "POST",
        "/api/v1/context/issues",
        {"title": "X", "kind": "external", "category": "legal", "system_ids": [str(foreign.pk)]},
    )
    assert cross.status_code == 400 and "system_ids" in cross.json()["message"]
    bad_url = manager.api(
        "POST", "/api/v1/legal-requirements", {"name": "GDPR", "kind": "law", "url": "nope"}
    )
    assert bad_url.status_code == 400 and "URL" in bad_url.json()["message"]
    bad_urn = manager.api(
        "POST",
        "/api/v1/legal-requirements",
        {"name": "GDPR", "kind": "law", "catalog_urns": ["eu-ai-act:2024:art-999"]},
    )
    assert bad_urn.status_code == 400 and "art-999" in bad_urn.json()["message"]
    manager.api(
        "POST",
        "/api/v1/interested-parties",
        {"name": "Borrowers", "kind": "external", "category": "customers"},
    )
    dup = manager.api(
        "POST",
        "/api/v1/interested-parties",
        {"name": "Borrowers", "kind": "external", "category": "customers"},
    )
    assert dup.status_code == 400 and "already exists" in dup.json()["message"]
    assert InterestedParty.objects.filter(organisation=org).count() == 1
    assert not ContextIssue.objects.filter(organisation=org).exists()
    assert AuditEvent.objects.filter(organisation=org).count() == before + 1


def test_lists_filter_sort_and_paginate(org, manager):
    for i, (kind, cat) in enumerate(
        [("external", "legal"), ("internal", "social"), ("external", "economic")] * 4
    ):
        manager.api(
            "POST",
            "/api/v1/context/issues",
            {"title": f"Issue {i:02d}", "kind": kind, "category": cat},
        )
    page = manager.api("GET", "/api/v1/context/issues?limit=5&offset=0").json()
    assert page["count"] == 12 and len(page["items"]) == 5
    assert page["items"][0]["title"] == "Issue 00"
    external = manager.api("GET", "/api/v1/context/issues?kind=external&sort=-title").json()
    assert external["count"] == 8 and external["items"][0]["title"] == "Issue 11"
    found = manager.api("GET", "/api/v1/context/issues?q=issue 07").json()
    assert [i["title"] for i in found["items"]] == ["Issue 07"]
    bad = manager.api("GET", "/api/v1/context/issues?sort=colour")
    assert bad.status_code == 400 and "Sort: choose one of" in bad.json()["message"]


def test_legal_register_with_applicability_and_catalog(org, manager, systems, catalog):
    created = manager.api(
        "POST",
        "/api/v1/legal-requirements",
        {
            "name": "EU AI Act",
            "kind": "regulation",
            "jurisdiction": "EU",
            "url": "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
            "catalog_urns": ["eu-ai-act:2024:art-26"],
        },
    )
    assert created.status_code == 201, created.content
    req = created.json()
    assert req["catalog_nodes"][0]["urn"] == "eu-ai-act:2024:art-26"
    url = f"/api/v1/legal-requirements/{req['id']}/systems/{systems['credit'].pk}"
    applies = manager.api("PUT", url, {"note": "Provider of a high-risk system"})
    assert applies.status_code == 200 and applies.json()["system"]["eu_role"] == "provider"
    shown = manager.api("GET", f"/api/v1/legal-requirements/{req['id']}").json()
    assert shown["applicability"][0]["note"] == "Provider of a high-risk system"
    assert manager.api("DELETE", url).status_code == 204
    assert manager.api("DELETE", url).status_code == 400


def test_ai_roles_endpoint_lists_all_five(org, manager):
    manager.api("PUT", "/api/v1/context/ai-roles/ai_provider", {"note": "We build models"})
    roles = manager.api("GET", "/api/v1/context/ai-roles").json()
    assert [r["role"] for r in roles] == [
        "ai_provider",
        "ai_producer",
        "ai_customer",
        "ai_partner",
        "ai_subject",
    ]
    assert roles[0] == {
        "role": "ai_provider",
        "label": "AI provider",
        "declared": True,
        "note": "We build models",
    }
    assert manager.api("PUT", "/api/v1/context/ai-roles/ai_overlord", {}).status_code == 422


def test_contributor_and_auditors_cannot_write(
    org, contributor, internal_auditor, external_auditor
):
    for actor in (contributor, internal_auditor, external_auditor):
        response = actor.api("POST", "/api/v1/objectives", {"title": f"By {actor.name}"})
        assert response.status_code == 403, actor.name
    assert contributor.api("GET", "/api/v1/objectives").status_code == 200


def test_registers_filter_by_ai_system(org, manager, systems):
    from aimwell.context.services import context as services

    gdpr = services.create_legal_requirement(org, name="GDPR", kind="regulation", actor="t")
    services.create_legal_requirement(org, name="AGG", kind="law", actor="t")
    services.set_applicability(gdpr, systems["chatbot"], actor="t")
    services.create_issue(
        org,
        title="Bias",
        kind="external",
        category="social",
        systems=[systems["credit"]],
        actor="t",
    )
    services.create_issue(org, title="Skills", kind="internal", category="social", actor="t")
    legal = manager.api("GET", f"/api/v1/legal-requirements?system={systems['chatbot'].pk}")
    assert [r["name"] for r in legal.json()["items"]] == ["GDPR"]
    issues = manager.api("GET", f"/api/v1/context/issues?system={systems['credit'].pk}")
    assert [r["title"] for r in issues.json()["items"]] == ["Bias"]
    assert manager.api("GET", "/api/v1/context/issues?system=nope").status_code == 422
    page = manager.client.get(f"/context/legal/?system={systems['chatbot'].pk}")
    assert b"GDPR" in page.content and b"AGG" not in page.content
    assert manager.client.get("/context/legal/?system=nope").status_code == 302


def test_sort_by_review_date_puts_never_reviewed_first(org, manager):
    import datetime as dt

    from aimwell.context.services import context as services

    services.create_issue(
        org,
        title="Recent",
        kind="external",
        category="legal",
        last_reviewed=dt.date(2026, 10, 1),
        actor="t",
    )
    services.create_issue(
        org,
        title="Old",
        kind="external",
        category="legal",
        last_reviewed=dt.date(2025, 1, 1),
        actor="t",
    )
    services.create_issue(org, title="Never", kind="external", category="legal", actor="t")
    titles = [
        i["title"]
        for i in manager.api("GET", "/api/v1/context/issues?sort=reviewed").json()["items"]
    ]
    assert titles == ["Never", "Old", "Recent"]
    titles = [
        i["title"]
        for i in manager.api("GET", "/api/v1/context/issues?sort=-reviewed").json()["items"]
    ]
    assert titles == ["Recent", "Old", "Never"]
