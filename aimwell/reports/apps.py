from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "aimwell.reports"
    label = "reports"
    verbose_name = "Reports"
