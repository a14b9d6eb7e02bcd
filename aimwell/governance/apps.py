"""Governance (5.1, 5.3, A.3.2): principles, AIMS roles and RACI, oversight bodies, leadership."""

from django.apps import AppConfig

# Model label before the split -> label now (the tables kept their names).
MOVED_MODELS = {
    f"context.{model}": f"governance.{model}"
    for model in (
        "principle",
        "principlelink",
        "aimsrole",
        "racientry",
        "oversightbody",
        "meeting",
        "decision",
        "leadershipcommitment",
    )
}


class GovernanceConfig(AppConfig):
    name = "aimwell.governance"
    label = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from aimwell.context.pages import register
        from aimwell.core.audit import register_moved_model
        from aimwell.governance import pages, querysets

        # The registers are served by the context register pages, as before the split.
        register(*pages.PAGES, lists=querysets.LISTS)
        # Audit events recorded before the split keep their label (it is part of their MAC);
        # readers find them under both.
        for former, current in MOVED_MODELS.items():
            register_moved_model(former, current)
