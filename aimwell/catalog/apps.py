from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "aimwell.catalog"
    label = "catalog"
    verbose_name = "Catalog"
