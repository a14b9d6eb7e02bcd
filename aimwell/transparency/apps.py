from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "aimwell.transparency"
    label = "transparency"
    verbose_name = "Transparency"
