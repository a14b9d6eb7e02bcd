"""The scope statement: drafted from live data, edited, approved into immutable versions, every
version kept; staff read only what is approved."""

from __future__ import annotations

import pytest

from aimwell.context.errors import ContextError
from aimwell.context.models import ScopeVersion
from aimwell.context.services import context as ctx_services
from aimwell.context.services import scope as services
from aimwell.core.markdown import render_markdown


def test_draft_is_built_from_live_data(org, systems):
    ctx_services.set_ai_role(org, "ai_provider", note="We build credit models", actor="t")
    ctx_services.set_ai_role(org, "ai_customer", actor="t")
    ctx_services.create_legal_requirement(org, name="GDPR", kind="regulation", actor="t")
    ctx_services.create_party(
        org,
        name="Borrowers",
        kind="external",
        category="customers",
        is_requirement=True,
        actor="t",
    )
    ctx_services.create_issue(org, title="AI Act", kind="external", category="legal", actor="t")
    text = services.draft_text(services.scope_facts(org), today="2026-11-26")
    assert "# Scope of the AI management system of Meridian Test" in text
    assert "| Credit scoring | Provider | Retail lending | EU, UK | Deployed |" in text
    assert "| Support chatbot | Deployer | Customer service | EU |" in text
    assert "Research sandbox" not in text.split("## Exclusions")[0]
    assert "- **Research sandbox**: Internal experiments on synthetic data" in text
    assert "- **AI provider**: We build credit models" in text
    assert "- **AI customer**" in text
    assert "Business units: Customer service, Retail lending" in text
    assert "Geographies: EU, UK" in text
    assert "Credit Bureau Ltd (Credit reference data), used by Credit scoring" in text
    assert "1 external and 0 internal issues" in text
    assert "Requirements of interested parties: Borrowers." in text
    assert "Legal, regulatory and contractual requirements: GDPR." in text


def test_draft_with_nothing_recorded_says_so(org):
    text = services.draft_text(services.scope_facts(org))
    assert "No AI system is recorded as in scope yet." in text
    assert "None: every AI system in the register is in scope." in text


def test_versions_draft_approve_immutable_and_next_draft_from_latest(org, manager, systems):
    draft = services.start_draft(org, actor=manager.user)
    assert draft.number == 1 and draft.status == "draft"
    assert "Credit scoring" in draft.text
    with pytest.raises(ContextError, match="already open"):
        services.start_draft(org, actor=manager.user)
    services.update_draft(draft, text="# Our scope\n\nEdited.\n", change_note="first", actor="m")
    v1 = services.approve_draft(draft, membership=manager.membership, actor=manager.user)
    assert v1.status == "approved" and v1.approved_by == manager.user
    # Approved versions never change.
    with pytest.raises(ContextError, match="approved and cannot change"):
        services.update_draft(v1, text="tampered", actor="m")
    v1.text = "tampered"
    with pytest.raises(PermissionError):
        v1.save()
    with pytest.raises(PermissionError):
        ScopeVersion.objects.get(pk=v1.pk).delete()
    # The next draft starts from the latest approved text, not from live data.
    draft2 = services.start_draft(org, actor=manager.user)
    assert draft2.number == 2 and draft2.text == "# Our scope\n\nEdited.\n"
    services.regenerate_draft(draft2, actor=manager.user)
    assert "Credit scoring" in draft2.text
    services.approve_draft(draft2, membership=manager.membership, actor=manager.user)
    assert list(ScopeVersion.objects.filter(organisation=org).values_list("number", "status")) == [
        (2, "approved"),
        (1, "approved"),
    ]
    assert ScopeVersion.objects.get(organisation=org, number=1).text == "# Our scope\n\nEdited.\n"


def test_only_managers_approve_and_empty_text_is_refused(org, contributor, manager):
    draft = services.start_draft(org, actor=manager.user)
    with pytest.raises(ContextError, match="Only an admin or an AIMS manager"):
        services.approve_draft(draft, membership=contributor.membership, actor=contributor.user)
    with pytest.raises(ContextError, match="cannot be empty"):
        services.update_draft(draft, text="   ", actor=manager.user)
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.text.strip()


def test_discarded_draft_leaves_approved_versions(org, manager):
    draft = services.start_draft(org, actor=manager.user)
    services.approve_draft(draft, membership=manager.membership, actor=manager.user)
    second = services.start_draft(org, actor=manager.user)
    services.discard_draft(second, actor=manager.user)
    assert services.current_draft(org) is None
    assert services.latest_approved(org).number == 1
    assert services.start_draft(org, actor=manager.user).number == 2


def test_changes_since_approval_are_listed(org, manager, systems):
    draft = services.start_draft(org, actor=manager.user)
    services.approve_draft(draft, membership=manager.membership, actor=manager.user)
    systems["lab"].in_scope = True
    systems["lab"].save()
    systems["chatbot"].eu_role = "provider"
    systems["chatbot"].save()
    ctx_services.set_ai_role(org, "ai_producer", actor="t")
    changes = services.facts_changes(draft.generated_from, services.scope_facts(org))
    assert "Research sandbox is now in scope." in changes
    assert "Support chatbot: EU AI Act role is now Provider." in changes
    assert "New AI role: AI producer." in changes


def test_markdown_is_sanitised():
    html = render_markdown(
        "# Title\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) **bold**\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert "<script" not in html and 'href="javascript' not in html
    assert "<strong>bold</strong>" in html and "<table>" in html and "<h1>Title</h1>" in html


def test_api_scope_flow_and_staff_sees_only_approved(org, manager, staff, systems):
    assert manager.api("GET", "/api/v1/scope/draft").status_code == 404
    started = manager.api("POST", "/api/v1/scope/draft", {"from_live_data": True})
    assert started.status_code == 201, started.content
    assert "Credit scoring" in started.json()["text"]
    edited = manager.api("PATCH", "/api/v1/scope/draft", {"text": "# Scope\n\n<b>x</b> ok\n"})
    assert edited.status_code == 200
    assert "<b>" not in edited.json()["html"]
    assert staff.api("GET", "/api/v1/scope/draft").status_code == 403
    assert staff.api("GET", "/api/v1/scope").json()["draft"] is None
    assert staff.api("GET", "/api/v1/scope/versions/1").status_code == 404
    approved = manager.api("POST", "/api/v1/scope/draft/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert staff.api("GET", "/api/v1/scope/versions/1").status_code == 200
    again = manager.api("POST", "/api/v1/scope/draft", {})
    assert again.json()["text"] == "# Scope\n\n<b>x</b> ok\n"
    conflict = manager.api("POST", "/api/v1/scope/draft", {})
    assert conflict.status_code == 400 and "already open" in conflict.json()["message"]
    versions = manager.api("GET", "/api/v1/scope/versions").json()
    assert [v["number"] for v in versions["items"]] == [2, 1]
    assert [v["number"] for v in staff.api("GET", "/api/v1/scope/versions").json()["items"]] == [1]


def test_scope_pages(org, manager, staff, systems):
    start = manager.post("/context/scope/draft/start/", {"source": "live"})
    assert start.status_code == 302 and start["Location"] == "/context/scope/draft/"
    page = manager.client.get("/context/scope/draft/")
    assert b"Credit scoring" in page.content
    saved = manager.post(
        "/context/scope/draft/", {"text": "# Scope\n\nAll lending AI.\n", "change_note": "v1"}
    )
    assert saved.status_code == 302
    assert manager.post("/context/scope/draft/approve/").status_code == 302
    scope_page = staff.client.get("/context/scope/")
    assert b"All lending AI." in scope_page.content and b"approved" in scope_page.content
    manager.post("/context/scope/draft/start/", {"source": "latest"})
    manager.post("/context/scope/draft/", {"text": "# Scope\n\nAll lending AI, and HR.\n"})
    manager.post("/context/scope/draft/approve/")
    diff_page = manager.client.get("/context/scope/v/2/")
    assert b"+All lending AI, and HR." in diff_page.content
    assert b"-All lending AI." in diff_page.content
    preview = manager.client.get("/context/scope/preview/")
    assert b"Research sandbox" in preview.content


def test_geographies_are_split_outside_brackets_and_roles_keep_their_order(org):
    from aimwell.context.services.scope import _places

    assert _places(["EU (Germany, Netherlands)", "EU", "Germany; UK", "eu, UK"]) == [
        "EU",
        "EU (Germany, Netherlands)",
        "Germany",
        "UK",
    ]
    ctx_services.set_ai_role(org, "ai_customer", actor="t")
    ctx_services.set_ai_role(org, "ai_provider", actor="t")
    text = services.draft_text(services.scope_facts(org))
    assert text.index("**AI provider**") < text.index("**AI customer**")
