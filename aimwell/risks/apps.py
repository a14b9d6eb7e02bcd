from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "aimwell.risks"
    label = "risks"
    verbose_name = "Risks and impact assessments"

    def ready(self) -> None:
        from aimwell.evidence import links
        from aimwell.risks import review  # noqa: F401  (registers the needs-review finder)

        links.register("risks.risk", "Risk", describe=str, url_name="risks:detail")
        links.register(
            "risks.impactassessment", "Impact assessment", describe=str, url_name="risks:ia-detail"
        )
