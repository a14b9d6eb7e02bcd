"""Real figures for the dashboard, counted from the database (a few aggregate queries)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from aimwell.accounts.models import ApiToken, Membership
from aimwell.core.models import AuditChainHead
from aimwell.inventory.models import AISystem, ReviewFlag


def dashboard_figures(membership: Membership) -> list[dict[str, object]]:
    org_id = membership.organisation_id
    now = timezone.now()
    members = Membership.objects.filter(organisation_id=org_id).aggregate(
        active=Count("id", filter=Q(is_active=True)),
        guests=Count("id", filter=Q(role="external_auditor", is_active=True, expires_at__gt=now)),
        top=Count("id", filter=Q(is_top_management=True, is_active=True)),
    )
    head = AuditChainHead.objects.filter(organisation_id=org_id).first()
    tokens = ApiToken.objects.filter(organisation_id=org_id, revoked_at__isnull=True).count()
    systems = (
        AISystem.objects.filter(organisation_id=org_id)
        .exclude(lifecycle_stage="retired")
        .aggregate(
            in_scope=Count("id", filter=Q(in_scope=True)),
            high_risk=Count("id", filter=Q(risk_class="high_risk")),
            unclassified=Count("id", filter=Q(risk_class="")),
        )
    )
    reviews = (
        ReviewFlag.objects.filter(organisation_id=org_id, resolved_at__isnull=True)
        .values("system_id")
        .distinct()
        .count()
    )
    findings = _open_findings(membership)
    return [
        {
            "label": "Pre-audit check: open major and minor findings",
            "value": findings,
            "url": "consistency:check",
        },
        {"label": "AI systems in scope", "value": systems["in_scope"], "url": "inventory:systems"},
        {
            "label": "High-risk AI systems",
            "value": systems["high_risk"],
            "url": "inventory:systems",
        },
        {
            "label": "AI systems not classified",
            "value": systems["unclassified"],
            "url": "inventory:systems",
        },
        {"label": "AI systems needing review", "value": reviews, "url": "inventory:systems"},
        {"label": "Active members", "value": members["active"], "url": "members"},
        {"label": "Top management", "value": members["top"], "url": "members"},
        {"label": "External auditors with access", "value": members["guests"], "url": "members"},
        {"label": "Audit-trail events", "value": head.seq if head else 0, "url": "audit-trail"},
        {"label": "Active API tokens", "value": tokens, "url": "tokens"},
    ]


def _open_findings(membership: Membership) -> int:
    """Open findings of the pre-audit check that would be nonconformities at audit (the
    observation that recomputes readiness is left out: it cannot change this count)."""
    from django.apps import apps

    if not apps.is_installed("aimwell.consistency"):
        return 0
    from aimwell.consistency import engine

    counts = engine.run(membership.organisation, exclude={"readiness-trend-stale"}).counts()
    return counts["major"] + counts["minor"]
