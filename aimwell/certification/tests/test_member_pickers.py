"""The certification forms name people with the member picker, never a select of every member;
a posted id of someone outside the organisation is refused and nothing is written."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from aimwell.certification import services, workspace
from aimwell.certification.choices import Area
from aimwell.certification.models import Engagement, EvidenceAsk, ExternalFinding

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(org, manager):
    project = services.get_or_create_project(org, actor=manager.user)
    today = timezone.localdate()
    return services.plan_audit(
        project,
        actor=manager.user,
        kind="stage_1",
        planned_start=today,
        planned_end=today + dt.timedelta(days=2),
        areas=[Area.DOCUMENTS.value],
        all_systems=True,
    )


@pytest.fixture
def engagement(audit, manager, external_auditor):
    ends = timezone.now() + dt.timedelta(days=5)
    return workspace.grant_engagement(
        audit, actor=manager.user, membership=external_auditor.membership, ends_at=ends
    )


def test_the_audit_page_picks_owners_and_guests_by_search(manager, audit):
    page = manager.client.get(reverse("certification:audit", args=[audit.pk])).content.decode()
    assert '<select name="owner"' not in page and '<select name="guest"' not in page
    assert page.count(f'hx-get="{reverse("member-pick")}"') == 1  # the finding's owner
    assert f'hx-get="{reverse("member-pick")}?guests=1"' in page  # the guest to engage


def test_engaging_another_organisations_person_is_refused(manager, audit, outsider):
    ends_on = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    url = reverse("certification:audit-step", args=[audit.pk, "engage"])
    response = manager.post(url, {"guest": str(outsider.user.pk), "ends_on": ends_on})
    assert response.status_code == 302
    assert not Engagement.objects.filter(audit=audit).exists()
    shown = [str(m) for m in response.wsgi_request._messages]
    assert any("Select a valid choice" in m for m in shown), shown


def test_the_workspace_searches_the_organisations_people_for_an_engaged_guest(
    engagement, external_auditor, contributor, outsider
):
    page_url = reverse("certification:workspace", args=[engagement.pk])
    page = external_auditor.client.get(page_url).content.decode()
    search = reverse("certification:workspace-members", args=[engagement.pk])
    assert page.count(f'hx-get="{search}"') == 2  # whom to ask, who corrects a finding
    found = external_auditor.client.get(search + "?q=owner@").content.decode()
    assert set(re.findall(r'data-value="([^"]+)"', found)) == {str(contributor.user.pk)}
    assert "outsider" not in external_auditor.client.get(search + "?q=o").content.decode()


def test_asking_another_organisations_person_is_refused(engagement, external_auditor, outsider):
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    for step, data in [
        ("ask", {"title": "Minutes", "owner": str(outsider.user.pk), "due_date": due}),
        ("finding", {"grade": "minor", "title": "Gap", "owner": str(outsider.user.pk)}),
    ]:
        url = reverse("certification:workspace-step", args=[engagement.pk, step])
        assert external_auditor.post(url, data).status_code == 302
    assert not EvidenceAsk.objects.filter(engagement=engagement).exists()
    assert not ExternalFinding.objects.filter(engagement=engagement).exists()
