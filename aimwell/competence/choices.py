"""Choices of the courses, quizzes and training records records."""

from django.db import models


class TrainingSource(models.TextChoices):
    QUIZ = "quiz", "Quiz in Aimwell"
    MANUAL = "manual", "Recorded by a manager"
    EXTERNAL = "external", "External certificate"
