from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "aimwell.operations"
    label = "operations"
    verbose_name = "Performance evaluation and improvement"
