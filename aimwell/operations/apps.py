from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "aimwell.operations"
    label = "operations"
    verbose_name = "Performance evaluation and improvement"

    def ready(self) -> None:
        from django.apps import apps

        if apps.is_installed("aimwell.controls"):
            from aimwell.operations.readiness import register

            register()
