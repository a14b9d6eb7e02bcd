from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "aimwell.certification"
    label = "certification"
    verbose_name = "Certification"

    def ready(self) -> None:
        from django.apps import apps

        from aimwell.certification.middleware import guest_limits_of
        from aimwell.certification.workspace import due_asks
        from aimwell.core import guests
        from aimwell.notifications.reminders import register_due_source

        register_due_source(due_asks)
        guests.register_resolver(guest_limits_of)

        if apps.is_installed("aimwell.controls"):
            from aimwell.certification.checks import register

            register()
