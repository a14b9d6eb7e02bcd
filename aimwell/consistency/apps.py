from django.apps import AppConfig


class ConsistencyConfig(AppConfig):
    name = "aimwell.consistency"
    label = "consistency"
    verbose_name = "Pre-audit check"

    def ready(self) -> None:
        # Importing the rule modules fills the registry.
        from aimwell.consistency import rules  # noqa: F401
