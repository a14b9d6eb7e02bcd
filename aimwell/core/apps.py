from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aimwell.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from aimwell.core import scheduler
        from aimwell.core.tasks import ANCHORS

        scheduler.register(ANCHORS)
