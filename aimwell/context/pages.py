"""The registers as pages: what each list shows, filters and sorts, and which form and service
functions write it. The generic views in `views.py` serve every register in this table under
/context/ (URL names `context:<key>...`); another app adds its registers with `register()` when
it is ready (governance adds principles, AIMS roles, oversight bodies and commitments)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.models import Membership
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.context import choices, forms
from aimwell.context.models import Applicability
from aimwell.context.querysets import LISTS, ListSpec
from aimwell.context.services import context as ctx


@dataclass(frozen=True)
class Filter:
    name: str
    label: str
    options: list[tuple[str, str]]  # empty: the organisation's AI systems


@dataclass(frozen=True)
class Page:
    key: str  # URL name prefix (and the list key in querysets.LISTS)
    slug: str
    title: str
    singular: str
    clause: str
    intro: str
    form: type[forms.OrgForm]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any] | None
    columns: tuple[str, ...]
    sorts: tuple[tuple[str, str], ...]
    filters: tuple[Filter, ...] = ()
    read: Capability = Capability.READ_ALL
    extra: str = ""  # template included on the detail page
    fields: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (label, attribute)
    rows: str = ""  # template of one list row; context/rows/<key>.html when empty
    # the rows a member may read (None: every row of the organisation)
    base: Callable[[Membership], QuerySet[Any]] | None = None
    # what the detail page shows beyond its fields: (request, page, obj, membership) -> context
    detail: Callable[..., dict[str, Any]] | None = None

    @property
    def row_template(self) -> str:
        return self.rows or f"context/rows/{self.key}.html"

    @property
    def spec(self) -> ListSpec:
        return LISTS[self.key]

    def rows_for(self, membership: Membership) -> QuerySet[Any] | None:
        return self.base(membership) if self.base is not None else None


YES_NO = [("true", "Yes"), ("false", "No")]


def _legal_detail(requirement: Any, membership: Membership) -> dict[str, Any]:
    """A legal requirement's page: the AI systems it applies to, its catalog requirements."""
    return {
        "applicability": Applicability.objects.filter(requirement=requirement)
        .select_related("system")
        .order_by("system__name"),
        "nodes": requirement.catalog_nodes.select_related("framework"),
        "applicability_form": forms.ApplicabilityForm(organisation=membership.organisation),
    }


PAGES: dict[str, Page] = {
    p.key: p
    for p in (
        Page(
            key="issues",
            slug="issues",
            title="Internal and external issues",
            singular="issue",
            clause="4.1",
            intro="Issues inside and outside the organisation that affect its ability to achieve "
            "the intended results of the AIMS.",
            form=forms.IssueForm,
            create=ctx.create_issue,
            update=ctx.update_issue,
            delete=ctx.delete_issue,
            columns=("Issue", "Kind", "Category", "Effect on the AIMS", "AI systems"),
            sorts=(
                ("title", "Title"),
                ("kind", "Kind"),
                ("category", "Category"),
                ("updated", "Recently changed"),
                ("reviewed", "Least recently reviewed"),
            ),
            filters=(
                Filter("kind", "Kind", list(choices.IssueKind.choices)),
                Filter("category", "Category", list(choices.IssueCategory.choices)),
                Filter("is_active", "Active", YES_NO),
                Filter("system", "AI system", []),
            ),
            fields=(
                ("Kind", "get_kind_display"),
                ("Category", "get_category_display"),
                ("Description", "description"),
                ("Effect on the AIMS", "effect"),
                ("Owner", "owner"),
                ("Active", "is_active"),
                ("Last reviewed", "last_reviewed"),
            ),
        ),
        Page(
            key="parties",
            slug="interested-parties",
            title="Interested parties",
            singular="interested party",
            clause="4.2",
            intro="Who has a stake in the organisation's AI, what they need and expect, and which "
            "of those needs the AIMS takes on as requirements.",
            form=forms.PartyForm,
            create=ctx.create_party,
            update=ctx.update_party,
            delete=ctx.delete_party,
            columns=("Party", "Kind", "Category", "Needs and expectations", "Requirement?"),
            sorts=(
                ("name", "Name"),
                ("kind", "Kind"),
                ("category", "Category"),
                ("updated", "Recently changed"),
                ("reviewed", "Least recently reviewed"),
            ),
            filters=(
                Filter("kind", "Kind", list(choices.PartyKind.choices)),
                Filter("category", "Category", list(choices.PartyCategory.choices)),
                Filter("is_requirement", "Becomes a requirement", YES_NO),
                Filter("system", "AI system", []),
            ),
            fields=(
                ("Kind", "get_kind_display"),
                ("Category", "get_category_display"),
                ("Needs and expectations", "needs"),
                ("Becomes a requirement", "is_requirement"),
                ("How it is addressed", "how_addressed"),
                ("Owner", "owner"),
                ("Last reviewed", "last_reviewed"),
            ),
        ),
        Page(
            key="legal",
            slug="legal",
            title="Legal, regulatory and contractual requirements",
            singular="requirement",
            clause="4.2, A.2.2",
            intro="The laws, regulations, contracts, standards and internal policies the AIMS must "
            "meet, and the AI systems each applies to.",
            form=forms.LegalForm,
            create=ctx.create_legal_requirement,
            update=ctx.update_legal_requirement,
            delete=ctx.delete_legal_requirement,
            columns=("Requirement", "Kind", "Jurisdiction", "Applies to", "Catalog"),
            sorts=(
                ("name", "Name"),
                ("kind", "Kind"),
                ("jurisdiction", "Jurisdiction"),
                ("updated", "Recently changed"),
                ("reviewed", "Least recently reviewed"),
            ),
            filters=(
                Filter("kind", "Kind", list(choices.RequirementKind.choices)),
                Filter("is_active", "Active", YES_NO),
                Filter("system", "Applies to", []),
            ),
            extra="context/_legal_extra.html",
            detail=lambda request, page, obj, membership: _legal_detail(obj, membership),
            fields=(
                ("Kind", "get_kind_display"),
                ("Jurisdiction", "jurisdiction"),
                ("Reference", "reference"),
                ("Link", "url"),
                ("Summary", "summary"),
                ("Owner", "owner"),
                ("Active", "is_active"),
                ("Last reviewed", "last_reviewed"),
            ),
        ),
        Page(
            key="objectives",
            slug="objectives",
            title="Strategic and business objectives",
            singular="objective",
            clause="4.1, 5.1",
            intro="The organisation's objectives the AIMS and its AI policy align with.",
            form=forms.ObjectiveForm,
            create=ctx.create_objective,
            update=ctx.update_objective,
            delete=ctx.delete_objective,
            columns=("Objective", "Owner", "Target date", "Status"),
            sorts=(("title", "Title"), ("target", "Target date"), ("status", "Status")),
            filters=(Filter("status", "Status", list(choices.ObjectiveStatus.choices)),),
            fields=(
                ("Description", "description"),
                ("Owner", "owner"),
                ("Target date", "target_date"),
                ("Status", "get_status_display"),
            ),
        ),
    )
}


def register(*pages: Page, lists: dict[str, ListSpec]) -> None:
    """Add another app's registers (and their list queries) to the pages served here."""
    LISTS.update(lists)
    PAGES.update((page.key, page) for page in pages)


def fetch_for_page(
    request: AimwellRequest, page: Page, pk: Any, *, write: bool = False
) -> tuple[Any, Membership]:
    """One row of a register: 404 if the member cannot see it, 403 if they may not change it."""
    membership = require(request.membership, page.read)
    base = page.rows_for(membership)
    qs = base if base is not None else page.spec.model._default_manager.all()
    if page.spec.related:
        qs = qs.select_related(*page.spec.related)
    obj, member = get_for_user(
        request.user,
        qs,
        pk,
        organisation=membership.organisation,
        write=write,
        capability=page.read,
    )
    if write:
        require(member, Capability.MANAGE_AIMS)
    return obj, member
