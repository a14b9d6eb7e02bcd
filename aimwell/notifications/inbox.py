"""A member's inbox: what waits for them now, read from the registers (nothing is stored).

- approvals they may give: document versions in review (by the document's approval rule, never
  the submitter's own), the AIMS scope draft (admins and AIMS managers), SoA versions (top
  management), residual risks within their risk-acceptance authority;
- published documents their role must read and acknowledge;
- required training they have not passed (or whose pass has expired);
- what they own that is due within the next two weeks or overdue: actions, nonconformities,
  management reviews, objectives, audits, serious incidents' reports, evidence validity,
  document reviews, and the external auditor's evidence requests (the reminders' own sources).

Each source is one or two queries whatever the size of the registers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from aimwell.accounts.models import Membership
from aimwell.accounts.roles import Capability, Role, can

HORIZON_DAYS = 14  # items due within this many days are shown, with everything overdue

GROUPS: dict[str, str] = {
    "approval": "Approvals waiting for you",
    "acknowledgement": "Documents to read and acknowledge",
    "training": "Training to take",
    "due": "Due soon or overdue",
}


@dataclass(frozen=True)
class InboxItem:
    group: str  # a key of GROUPS
    kind: str  # document_approval, scope_approval, soa_approval, risk_acceptance, ...
    title: str
    url: str
    due_date: dt.date | None = None
    detail: str = ""

    def is_overdue(self, today: dt.date) -> bool:
        return self.due_date is not None and self.due_date < today


@dataclass
class Inbox:
    today: dt.date
    items: list[InboxItem]

    @property
    def count(self) -> int:
        return len(self.items)

    def groups(self) -> list[tuple[str, str, list[InboxItem]]]:
        """(key, heading, items) of each group that holds something, in the order of GROUPS."""
        return [
            (key, label, [i for i in self.items if i.group == key])
            for key, label in GROUPS.items()
            if any(i.group == key for i in self.items)
        ]

    def counts(self) -> dict[str, int]:
        return {key: sum(1 for i in self.items if i.group == key) for key in GROUPS}


def inbox_for(
    membership: Membership | None, *, today: dt.date | None = None, with_due: bool = True
) -> Inbox:
    """Everything waiting for this member in their organisation (empty for a guest, whose work
    is in their audit workspace). `with_due=False` leaves out the due items (the daily reminders
    send those one by one)."""
    day = today or timezone.localdate()
    if membership is None or membership.role == Role.EXTERNAL_AUDITOR:
        return Inbox(day, [])
    items = [
        *_document_approvals(membership),
        *_scope_approval(membership),
        *_soa_approvals(membership),
        *_risk_acceptances(membership),
        *_acknowledgements(membership),
        *_training(membership, day),
        *(_due(membership, day) if with_due else ()),
    ]
    return Inbox(day, items)


def summary(items: list[InboxItem]) -> str:
    """'2 approvals, 1 document to acknowledge' for a digest."""
    words = {
        "approval": ("approval", "approvals"),
        "acknowledgement": ("document to acknowledge", "documents to acknowledge"),
        "training": ("course to take", "courses to take"),
        "due": ("item due", "items due"),
    }
    parts = []
    for key, (one, many) in words.items():
        n = sum(1 for i in items if i.group == key)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def _document_approvals(membership: Membership) -> Iterator[InboxItem]:
    from aimwell.documents.models import DocumentVersion, VersionStatus
    from aimwell.documents.services import approval_refusal

    if not can(membership, Capability.CONTRIBUTE):
        return
    versions = (
        DocumentVersion.objects.filter(
            organisation_id=membership.organisation_id,
            status=VersionStatus.IN_REVIEW,
            document__is_retired=False,
        )
        .select_related("document", "submitted_by")
        .order_by("submitted_at", "pk")
    )
    for version in versions:
        if approval_refusal(membership, version) is None:
            document = version.document
            who = version.submitted_by.display_name if version.submitted_by else "someone"
            yield InboxItem(
                "approval",
                "document_approval",
                f"Approve {document.reference} {document.title} v{version.number}",
                reverse("documents:version", args=[document.pk, version.number]),
                detail=f"submitted by {who}",
            )


def _scope_approval(membership: Membership) -> Iterator[InboxItem]:
    from aimwell.context.models import ScopeVersion

    if not can(membership, Capability.MANAGE_AIMS):
        return
    draft = ScopeVersion.objects.filter(
        organisation_id=membership.organisation_id, status="draft"
    ).first()
    if draft is not None:
        yield InboxItem(
            "approval",
            "scope_approval",
            f"Review and approve the AIMS scope draft v{draft.number}",
            reverse("context:scope-draft"),
            detail=draft.change_note,
        )


def _soa_approvals(membership: Membership) -> Iterator[InboxItem]:
    from aimwell.controls.models import SoAVersion
    from aimwell.controls.services import approval_refusal

    versions = SoAVersion.objects.filter(
        organisation_id=membership.organisation_id, status="draft"
    ).order_by("created_at")
    for version in versions:
        if approval_refusal(membership, version) is None:
            yield InboxItem(
                "approval",
                "soa_approval",
                f"Approve the Statement of Applicability snapshot of "
                f"{timezone.localtime(version.created_at):%d %b %Y}",
                reverse("controls:version", args=[version.pk]),
            )


def _risk_acceptances(membership: Membership) -> Iterator[InboxItem]:
    from aimwell.risks.models import Risk
    from aimwell.risks.services.treatment import acceptance_refusal

    if membership.risk_acceptance_limit is None:
        return
    risks = (
        Risk.objects.filter(
            organisation_id=membership.organisation_id,
            residual_level__isnull=False,
            residual_level__lte=membership.risk_acceptance_limit,
            status__in=["identified", "in_treatment"],
        )
        .select_related("method")
        .order_by("-residual_level", "sequence")
    )
    for risk in risks:
        if acceptance_refusal(membership, risk) is None:
            yield InboxItem(
                "approval",
                "risk_acceptance",
                f"Accept or refuse the residual risk of {risk.reference} {risk.title}",
                reverse("risks:detail", args=[risk.pk]),
                detail=f"residual level {risk.residual_level}",
            )


def _acknowledgements(membership: Membership) -> Iterator[InboxItem]:
    from aimwell.documents.querysets import pending_acknowledgements

    for version in pending_acknowledgements(membership):
        document = version.document
        yield InboxItem(
            "acknowledgement",
            "acknowledgement",
            f"Read and acknowledge {document.reference} {document.title} v{version.number}",
            reverse("documents:version", args=[document.pk, version.number]),
        )


def _training(membership: Membership, today: dt.date) -> Iterator[InboxItem]:
    from aimwell.competence.querysets import courses_to_take

    words = {"missing": "not taken", "failed": "not passed yet", "expired": "expired"}
    for state in courses_to_take(membership, today):
        yield InboxItem(
            "training",
            "training",
            f"Take the course {state.course.title}",
            reverse("competence:course", args=[state.course.pk]),
            due_date=state.record.expires_on if state.state == "expired" and state.record else None,
            detail=words.get(state.state, state.state),
        )


def _due(membership: Membership, today: dt.date) -> Iterator[InboxItem]:
    from aimwell.notifications.reminders import due_items

    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    found = due_items(horizon, membership.organisation, user=membership.user)
    for item in sorted(found, key=lambda i: (i.due_date, i.title)):
        if item.kind == "training":
            continue  # listed under training to take
        yield InboxItem("due", item.kind, item.title, item.url, due_date=item.due_date)
