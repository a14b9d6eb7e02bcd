"""Improvement (10): nonconformities, corrections, root causes and corrective actions."""

from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "aimwell.improvement"
    label = "improvement"
    verbose_name = "Improvement"

    def ready(self) -> None:
        from django.apps import apps

        if apps.is_installed("aimwell.controls"):
            from aimwell.controls import hooks
            from aimwell.improvement.readiness import open_nonconformities

            hooks.register_nonconformity_provider(open_nonconformities)
