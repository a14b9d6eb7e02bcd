from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "aimwell.web"
    label = "web"
    verbose_name = "Web interface"
