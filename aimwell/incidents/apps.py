"""AI incidents with their reporting deadlines (A.8.4), and concerns raised by members or the
public (A.3.3)."""

from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "aimwell.incidents"
    label = "incidents"
    verbose_name = "Incidents and concerns"
