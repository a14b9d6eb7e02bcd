from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "aimwell.certification"
    label = "certification"
    verbose_name = "Certification"

    def ready(self) -> None:
        from django.apps import apps

        if apps.is_installed("aimwell.controls"):
            from aimwell.certification.checks import register

            register()
