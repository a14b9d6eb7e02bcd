from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "aimwell.integrations"
    label = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from aimwell.core import events
        from aimwell.integrations.webhook_events import on_domain_events

        events.register_listener(on_domain_events)
        from aimwell.core import scheduler
        from aimwell.integrations.tasks import MLFLOW_SYNC

        scheduler.register(MLFLOW_SYNC)
