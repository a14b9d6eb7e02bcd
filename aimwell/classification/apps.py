from django.apps import AppConfig


class ClassificationConfig(AppConfig):
    name = "aimwell.classification"
    label = "classification"
    verbose_name = "EU AI Act classification"

    def ready(self) -> None:
        from aimwell.classification import review  # noqa: F401  (registers the needs-review finder)
        from aimwell.core.audit import register_moved_model

        # Audit events recorded before the app was split out of inventory keep their label (it is
        # part of their MAC); readers find them under both.
        for former, current in MOVED_MODELS.items():
            register_moved_model(former, current)


# Model label before the split -> label now (the tables kept their names).
MOVED_MODELS = {
    "inventory.ruleset": "classification.ruleset",
    "inventory.classification": "classification.classification",
}
