"""An evidence request from the external auditor reaches its owner: a notification when it is
made, and the daily reminders once it is due, until it is answered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from aimwell.certification import services, workspace
from aimwell.certification.choices import Area
from aimwell.notifications.models import Notification
from aimwell.notifications.reminders import send_reminders


@pytest.fixture
def engagement(org, manager, external_auditor):
    project = services.get_or_create_project(org, actor=manager.user)
    today = timezone.localdate()
    audit = services.plan_audit(
        project,
        actor=manager.user,
        kind="stage_2",
        planned_start=today,
        planned_end=today + dt.timedelta(days=1),
        areas=[Area.EVIDENCE],
    )
    return workspace.grant_engagement(
        audit,
        actor=manager.user,
        membership=external_auditor.membership,
        ends_at=timezone.now() + dt.timedelta(days=10),
    )


def test_owner_is_told_of_the_request_and_reminded_until_it_is_answered(
    org, engagement, external_auditor, contributor
):
    today = timezone.localdate()
    ask = workspace.ask_evidence(
        engagement,
        actor=external_auditor.user,
        title="Bias test of the credit model",
        owner=contributor.user,
        due_date=today + dt.timedelta(days=2),
    )
    told = Notification.objects.get(user=contributor.user)
    assert told.kind == "certification.evidence_requested" and ask.title in told.title
    assert told.due_date == ask.due_date

    assert not send_reminders(today, organisation=org, email=False).items
    due_day = today + dt.timedelta(days=3)
    report = send_reminders(due_day, organisation=org, email=False)
    (item,) = [i for i in report.items if i.kind == "certification_request"]
    assert item.user_id == contributor.user.pk and "overdue by 1 day" in item.label(due_day)
    assert Notification.objects.filter(user=contributor.user, kind="certification_request.due")

    workspace.answer_ask(ask, actor=contributor.user, answer="Report attached to EV-12.")
    later = send_reminders(due_day + dt.timedelta(days=1), organisation=org, email=False)
    assert not [i for i in later.items if i.kind == "certification_request"]
