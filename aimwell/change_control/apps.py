from django.apps import AppConfig

# Model label before the split -> label now (the table kept its name).
MOVED_MODELS = {"lifecycle.changerequest": "change_control.changerequest"}


class ChangeControlConfig(AppConfig):
    name = "aimwell.change_control"
    label = "change_control"
    verbose_name = "Changes to the AIMS and its AI systems"

    def ready(self) -> None:
        from aimwell.core.audit import register_moved_model
        from aimwell.evidence import links

        links.register(
            "change_control.changerequest",
            "Change request",
            describe=str,
            url_name="change_control:detail",
        )
        # Audit events recorded before the split keep their label (it is part of their MAC);
        # readers find them under both.
        for former, current in MOVED_MODELS.items():
            register_moved_model(former, current)
