"""AI objectives (6.2) and their measurements (9.1)."""

from django.apps import AppConfig


class ObjectivesConfig(AppConfig):
    name = "aimwell.objectives"
    label = "objectives"
    verbose_name = "AI objectives"
