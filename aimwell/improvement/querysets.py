"""Register lists of nonconformities and actions."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from aimwell.improvement.choices import ActionStatus, NCStatus
from aimwell.improvement.models import Action, Nonconformity
from aimwell.operations.lists import ListSpec


def _open_and_overdue(today: dt.date) -> Q:
    return ~Q(status=NCStatus.CLOSED) & Q(due_date__lt=today)


def _action_overdue(today: dt.date) -> Q:
    return Q(status=ActionStatus.OPEN, due_date__lt=today)


NONCONFORMITIES = ListSpec(
    Nonconformity,
    search=("reference", "title", "description"),
    filters={
        "status": "status",
        "source": "source",
        "severity": "severity",
        "owner": "owner__email",
    },
    sorts={
        "raised": ("-raised_on", "-reference"),
        "due": ("due_date", "reference"),
        "reference": ("reference",),
        "status": ("status", "reference"),
    },
    default_sort="raised",
    related=("owner", "requirement"),
    annotate={
        "open_actions": Count("actions", filter=Q(actions__status=ActionStatus.OPEN)),
        "action_count": Count("actions"),
    },
    overdue=_open_and_overdue,
)


ACTIONS = ListSpec(
    Action,
    search=("title", "description"),
    filters={"status": "status", "owner": "owner__email"},
    sorts={"due": ("due_date", "title"), "title": ("title",), "-due": ("-due_date", "title")},
    default_sort="due",
    related=("owner", "nonconformity", "review"),
    overdue=_action_overdue,
)
