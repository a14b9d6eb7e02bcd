"""`aimwell reminders run` for a given day, and its refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from aimwell.cli import app
from aimwell.improvement import services as improvement
from aimwell.notifications.models import Notification

runner = CliRunner()


@pytest.mark.django_db
def test_reminders_run_for_a_date(org, manager, contributor):
    improvement.raise_nonconformity(
        org,
        actor=manager.user,
        title="Late fix",
        description="d",
        source="other",
        owner=contributor.user,
        due_date=dt.date(2026, 5, 1),
    )
    Notification.objects.all().delete()
    result = runner.invoke(
        app, ["reminders", "run", "--date", "2026-05-03", "--organisation", org.slug, "--no-email"]
    )
    assert result.exit_code == 0, result.output
    assert "Late fix" in result.output and "1 new notification(s) to 1 member(s)" in result.output
    assert Notification.objects.get().user == contributor.user
    again = runner.invoke(app, ["reminders", "run", "--date", "2026-05-03", "--no-email"])
    assert "0 new notification(s)" in again.output


def test_reminders_run_refuses_a_bad_date():
    result = runner.invoke(app, ["reminders", "run", "--date", "03/05/2026"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output
