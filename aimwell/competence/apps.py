"""Competence and awareness (7.2, 7.3): courses, quizzes, training records, the training
matrix."""

from django.apps import AppConfig


class CompetenceConfig(AppConfig):
    name = "aimwell.competence"
    label = "competence"
    verbose_name = "Competence and awareness"

    def ready(self) -> None:
        from django.apps import apps

        if apps.is_installed("aimwell.controls"):
            from aimwell.competence.readiness import training_progress
            from aimwell.controls import hooks

            hooks.register_stage_provider(4, training_progress)
