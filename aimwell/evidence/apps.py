from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "aimwell.evidence"
    label = "evidence"
    verbose_name = "Evidence"
