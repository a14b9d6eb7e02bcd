"""Navigation of the AIMS areas, shown on every page."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from aimwell.accounts.models import Membership
from aimwell.accounts.roles import Capability, Role, can
from aimwell.certification.scope import refusal


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    url_name: str
    clauses: str


# The AIMS areas in the order of the certification path; an area links once its pages exist.
AREAS: tuple[Area, ...] = (
    Area("context", "Context & scope", "context:home", "4"),
    Area("systems", "AI systems", "inventory:systems", "4, A.4, A.6"),
    Area("lifecycle", "Life cycle & changes", "lifecycle:index", "6.3, A.6.2"),
    Area("risks", "Risks & impact", "risks:home", "6.1, 8.2-8.4, A.5"),
    Area("controls", "Controls & SoA", "controls:home", "6.1.3, Annex A"),
    Area("documents", "Documents & evidence", "documents:home", "7.5, A.2"),
    Area("monitoring", "Monitoring", "monitoring:home", "9.1, A.6.2.6"),
    Area("audits", "Audits & improvement", "operations:home", "9.2, 9.3, 10"),
    Area("readiness", "Readiness", "controls:readiness", "all"),
    Area("consistency", "Pre-audit check", "consistency:check", "all"),
    Area("certification", "Certification", "certification:home", "stage 7"),
    Area("reports", "Certification pack", "reports:home", "7.5"),
    Area("transparency", "Transparency", "transparency:home", "A.8, Art. 13, 50"),
)


def _area_links() -> list[dict[str, str | None]]:
    links = []
    for area in AREAS:
        try:
            url: str | None = reverse(area.url_name)
        except NoReverseMatch:
            url = None
        links.append({"key": area.key, "label": area.label, "url": url, "clauses": area.clauses})
    return links


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership: Membership | None = getattr(request, "membership", None)
    memberships = list(
        Membership.objects.active()
        .select_related("organisation")
        .filter(user_id=user.pk)
        .order_by("organisation__name")
    )
    areas = _area_links()
    can_view_audit_trail = can(membership, Capability.VIEW_AUDIT_TRAIL)
    hide_members = not can(membership, Capability.READ_ALL)
    if membership is not None and membership.role == Role.EXTERNAL_AUDITOR:
        # A guest is shown only the parts of the AIMS their current audit lets them open.
        scope = getattr(request, "guest_scope", None)

        def opens(url: str) -> bool:
            return refusal(scope, "GET", url) is None

        areas = [area for area in areas if area["url"] and opens(str(area["url"]))]
        can_view_audit_trail = can_view_audit_trail and opens(reverse("audit-trail"))
        hide_members = not opens(reverse("members"))
    return {
        "nav_areas": areas,
        "nav_memberships": memberships,
        "current_membership": membership,
        "can_manage_members": can(membership, Capability.MANAGE_MEMBERS),
        "can_manage_integrations": can(membership, Capability.MANAGE_AIMS),
        "can_view_audit_trail": can_view_audit_trail,
        "hide_members": hide_members,
    }
