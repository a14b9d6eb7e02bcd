"""Navigation of the AIMS areas, shown on every page: only the entries the member may open.

Whether an entry opens is read from its page, not from a second table: each page is marked with
the capability it needs (`accounts.access.page_access`, which also enforces it), and a guest's
entries go through the same scope check as their requests (`certification.scope.refusal`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.urls import NoReverseMatch, resolve, reverse

from aimwell.accounts import mfa
from aimwell.accounts.access import page_capability
from aimwell.accounts.models import Membership
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, Role, can
from aimwell.certification.scope import refusal


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    url_name: str
    clauses: str = ""


# Above the areas: the home page (the stepper and the next action) and the member's inbox.
TOP: tuple[Area, ...] = (
    Area("home", "Home", "dashboard"),
    Area("inbox", "Inbox", "notifications:inbox"),
)

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

# The organisation's own pages, below the AIMS areas.
ORGANISATION: tuple[Area, ...] = (
    Area("catalog", "Catalog & crosswalks", "catalog:index"),
    Area("members", "Members & roles", "members"),
    Area("audit-trail", "Audit trail", "audit-trail"),
    Area("integrations", "Integrations", "integrations:home"),
    Area("api", "API documentation", "api:openapi-view"),
)


@functools.cache
def _target(url_name: str) -> tuple[str | None, Capability | None]:
    """The entry's address and the capability its page needs (URLs do not change at run time)."""
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return None, None
    return url, page_capability(resolve(url).func)


def entries(
    membership: Membership | None, group: tuple[Area, ...], guest_scope: object = None
) -> list[dict[str, str | None]]:
    """The entries of `group` this member may open, with their addresses."""
    guest = membership is not None and membership.role == Role.EXTERNAL_AUDITOR
    shown: list[dict[str, str | None]] = []
    for area in group:
        url, needed = _target(area.url_name)
        if url is None:
            continue
        if needed is not None and not can(membership, needed):
            continue
        if guest and refusal(guest_scope, "GET", url) is not None:  # type: ignore[arg-type]
            # A guest is shown only the parts of the AIMS their current audit lets them open.
            continue
        shown.append({"key": area.key, "label": area.label, "url": url, "clauses": area.clauses})
    return shown


def navigation(request: AimwellRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if mfa.code_outstanding(request):
        # Signed in by password, code not yet entered: nothing of the organisation is shown, and
        # nothing is fetched (the header's inbox count would load the code page into itself).
        return {}
    membership: Membership | None = getattr(request, "membership", None)
    memberships = list(
        Membership.objects.active()
        .select_related("organisation")
        .filter(user_id=user.pk)
        .order_by("organisation__name")
    )
    scope = getattr(request, "guest_scope", None)
    return {
        "nav_top": entries(membership, TOP, scope),
        "nav_areas": entries(membership, AREAS, scope),
        "nav_organisation": entries(membership, ORGANISATION, scope),
        "nav_memberships": memberships,
        "current_membership": membership,
    }
