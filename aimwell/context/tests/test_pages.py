"""Pages: every register lists, filters and pages on the server; forms create and edit through
the services; invalid input shows the message and writes nothing."""

from __future__ import annotations

import pytest

from aimwell.context.models import ContextIssue, LegalRequirement, OrganisationAIRole
from aimwell.context.pages import PAGES
from aimwell.context.services import context as services
from aimwell.core.models import AuditEvent


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
