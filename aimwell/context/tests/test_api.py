"""The API: create, read, change and delete through explicit schemas; validation errors name the
field and write nothing; lists filter, sort and paginate on the server."""

from __future__ import annotations

from aimwell.context.models import ContextIssue, InterestedParty, RaciEntry
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


def test_principles_staff_see_adopted_only_and_links(org, manager, staff, systems, catalog):
    adopted = manager.api(
        "POST",
        "/api/v1/principles",
        {
            "name": "Fairness",
            "statement": "Fair.",
            "status": "adopted",
            "catalog_urns": ["iso42001:2023:A.2.2"],
        },
    )
    assert adopted.status_code == 201, adopted.content
    draft = manager.api("POST", "/api/v1/principles", {"name": "Privacy", "statement": "Private."})
    staff_list = staff.api("GET", "/api/v1/principles").json()
    assert [p["name"] for p in staff_list["items"]] == ["Fairness"]
    assert staff.api("GET", f"/api/v1/principles/{draft.json()['id']}").status_code == 404
    link = manager.api(
        "POST",
        f"/api/v1/principles/{adopted.json()['id']}/links",
        {"object_type": "inventory.aisystem", "object_id": str(systems["credit"].pk)},
    )
    assert link.status_code == 201 and link.json()["object_label"] == "Credit scoring"
    bad = manager.api(
        "POST",
        f"/api/v1/principles/{adopted.json()['id']}/links",
        {"object_type": "inventory.aisystem", "object_id": "nope"},
    )
    assert bad.status_code == 400


def test_raci_api_and_matrix(org, manager, admin, contributor, systems):
    url = "/api/v1/raci"
    a = manager.api(
        "POST",
        url,
        {
            "member_id": str(admin.membership.pk),
            "letter": "A",
            "system_id": str(systems["credit"].pk),
        },
    )
    assert a.status_code == 201, a.content
    second_a = manager.api(
        "POST",
        url,
        {
            "member_id": str(manager.membership.pk),
            "letter": "A",
            "system_id": str(systems["credit"].pk),
        },
    )
    assert second_a.status_code == 400 and "accountable" in second_a.json()["message"]
    both = manager.api(
        "POST",
        url,
        {
            "member_id": str(admin.membership.pk),
            "letter": "R",
            "process": "monitoring",
            "system_id": str(systems["credit"].pk),
        },
    )
    assert both.status_code == 400
    manager.api(
        "POST",
        url,
        {
            "member_id": str(contributor.membership.pk),
            "letter": "R",
            "system_id": str(systems["credit"].pk),
        },
    )
    matrix = manager.api("GET", "/api/v1/raci/matrix?axis=systems").json()
    credit = next(r for r in matrix["rows"] if r["label"] == "Credit scoring")
    assert credit["cells"] == {str(admin.membership.pk): "A", str(contributor.membership.pk): "R"}
    assert credit["has_accountable"] is True
    chatbot = next(r for r in matrix["rows"] if r["label"] == "Support chatbot")
    assert chatbot["has_accountable"] is False
    processes = manager.api("GET", "/api/v1/raci/matrix?axis=processes").json()
    assert len(processes["rows"]) == 14
    assert manager.api("GET", "/api/v1/raci/matrix?axis=colours").status_code == 400
    filtered = manager.api("GET", f"/api/v1/raci?letter=R&system_id={systems['credit'].pk}")
    assert filtered.json()["count"] == 1
    assert RaciEntry.objects.filter(organisation=org).count() == 2


def test_oversight_body_meetings_and_decisions(org, manager, admin):
    body = manager.api(
        "POST",
        "/api/v1/oversight-bodies",
        {
            "name": "AI ethics committee",
            "kind": "ethics_committee",
            "chair_id": str(admin.membership.pk),
            "member_ids": [str(admin.membership.pk), str(manager.membership.pk)],
        },
    ).json()
    assert body["chair"]["name"] == "Admin" and len(body["members"]) == 2
    meeting = manager.api(
        "POST",
        f"/api/v1/oversight-bodies/{body['id']}/meetings",
        {
            "held_on": "2026-03-02",
            "title": "Q1 review",
            "minutes": "Reviewed the chatbot.",
            "attendee_ids": [str(admin.membership.pk)],
        },
    ).json()
    decision = manager.api(
        "POST",
        f"/api/v1/oversight-bodies/{body['id']}/decisions",
        {
            "text": "Add a human review step",
            "decided_on": "2026-03-02",
            "meeting_id": meeting["id"],
            "follow_up_owner_id": str(manager.membership.pk),
            "due_date": "2026-04-01",
        },
    )
    assert decision.status_code == 201, decision.content
    assert decision.json()["follow_up_owner"]["name"] == "Manager"
    listed = manager.api("GET", f"/api/v1/oversight-bodies/{body['id']}/decisions?status=open")
    assert listed.json()["count"] == 1
    shown = manager.api("GET", f"/api/v1/oversight-bodies/{body['id']}").json()
    assert shown["meeting_count"] == 1 and shown["open_decisions"] == 1
    bad_date = manager.api(
        "POST", f"/api/v1/oversight-bodies/{body['id']}/meetings", {"held_on": "yesterday"}
    )
    assert bad_date.status_code == 422 and bad_date.json()["errors"][0]["field"] == "held_on"


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
