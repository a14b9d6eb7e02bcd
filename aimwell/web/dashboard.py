"""Real figures for the dashboard, counted from the database (a few aggregate queries)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from aimwell.accounts.models import ApiToken, Membership
from aimwell.core.models import AuditChainHead
from aimwell.inventory.models import AISystem, ReviewFlag

DASHBOARD_SECONDS = 300  # how old the dashboard's count of pre-audit findings may be


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
            "label": "Pre-audit check: open major and minor findings (within 5 minutes)",
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
    """Open findings of the pre-audit check that would be nonconformities at audit. The check
    reads every register (a fixed few dozen queries), so the dashboard shows a count at most
    five minutes old; the pre-audit check page itself is always live."""
    from django.apps import apps
    from django.core.cache import cache

    if not apps.is_installed("aimwell.consistency"):
        return 0
    from aimwell.consistency import engine

    def count() -> int:
        # The observation that recomputes readiness cannot change this count: left out.
        counts = engine.run(membership.organisation, exclude={"readiness-trend-stale"}).counts()
        return counts["major"] + counts["minor"]

    key = f"consistency:open:{membership.organisation_id}"
    return int(cache.get_or_set(key, count, DASHBOARD_SECONDS) or 0)
