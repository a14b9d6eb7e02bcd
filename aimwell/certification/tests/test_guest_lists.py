"""A guest whose audit names some AI systems sees only those in the systems register, on the page
and in the API; with every system in scope, the register is whole."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from aimwell.certification import services, workspace
from aimwell.certification.choices import Area
from aimwell.inventory import services as inventory
from aimwell.inventory.models import AISystem


@pytest.fixture
def register(org, manager):
    return {
        name: inventory.create(AISystem, org, actor="t", name=name, purpose=f"{name} purpose")
        for name in ("Credit scoring", "Support chatbot", "Fraud alerts")
    }


def _engage(org, manager, guest, *, all_systems: bool, systems=()):
    project = services.get_or_create_project(org, actor=manager.user)
    today = timezone.localdate()
    audit = services.plan_audit(
        project,
        actor=manager.user,
        kind="stage_1",
        planned_start=today,
        planned_end=today,
        areas=[Area.SYSTEMS],
        all_systems=all_systems,
        systems=systems,
    )
    workspace.grant_engagement(
        audit,
        actor=manager.user,
        membership=guest.membership,
        ends_at=timezone.now() + dt.timedelta(days=3),
    )


def _api_names(actor) -> set[str]:
    response = actor.api("GET", "/api/v1/ai-systems")
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["items"]}


def test_guest_lists_only_the_systems_of_their_audit(org, manager, external_auditor, register):
    _engage(org, manager, external_auditor, all_systems=False, systems=[register["Credit scoring"]])
    assert _api_names(external_auditor) == {"Credit scoring"}
    page = external_auditor.client.get("/ai-systems/").content.decode()
    assert "Credit scoring" in page
    assert "Support chatbot" not in page and "Fraud alerts" not in page
    # Members are not narrowed.
    assert _api_names(manager) == set(register)


def test_guest_with_every_system_in_scope_sees_the_whole_register(
    org, manager, external_auditor, register
):
    _engage(org, manager, external_auditor, all_systems=True)
    assert _api_names(external_auditor) == set(register)


def test_guest_navigation_shows_only_the_areas_of_their_audit(
    org, manager, external_auditor, register
):
    _engage(org, manager, external_auditor, all_systems=True)
    page = external_auditor.client.get("/ai-systems/").content.decode()
    nav = page.split('aria-label="AIMS areas"')[1].split("</nav>")[0]
    assert 'href="/ai-systems/"' in nav and 'href="/certification/"' in nav
    assert 'href="/risks/"' not in nav and 'href="/documents/"' not in nav
    # Members see every area.
    member_nav = manager.client.get("/ai-systems/").content.decode()
    assert 'href="/risks/"' in member_nav


def test_guest_sees_only_the_monitors_of_their_audits_systems(
    org, manager, external_auditor, register
):
    from aimwell.monitoring import services as monitoring

    def monitor(system_name: str) -> object:
        return monitoring.create_monitor(
            register[system_name],
            actor="t",
            name=f"{system_name} fairness",
            label_column="approved",
            prediction_column="predicted",
            sensitive_columns=["age_band"],
            metrics=["performance", "fairness"],
        )

    ours, theirs = monitor("Credit scoring"), monitor("Fraud alerts")
    _engage(org, manager, external_auditor, all_systems=False, systems=[register["Credit scoring"]])
    listed = external_auditor.api("GET", "/api/v1/monitors").json()
    items = listed["items"] if isinstance(listed, dict) else listed
    assert {m["name"] for m in items} == {"Credit scoring fairness"}
    assert external_auditor.api("GET", f"/api/v1/monitors/{ours.pk}").status_code == 200
    assert external_auditor.api("GET", f"/api/v1/monitors/{theirs.pk}").status_code == 404
    home = external_auditor.client.get("/monitoring/").content.decode()
    assert "Credit scoring fairness" in home and "Fraud alerts fairness" not in home
    assert external_auditor.client.get(f"/monitoring/monitors/{theirs.pk}/").status_code == 404
    # A member still sees both.
    assert manager.api("GET", f"/api/v1/monitors/{theirs.pk}").status_code == 200
