"""The demo organisation's courses, quizzes and training records (additive and idempotent, run by
`aimwell demo`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from aimwell.competence import services as training
from aimwell.competence.models import Course, TrainingRecord
from aimwell.operations.demo import AUDITOR, CEO, CREDIT_OWNER, ENGINEER, MANAGER, STAFF, people

TRAINED = "Members trained on responsible AI"


def trained_share(org: Any, on: dt.date) -> float:
    """The share (%) of the organisation's members (external auditors aside) with a passed
    responsible-AI training valid on `on`: what the objective measures, computed from the
    training records."""
    from aimwell.accounts.models import Membership

    members = set(
        Membership.objects.active()
        .filter(organisation=org)
        .exclude(role="external_auditor")
        .values_list("user_id", flat=True)
    )
    trained = set(
        TrainingRecord.objects.filter(
            organisation=org,
            course__key="responsible-ai",
            passed=True,
            completed_on__lte=on,
            user_id__in=members,
        )
        .exclude(expires_on__lt=on)
        .values_list("user_id", flat=True)
    )
    return round(100 * len(trained) / len(members), 1) if members else 0.0


def _quiz_answers(course: Course, score: int) -> list[int | None]:
    """Answers to the course's quiz that score `score`% (the first questions right)."""
    quiz = course.quiz
    right = round(score * len(quiz) / 100)
    return [
        q["answer"] if i < right else (q["answer"] + 1) % len(q["options"])
        for i, q in enumerate(quiz)
    ]


def _training(result: Any) -> None:
    """Training records: quiz results come from quizzes the members submitted (scored by the
    quiz service); workshops a manager recorded are manual records without a score."""
    from aimwell.demo import demo_organisation

    org = demo_organisation()
    users = people()
    if len(users) < 6:
        return
    created = training.install_library(org, actor=users[MANAGER])
    if created:
        result.created.append(f"{len(created)} courses and competences")
    courses = {c.key: c for c in Course.objects.filter(organisation=org)}
    today = timezone.localdate()
    # email, course, days ago, quiz score (None: a workshop recorded by the manager)
    records: list[tuple[str, str, int, int | None]] = [
        (STAFF, "aims-foundations", -40, 100),
        (STAFF, "responsible-ai", -400, 75),  # expired: a gap and a reminder
        (CREDIT_OWNER, "aims-foundations", -100, None),
        (CREDIT_OWNER, "ai-system-ownership", -60, None),
        (CREDIT_OWNER, "responsible-ai", -50, 100),
        (ENGINEER, "responsible-ai", -45, 75),
        (CEO, "responsible-ai", -20, 100),
        (AUDITOR, "internal-auditing", -200, None),
        (AUDITOR, "aims-foundations", -200, 75),
        (MANAGER, "responsible-ai", -15, 100),
    ]
    for email, key, days, score in records:
        course = courses.get(key)
        if (
            course is None
            or TrainingRecord.objects.filter(course=course, user=users[email]).exists()
        ):
            continue
        on = today + dt.timedelta(days=days)
        if score is not None and course.quiz:
            training.submit_quiz(course, users[email], _quiz_answers(course, score), on=on)
        else:
            training.record_training(
                course,
                users[email],
                actor=users[MANAGER],
                completed_on=on,
                source="manual",
                note="Workshop attendance list kept by the AIMS manager.",
            )
        result.created.append(f"training record {email} {key}")


STEPS = [_training]
