"""The registers as pages: what each list shows, filters and sorts, and which form and service
functions write it. The generic views in `views.py` serve every register from this table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aimwell.accounts.roles import Capability
from aimwell.context import choices, forms
from aimwell.context.services import context as ctx
from aimwell.context.services import governance as gov


@dataclass(frozen=True)
class Filter:
    name: str
    label: str
    options: list[tuple[str, str]]  # empty: the organisation's AI systems


@dataclass(frozen=True)
class Page:
    key: str  # list key in querysets.LISTS and URL name prefix
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


_YES_NO = [("true", "Yes"), ("false", "No")]

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
                Filter("is_active", "Active", _YES_NO),
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
                Filter("is_requirement", "Becomes a requirement", _YES_NO),
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
                Filter("is_active", "Active", _YES_NO),
                Filter("system", "Applies to", []),
            ),
            extra="context/_legal_extra.html",
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
        Page(
            key="principles",
            slug="principles",
            title="Responsible-AI principles",
            singular="principle",
            clause="5.2, A.2.2",
            intro="The principles the organisation adopts for AI; policies, objectives and "
            "controls link to them.",
            form=forms.PrincipleForm,
            create=gov.create_principle,
            update=gov.update_principle,
            delete=None,
            columns=("Principle", "Statement", "Owner", "Status", "Links"),
            sorts=(("name", "Name"), ("status", "Status"), ("updated", "Recently changed")),
            filters=(Filter("status", "Status", list(choices.PrincipleStatus.choices)),),
            read=Capability.READ_PUBLISHED,
            extra="context/_principle_extra.html",
            fields=(
                ("Statement", "statement"),
                ("Rationale", "rationale"),
                ("Owner", "owner"),
                ("Status", "get_status_display"),
            ),
        ),
        Page(
            key="roles",
            slug="aims-roles",
            title="AIMS roles",
            singular="AIMS role",
            clause="5.3, A.3.2",
            intro="Roles in the AI management system, their responsibilities and authorities, and "
            "who holds them.",
            form=forms.AIMSRoleForm,
            create=gov.create_aims_role,
            update=gov.update_aims_role,
            delete=gov.delete_aims_role,
            columns=("Role", "Responsibilities", "Holders"),
            sorts=(("name", "Name"),),
            fields=(
                ("Responsibilities", "responsibilities"),
                ("Authorities", "authorities"),
            ),
            extra="context/_role_extra.html",
        ),
        Page(
            key="bodies",
            slug="oversight-bodies",
            title="Oversight bodies",
            singular="oversight body",
            clause="5.1, 5.3, A.3.2",
            intro="Committees and boards that oversee AI: their members, terms of reference, "
            "meetings and decisions.",
            form=forms.BodyForm,
            create=gov.create_body,
            update=gov.update_body,
            delete=None,
            columns=("Body", "Kind", "Chair", "Members", "Meetings", "Open decisions"),
            sorts=(("name", "Name"), ("kind", "Kind")),
            filters=(
                Filter("kind", "Kind", list(choices.BodyKind.choices)),
                Filter("is_active", "Active", _YES_NO),
            ),
            extra="context/_body_extra.html",
            fields=(
                ("Kind", "get_kind_display"),
                ("Terms of reference", "terms_of_reference"),
                ("Chair", "chair"),
                ("Meets", "meeting_frequency"),
                ("Active", "is_active"),
            ),
        ),
        Page(
            key="commitments",
            slug="leadership",
            title="Leadership commitment",
            singular="commitment",
            clause="5.1",
            intro="What top management has committed to for the AIMS, when, and where it is "
            "recorded.",
            form=forms.CommitmentForm,
            create=gov.record_commitment,
            update=gov.update_commitment,
            delete=None,
            columns=("Date", "Who", "Commitment", "Evidence"),
            sorts=(("made_on", "Newest first"), ("oldest", "Oldest first")),
            fields=(
                ("Made by", "made_by"),
                ("On", "made_on"),
                ("Commitment", "commitment"),
                ("Evidence", "evidence"),
                ("Evidence link", "evidence_url"),
            ),
        ),
    )
}
