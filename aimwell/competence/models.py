"""Competence and training (7.2, 7.3): courses with quizzes, required competences per role,
training records with expiry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from aimwell.competence.choices import TrainingSource
from aimwell.core.models import OrganisationScopedModel


class Course(OrganisationScopedModel):
    AUDIT_FIELDS = (
        "title",
        "summary",
        "content",
        "quiz",
        "pass_mark",
        "validity_months",
        "roles",
        "is_active",
    )

    key = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    content = models.TextField(blank=True, help_text="Markdown.")
    # [{"question": str, "options": [str], "answer": int}]
    quiz = models.JSONField(default=list, blank=True)
    pass_mark = models.PositiveSmallIntegerField(default=80, help_text="Percent.")
    validity_months = models.PositiveSmallIntegerField(default=12)
    # Roles that must take it; empty means every member.
    roles = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        db_table = "operations_course"  # the table kept its name when the app was split
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="ops_course_key")
        ]

    def __str__(self) -> str:
        return self.title

    def required_for(self, role: str) -> bool:
        return self.is_active and (not self.roles or role in self.roles)


class Competence(OrganisationScopedModel):
    """A competence a role needs, and the course that demonstrates it."""

    AUDIT_FIELDS = ("role", "name", "description", "course")

    role = models.CharField(max_length=32)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="competences"
    )

    class Meta:
        db_table = "operations_competence"  # the table kept its name when the app was split
        ordering = ["role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "role", "name"], name="ops_competence_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class TrainingRecord(OrganisationScopedModel):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="records")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    completed_on = models.DateField(default=timezone.localdate)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=True)
    expires_on = models.DateField(null=True, blank=True)
    source = models.CharField(
        max_length=20, choices=TrainingSource.choices, default=TrainingSource.QUIZ
    )
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "operations_trainingrecord"  # the table kept its name when the app was split
        ordering = ["-completed_on", "-created_at"]
        indexes = [models.Index(fields=["organisation", "user", "course"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.course} · {self.completed_on}"

    def is_owned_by(self, user_id: Any) -> bool:
        return bool(self.user_id == user_id)

    def is_valid(self, on: dt.date | None = None) -> bool:
        today = on or timezone.localdate()
        return self.passed and (self.expires_on is None or self.expires_on >= today)
