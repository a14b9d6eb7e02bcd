from django.apps import AppConfig

# Model label before the split -> label now (the table kept its name).
MOVED_MODELS = {"risks.impactassessment": "impact_assessments.impactassessment"}


class ImpactAssessmentsConfig(AppConfig):
    name = "aimwell.impact_assessments"
    label = "impact_assessments"
    verbose_name = "AI system impact assessments"

    def ready(self) -> None:
        from aimwell.core.audit import register_moved_model
        from aimwell.evidence import links
        from aimwell.impact_assessments import review  # noqa: F401  (registers the finder)

        links.register(
            "impact_assessments.impactassessment",
            "Impact assessment",
            describe=str,
            url_name="impact_assessments:detail",
        )
        # Audit events recorded before the split keep their label (it is part of their MAC);
        # readers find them under both.
        for former, current in MOVED_MODELS.items():
            register_moved_model(former, current)
