from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "aimwell.certification"
    label = "certification"
    verbose_name = "Certification"

    def ready(self) -> None:
        from django.apps import apps

        from aimwell.certification.workspace import due_asks
        from aimwell.operations.services.reminders import register_due_source

        register_due_source(due_asks)

        if apps.is_installed("aimwell.controls"):
            from aimwell.certification.checks import register

            register()
