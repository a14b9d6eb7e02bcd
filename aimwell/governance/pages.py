"""Governance registers served by the context register pages (/context/principles/ and so on,
URL names `context:<key>...`): what each lists, filters and sorts, which form and service write
it, and what its detail page shows beyond its fields. Registered when the app is ready."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from aimwell.accounts.models import Membership
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.context.pages import YES_NO, Filter, Page
from aimwell.core.widgets import Picker
from aimwell.governance import forms, services
from aimwell.governance.choices import BodyKind, PrincipleStatus
from aimwell.governance.querysets import principles_for

# What a principle can be linked to from its page: model, what the page calls them, the field a
# search reads.
LINKABLE: dict[str, tuple[str, str]] = {
    "inventory.aisystem": ("AI systems", "name"),
    "context.objective": ("Objectives", "title"),
    "context.legalrequirement": ("Legal requirements", "name"),
    "context.interestedparty": ("Interested parties", "name"),
}


def link_picker(principle: Any) -> dict[str, Any]:
    """The kinds a principle links to, and the picker that searches the records of one kind (a
    <select> of every record would grow with the organisation)."""
    picker = Picker(
        reverse("governance:principle-pick", args=[principle.pk]),
        include="#principle-link-type",
        placeholder="Search records of that kind by name",
    )
    return {
        "kinds": [(label, title) for label, (title, _) in LINKABLE.items()],
        "field": picker.render("target_id", "", attrs={"id": "principle-link-target"}),
    }


def principle_detail(
    request: AimwellRequest, page: Page, obj: Any, membership: Membership
) -> dict[str, Any]:
    can_link = can(membership, Capability.MANAGE_AIMS)
    return {
        "nodes": obj.catalog_nodes.select_related("framework"),
        "links": obj.links.all(),
        "link_picker": link_picker(obj) if can_link else None,
    }


def role_detail(
    request: AimwellRequest, page: Page, obj: Any, membership: Membership
) -> dict[str, Any]:
    return {"holders": obj.holders.select_related("user")}


def body_detail(
    request: AimwellRequest, page: Page, obj: Any, membership: Membership
) -> dict[str, Any]:
    return {
        "today": timezone.localdate(),
        "members": obj.members.select_related("user"),
        "meetings": obj.meetings.prefetch_related("attendees__user"),
        "decisions": obj.decisions.select_related("meeting", "follow_up_owner__user"),
    }


PAGES: tuple[Page, ...] = (
    Page(
        key="principles",
        slug="principles",
        title="Responsible-AI principles",
        singular="principle",
        clause="5.2, A.2.2",
        intro="The principles the organisation adopts for AI; policies, objectives and "
        "controls link to them.",
        form=forms.PrincipleForm,
        create=services.create_principle,
        update=services.update_principle,
        delete=None,
        columns=("Principle", "Statement", "Owner", "Status", "Links"),
        sorts=(("name", "Name"), ("status", "Status"), ("updated", "Recently changed")),
        filters=(Filter("status", "Status", list(PrincipleStatus.choices)),),
        read=Capability.READ_PUBLISHED,
        extra="governance/_principle_extra.html",
        rows="governance/rows/principles.html",
        base=principles_for,
        detail=principle_detail,
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
        create=services.create_aims_role,
        update=services.update_aims_role,
        delete=services.delete_aims_role,
        columns=("Role", "Responsibilities", "Holders"),
        sorts=(("name", "Name"),),
        fields=(
            ("Responsibilities", "responsibilities"),
            ("Authorities", "authorities"),
        ),
        extra="governance/_role_extra.html",
        rows="governance/rows/roles.html",
        detail=role_detail,
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
        create=services.create_body,
        update=services.update_body,
        delete=None,
        columns=("Body", "Kind", "Chair", "Members", "Meetings", "Open decisions"),
        sorts=(("name", "Name"), ("kind", "Kind")),
        filters=(
            Filter("kind", "Kind", list(BodyKind.choices)),
            Filter("is_active", "Active", YES_NO),
        ),
        extra="governance/_body_extra.html",
        rows="governance/rows/bodies.html",
        detail=body_detail,
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
        intro="What top management has committed to for the AIMS, when, and where it is recorded.",
        form=forms.CommitmentForm,
        create=services.record_commitment,
        update=services.update_commitment,
        delete=None,
        rows="governance/rows/commitments.html",
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
