from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "aimwell.lifecycle"
    label = "lifecycle"
    verbose_name = "AI system life cycle"

    def ready(self) -> None:
        from aimwell.controls import hooks
        from aimwell.evidence import links
        from aimwell.lifecycle import readiness, review  # noqa: F401  (registers the finder)

        for label, title, url_name in (
            ("lifecycle.requirementsspec", "Requirements and specification", None),
            ("lifecycle.designrecord", "Design and development record", None),
            ("lifecycle.vvplan", "Verification and validation plan", None),
            ("lifecycle.deploymentapproval", "Deployment approval", None),
            ("lifecycle.loggingpolicy", "Event-log policy", None),
        ):
            links.register(label, title, describe=str, url_name=url_name)
        hooks.register_requirement_checks(readiness.requirement_checks)
