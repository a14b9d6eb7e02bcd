from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "aimwell.inventory"
    label = "inventory"
    verbose_name = "Inventory"
