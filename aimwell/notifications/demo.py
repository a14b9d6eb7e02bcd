"""The demo organisation's in-app notifications (additive and idempotent, run by `aimwell demo`)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from aimwell.notifications.reminders import send_reminders


def _reminders(result: Any) -> None:
    from aimwell.demo import demo_organisation

    report = send_reminders(timezone.localdate(), organisation=demo_organisation(), email=False)
    if report.notifications:
        result.created.append(f"{len(report.notifications)} reminders")


STEPS = [_reminders]
