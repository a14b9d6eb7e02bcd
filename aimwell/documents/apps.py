from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "aimwell.documents"
    label = "documents"
    verbose_name = "Documents"
