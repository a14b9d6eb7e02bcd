from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "aimwell.certification"
    label = "certification"
    verbose_name = "Certification"
