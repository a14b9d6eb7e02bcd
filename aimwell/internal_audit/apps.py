"""Internal audits (9.2): programmes, audits with their checklists, findings and reports."""

from django.apps import AppConfig


class InternalAuditConfig(AppConfig):
    name = "aimwell.internal_audit"
    label = "internal_audit"
    verbose_name = "Internal audit"

    def ready(self) -> None:
        from django.apps import apps

        if apps.is_installed("aimwell.controls"):
            from aimwell.controls import hooks
            from aimwell.internal_audit.readiness import audit_progress

            hooks.register_stage_provider(6, audit_progress)
