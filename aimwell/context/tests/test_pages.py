"""Pages: every register lists, filters and pages on the server; forms create and edit through
the services; invalid input shows the message and writes nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from aimwell.context.models import ContextIssue, LegalRequirement, OrganisationAIRole, RaciEntry
from aimwell.context.pages import PAGES
from aimwell.context.services import context as services
from aimwell.context.services import governance as gov
from aimwell.core.models import AuditEvent
from aimwell.inventory.models import AISystem


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


@pytest.mark.parametrize("key", list(PAGES))
def test_every_register_lists_and_shows(filled, manager, key):
    page = PAGES[key]
    listing = manager.client.get(f"/context/{page.slug}/")
    assert listing.status_code == 200
    assert str(filled[key]).encode()[:40] in listing.content
    detail = manager.client.get(f"/context/{page.slug}/{filled[key].pk}/")
    assert detail.status_code == 200
    assert manager.client.get(f"/context/{page.slug}/new/").status_code == 200
    assert manager.client.get(f"/context/{page.slug}/{filled[key].pk}/edit/").status_code == 200


def test_filters_sort_and_htmx_partial(filled, manager):
    page = manager.client.get("/context/issues/?kind=internal")
    assert b"Skills gap" in page.content and b"AI Act obligations" not in page.content
    partial = manager.client.get("/context/issues/?q=skills", HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"Skills gap" in partial.content
    bad = manager.client.get("/context/issues/?sort=colour")
    assert bad.status_code == 302


def test_pagination(org, manager):
    for i in range(30):
        services.create_objective(org, title=f"Objective {i:02d}", actor="t")
    first = manager.client.get("/context/objectives/")
    assert b"Objective 24" in first.content and b"Objective 25" not in first.content
    assert b"page 1 of 2" in first.content
    second = manager.client.get("/context/objectives/?page=2")
    assert b"Objective 29" in second.content


def test_create_through_the_form(org, manager, systems):
    response = manager.post(
        "/context/issues/new/",
        {
            "title": "New consumer-credit directive",
            "kind": "external",
            "category": "legal",
            "effect": "Explainability of credit decisions",
            "is_active": "on",
            "systems": [str(systems["credit"].pk)],
        },
    )
    issue = ContextIssue.objects.get(organisation=org)
    assert response.status_code == 302 and response["Location"].endswith(f"{issue.pk}/")
    assert list(issue.systems.all()) == [systems["credit"]]
    assert AuditEvent.objects.filter(action="context_issue.created", actor_id=manager.user.pk)


def test_invalid_form_shows_errors_and_writes_nothing(org, manager):
    response = manager.post("/context/legal/new/", {"name": "", "kind": "law", "url": "nope"})
    assert response.status_code == 200
    assert b"This field is required." in response.content
    assert b"Enter a valid URL." in response.content
    response = manager.post(
        "/context/legal/new/",
        {"name": "EU AI Act", "kind": "regulation", "catalog_urns": "eu-ai-act:2024:art-999"},
    )
    assert b"No catalog requirement" in response.content
    services.create_legal_requirement(org, name="GDPR", kind="regulation", actor="t")
    dup = manager.post("/context/legal/new/", {"name": "gdpr", "kind": "regulation"})
    assert b"already exists" in dup.content
    assert LegalRequirement.objects.filter(organisation=org).count() == 1


def test_edit_records_only_the_change(filled, manager):
    issue = filled["issues"]
    response = manager.post(
        f"/context/issues/{issue.pk}/edit/",
        {
            "title": issue.title,
            "kind": "external",
            "category": "legal",
            "effect": "Now known",
            "is_active": "on",
            "systems": [str(s.pk) for s in issue.systems.all()],
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="context_issue.updated").get()
    assert '"effect"' in event.changes and '"title"' not in event.changes


def test_delete_asks_then_deletes(filled, manager):
    issue = filled["issues"]
    assert b"Delete" in manager.client.get(f"/context/issues/{issue.pk}/delete/").content
    assert manager.post(f"/context/issues/{issue.pk}/delete/").status_code == 302
    assert not ContextIssue.objects.filter(pk=issue.pk).exists()


def test_staff_read_adopted_principles_only(filled, staff):
    page = staff.client.get("/context/principles/")
    assert b"Fairness" in page.content and b"Secret draft" not in page.content
    assert staff.client.get("/context/issues/").status_code == 403
    home = staff.client.get("/context/")
    assert home.status_code == 200 and b"Legal register" not in home.content


def test_home_counts_and_links(filled, manager):
    home = manager.client.get("/context/")
    assert b"external / internal issues" in home.content
    assert b"no approved scope yet" in home.content


def test_ai_roles_page_saves_roles_and_shows_eu_roles(org, manager, systems):
    page = manager.client.get("/context/ai-roles/")
    assert b"Provider" in page.content and b"Deployer" in page.content
    assert b"Internal experiments on synthetic data" in page.content
    manager.post(
        "/context/ai-roles/",
        {
            "ai_provider-declared": "on",
            "ai_provider-note": "We build credit models",
            "ai_customer-declared": "on",
        },
    )
    assert set(OrganisationAIRole.objects.values_list("role", flat=True)) == {
        "ai_provider",
        "ai_customer",
    }
    manager.post("/context/ai-roles/", {"ai_customer-declared": "on"})
    assert list(OrganisationAIRole.objects.values_list("role", flat=True)) == ["ai_customer"]


def test_legal_applicability_on_the_page(filled, manager, systems):
    legal = filled["legal"]
    manager.post(
        f"/context/legal/{legal.pk}/applies/",
        {"system": str(systems["chatbot"].pk), "note": "Chat logs"},
    )
    page = manager.client.get(f"/context/legal/{legal.pk}/")
    assert b"Support chatbot" in page.content and b"Chat logs" in page.content
    manager.post(f"/context/legal/{legal.pk}/applies/{systems['chatbot'].pk}/remove/")
    assert legal.applicability.count() == 1


def test_raci_matrix_page_and_form(org, manager, admin, systems):
    set_ = manager.post(
        "/context/raci/set/",
        {
            "subject": f"system:{systems['credit'].pk}",
            "member": str(admin.membership.pk),
            "letter": "A",
        },
    )
    assert set_.status_code == 302
    page = manager.client.get("/context/raci/?axis=systems")
    assert b'<strong title="Accountable">A</strong>' in page.content
    assert b"no one accountable" in page.content  # the chatbot
    manager.post(
        "/context/raci/set/",
        {
            "subject": f"system:{systems['credit'].pk}",
            "member": str(admin.membership.pk),
            "letter": "",
        },
    )
    assert not RaciEntry.objects.exists()
    processes = manager.client.get("/context/raci/?axis=processes")
    assert b"Risk management" in processes.content


def test_body_meeting_and_decision_pages(filled, manager, admin):
    body = filled["bodies"]
    page = manager.client.get(f"/context/oversight-bodies/{body.pk}/")
    assert b"Kick-off" in page.content and b"Adopt the charter" in page.content
    meeting = manager.client.get(f"/context/meetings/{filled['meeting'].pk}/")
    assert b"<strong>Agreed</strong>" in meeting.content
    created = manager.post(
        f"/context/oversight-bodies/{body.pk}/meetings/new/",
        {
            "held_on": "2026-03-01",
            "title": "Q1",
            "minutes": "x",
            "attendees": [str(admin.membership.pk)],
        },
    )
    assert created.status_code == 302
    decided = manager.post(
        f"/context/oversight-bodies/{body.pk}/decisions/new/",
        {
            "text": "Pause CV screening",
            "decided_on": "2026-03-01",
            "status": "open",
            "follow_up_owner": str(admin.membership.pk),
            "due_date": "2026-04-01",
        },
    )
    assert decided.status_code == 302
    assert body.decisions.count() == 2


def test_principle_links_on_the_page(filled, manager, systems, other_org):
    principle = filled["principles"]
    page = manager.client.get(f"/context/principles/{principle.pk}/").content.decode()
    # A picker searches the records; the page no longer lists every one of them.
    assert "Search records of that kind by name" in page and "Credit scoring" not in page
    pick = f"/context/principles/{principle.pk}/links/pick/"
    found = manager.client.get(pick, {"object_type": "inventory.aisystem", "q": "credit"})
    assert re.findall(r'data-value="([^"]+)"', found.content.decode()) == [
        str(systems["credit"].pk)
    ]
    unknown = manager.client.get(pick, {"object_type": "accounts.user", "q": "a"})
    assert "data-value" not in unknown.content.decode()
    manager.post(
        f"/context/principles/{principle.pk}/links/",
        {"object_type": "inventory.aisystem", "target_id": str(systems["credit"].pk)},
    )
    link = principle.links.get()
    assert link.object_label == "Credit scoring" and link.kind_label == "AI system"
    foreign = AISystem.objects.create(organisation=other_org, name="Credit abroad", purpose="x")
    for bad in (
        {"object_type": "accounts.user", "target_id": str(manager.user.pk)},
        {"object_type": "inventory.aisystem", "target_id": str(foreign.pk)},
        {"object_type": "inventory.aisystem", "target_id": ""},
    ):
        assert manager.post(f"/context/principles/{principle.pk}/links/", bad).status_code == 302
    assert principle.links.count() == 1
    assert (
        "credit abroad"
        not in manager.client.get(pick, {"object_type": "inventory.aisystem", "q": "credit"})
        .content.decode()
        .lower()
    )
    manager.post(f"/context/principles/{principle.pk}/links/{link.pk}/remove/")
    assert not principle.links.exists()


def test_overdue_decisions_are_flagged(filled, manager):
    gov.record_decision(
        filled["bodies"],
        text="Late follow-up",
        decided_on=dt.date(2020, 1, 1),
        due_date=dt.date(2020, 2, 1),
        actor="t",
    )
    page = manager.client.get(f"/context/oversight-bodies/{filled['bodies'].pk}/")
    assert b"overdue" in page.content


def test_csv_export_follows_the_filters(filled, manager, systems):
    response = manager.client.get("/context/legal/export.csv?kind=regulation")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Requirement,Kind,Jurisdiction")
    assert lines[1].startswith("GDPR,Regulation") and lines[1].endswith("Credit scoring: Art. 22")
    issues = manager.client.get("/context/issues/export.csv?kind=internal").content.decode()
    assert "Skills gap" in issues and "AI Act obligations" not in issues


def test_edit_keeps_catalog_links_and_records_nothing_when_unchanged(org, manager, catalog):
    from aimwell.catalog.querysets import node_by_urn

    node = node_by_urn(org, "eu-ai-act:2024:art-26")
    legal = services.create_legal_requirement(
        org, name="EU AI Act", kind="regulation", catalog_nodes=[node], actor="t"
    )
    form = manager.client.get(f"/context/legal/{legal.pk}/edit/")
    assert b"eu-ai-act:2024:art-26" in form.content
    response = manager.post(
        f"/context/legal/{legal.pk}/edit/",
        {
            "name": "EU AI Act",
            "kind": "regulation",
            "is_active": "on",
            "catalog_urns": "eu-ai-act:2024:art-26",
        },
    )
    assert response.status_code == 302
    assert list(legal.catalog_nodes.all()) == [node]
    assert not AuditEvent.objects.filter(action="legal_requirement.updated").exists()
