"""An external auditor signs in as a guest, opens their audit workspace, picks a sample and
comments, reads what their audit covers, and is turned away from the rest; every page they open
is in the organisation's audit trail."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from aimwell.accounts import services as accounts
from aimwell.certification import services, workspace
from aimwell.certification.choices import Area
from aimwell.certification.models import Comment, Sample
from aimwell.core.models import AuditEvent

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-passphrase"


def test_guest_works_in_the_workspace_and_stays_in_scope(live_server, page):
    org = accounts.create_organisation(name="Meridian Lending", slug="meridian", actor="test")
    manager = accounts.add_member(
        org, email="amara@meridian.example", role="aims_manager", actor="test"
    ).user
    guest = accounts.add_member(
        org,
        email="ines@certbody.example",
        role="external_auditor",
        password=PASSWORD,
        full_name="Ines Laurent",
        expires_at=timezone.now() + dt.timedelta(days=30),
        actor="test",
    )
    project = services.get_or_create_project(org, actor=manager)
    today = timezone.localdate()
    audit = services.plan_audit(
        project,
        actor=manager,
        kind="stage_1",
        title="Stage 1 audit",
        planned_start=today,
        planned_end=today + dt.timedelta(days=1),
        areas=[Area.DOCUMENTS, Area.CONTROLS],
    )
    workspace.grant_engagement(
        audit, actor=manager, membership=guest, ends_at=timezone.now() + dt.timedelta(days=7)
    )

    page.goto(f"{live_server.url}/")
    page.get_by_label("Email").fill("ines@certbody.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your audit").wait_for()

    page.get_by_role("link", name="certification page").click()
    page.get_by_role("link", name="Stage 1 audit").click()
    page.get_by_role("heading", name="Samples").wait_for()
    page.get_by_text("Pick a sample").click()
    # A record kept outside Aimwell is described in words (records held in Aimwell are picked by
    # name: aimwell/certification/tests/test_samples.py).
    page.get_by_label("Type").select_option("record")
    page.locator("#id_label").fill("AI policy v2")
    page.get_by_role("button", name="Add sample").click()
    page.get_by_text("AI policy v2").first.wait_for()
    page.get_by_label("Comment", exact=True).fill("Policy approved by the board; check minutes.")
    page.get_by_role("button", name="Comment").click()
    page.get_by_text("check minutes").first.wait_for()
    assert Sample.objects.get(organisation=org).label == "AI policy v2"
    assert Comment.objects.filter(organisation=org).count() == 1

    assert page.goto(f"{live_server.url}/documents/").status == 200
    refused = page.goto(f"{live_server.url}/risks/")
    assert refused.status == 403
    assert "outside the scope of your audit" in page.content()

    def paths(action: str) -> set[str]:
        events = AuditEvent.objects.filter(organisation=org, actor_id=guest.user_id, action=action)
        return {json.loads(event.changes)["path"] for event in events}

    engagement = audit.engagements.get()
    assert {"/documents/", f"/certification/engagements/{engagement.pk}/"} <= paths("guest.viewed")
    assert paths("guest.refused") == {"/risks/"}
