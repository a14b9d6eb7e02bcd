from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "aimwell.risks"
    label = "risks"
    verbose_name = "Risks"

    def ready(self) -> None:
        from aimwell.evidence import links
        from aimwell.risks import review  # noqa: F401  (registers the needs-review finder)

        links.register("risks.risk", "Risk", describe=str, url_name="risks:detail")
