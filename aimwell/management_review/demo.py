"""The demo organisation's management reviews (additive and idempotent, run by `aimwell demo`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from aimwell.improvement import services as improvement
from aimwell.management_review import services as reviews
from aimwell.management_review.models import ManagementReview
from aimwell.operations.demo import CEO, CREDIT_OWNER, MANAGER, people


def _reviews(result: Any) -> None:
    """Held ten days ago, with its inputs gathered for its period (up to the day it was held),
    after the audit, objectives, incidents and concerns it discusses were recorded."""
    from aimwell.demo import demo_organisation

    org = demo_organisation()
    users = people()
    title = "Management review H1"
    if len(users) < 6 or ManagementReview.objects.filter(organisation=org, title=title).exists():
        return
    today = timezone.localdate()
    held_on = today - dt.timedelta(days=10)
    ceo = users[CEO]
    review = reviews.plan_review(
        org,
        actor=users[MANAGER],
        title=title,
        planned_on=held_on,
        chair=ceo,
        attendees="Jonas Lindqvist (CEO, chair), Priya Raman, Grace Mensah, Tomás Ferreira",
    )
    reviews.gather_inputs(review, actor=users[MANAGER], on=held_on)
    reviews.hold_review(
        review,
        actor=ceo,
        held_on=held_on,
        minutes="Reviewed the audit results, the closed monitoring nonconformity, the open "
        "incident procedure, the support-assistant incident, objectives and the concerns "
        "received.",
        conclusions="The AIMS is suitable and adequate; effectiveness improved with monitoring "
        "now scheduled at release. Incident handling needs its approved procedure.",
        decisions="Fund a second internal auditor; extend fairness monitoring to CV screening.",
    )
    improvement.add_review_action(
        review,
        actor=ceo,
        title="Recruit or train a second internal auditor",
        owner=users[MANAGER],
        due_date=today + dt.timedelta(days=60),
    )
    improvement.add_review_action(
        review,
        actor=ceo,
        title="Extend fairness monitoring to CV screening",
        owner=users[CREDIT_OWNER],
        due_date=today + dt.timedelta(days=25),
    )
    reviews.plan_review(
        org,
        actor=users[MANAGER],
        title="Management review H2",
        planned_on=today + dt.timedelta(days=20),
        chair=ceo,
    )
    result.created.append("management review H1 (held) and H2 (planned)")


STEPS = [_reviews]
