from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "aimwell.interchange"
    label = "interchange"
    verbose_name = "Interchange (OSCAL)"
