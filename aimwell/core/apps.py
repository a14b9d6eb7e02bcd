from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aimwell.core"
    label = "core"
    verbose_name = "Core"
