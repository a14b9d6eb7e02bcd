from django.apps import AppConfig


class ContextConfig(AppConfig):
    name = "aimwell.context"
    label = "context"
    verbose_name = "Context and scope"
