"""Reminders reach exactly the owners of what is due or overdue, and the daily task wraps them and
queues its next run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from aimwell.improvement import services as improvement
from aimwell.management_review import services as reviews
from aimwell.notifications.models import Notification
from aimwell.notifications.reminders import send_reminders

pytestmark = pytest.mark.usefixtures("catalog")


def test_reminders_notify_exactly_the_owners_of_items_due_or_overdue(
    org, manager, contributor, internal_auditor, staff, admin
):
    day = dt.date(2026, 4, 10)
    overdue_nc = improvement.raise_nonconformity(
        org,
        actor=manager.user,
        title="Late",
        description="d",
        source="other",
        owner=contributor.user,
        due_date=day - dt.timedelta(days=3),
    )
    improvement.raise_nonconformity(  # not due yet: its owner hears nothing
        org,
        actor=manager.user,
        title="Later",
        description="d",
        source="other",
        owner=staff.user,
        due_date=day + dt.timedelta(days=1),
    )
    review = reviews.plan_review(
        org, actor=manager.user, title="Q2", planned_on=day, chair=manager.user
    )
    improvement.add_review_action(
        review, actor=manager.user, title="Due today", owner=internal_auditor.user, due_date=day
    )
    done = improvement.add_review_action(
        review, actor=manager.user, title="Done already", owner=admin.user, due_date=day
    )
    improvement.complete_action(done, actor=admin.user)
    Notification.objects.all().delete()

    report = send_reminders(day, organisation=org)

    assert report.notified_user_ids == {
        contributor.user.pk,  # overdue nonconformity
        manager.user.pk,  # review planned for today
        internal_auditor.user.pk,  # action due today
    }
    titles = set(Notification.objects.values_list("title", flat=True))
    assert f"Nonconformity {overdue_nc.reference}: Late (overdue by 3 day(s), 07 Apr 2026)" in (
        titles
    )
    assert len(mail.outbox) == 3
    assert {m.to[0] for m in mail.outbox} == {
        contributor.user.email,
        manager.user.email,
        internal_auditor.user.email,
    }
    again = send_reminders(day, organisation=org)
    assert again.notifications == [] and len(mail.outbox) == 3
    next_day = send_reminders(day + dt.timedelta(days=1), organisation=org)
    assert staff.user.pk in next_day.notified_user_ids


def test_the_daily_task_wraps_send_reminders_and_queues_the_next_run(org, manager, contributor):
    from django_tasks_db.models import DBTaskResult

    from aimwell.notifications import tasks

    improvement.raise_nonconformity(
        org,
        actor=manager.user,
        title="Late",
        description="d",
        source="other",
        owner=contributor.user,
        due_date=dt.date(2026, 4, 1),
    )
    result = tasks.daily_reminders.call(on_date="2026-04-02")
    assert result["notifications"] == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert tasks.schedule() is None  # already queued: nothing added
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    noon = dt.datetime(2026, 4, 2, 12, 0, tzinfo=dt.UTC)
    assert tasks.next_run(noon) == dt.datetime(2026, 4, 3, 6, 0, tzinfo=dt.UTC)
