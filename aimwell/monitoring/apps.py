from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "aimwell.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        from aimwell.evidence import links

        links.register(
            "monitoring.monitorrun",
            "Monitoring run",
            describe=lambda run: f"{run.monitor.name} run #{run.number}",
            url_name="monitoring:run",
        )
        from aimwell.monitoring import integrations

        integrations.connect()
        from aimwell.core import scheduler
        from aimwell.monitoring.tasks import MONITORING

        scheduler.register(MONITORING)
