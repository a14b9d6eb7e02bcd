from django.apps import AppConfig


class ControlsConfig(AppConfig):
    name = "aimwell.controls"
    label = "controls"
    verbose_name = "Controls, Statement of Applicability and readiness"

    def ready(self) -> None:
        from aimwell.evidence import links

        links.register("controls.soaentry", "SoA entry", describe=str, url_name="controls:entry")
