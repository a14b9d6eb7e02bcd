"""The external auditor's workspace: engagements (a guest's time-boxed access to one audit),
samples, comments, evidence requests to owners, findings, and the log of the guest's requests.

A guest writes only here, and only in their own engagement (see `guest_engagement`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from aimwell.accounts import services as accounts
from aimwell.accounts.models import Membership
from aimwell.accounts.roles import Capability, Role, can
from aimwell.certification import sampling
from aimwell.certification.choices import RequestStatus, SampleType
from aimwell.certification.models import (
    Comment,
    Engagement,
    EvidenceAsk,
    ExternalAudit,
    Sample,
)
from aimwell.certification.services import CertificationError, apply_changes, save_new
from aimwell.core.audit import record_event
from aimwell.notifications.reminders import DueItem
from aimwell.notifications.services import notify

GUEST_VIEWED = "guest.viewed"
GUEST_REFUSED = "guest.refused"


def is_guest(membership: Membership | None) -> bool:
    return membership is not None and membership.role == Role.EXTERNAL_AUDITOR


def guest_engagements(membership: Membership) -> list[Engagement]:
    """The guest's current engagements, with their audits."""
    return list(
        Engagement.objects.current()
        .filter(membership=membership)
        .select_related("audit")
        .prefetch_related("audit__systems")
    )


def can_work_in(membership: Membership | None, engagement: Engagement) -> bool:
    """Managers work in every engagement; a guest only in their own current one."""
    if membership is None or membership.organisation_id != engagement.organisation_id:
        return False
    if can(membership, Capability.MANAGE_AIMS):
        return True
    return engagement.membership_id == membership.pk and engagement.is_current


def require_work_in(membership: Membership | None, engagement: Engagement) -> None:
    if not can_work_in(membership, engagement):
        raise PermissionDenied(
            "Only the guest of this engagement (while it runs) or an AIMS manager can write here."
        )


def _sync_expiry(membership: Membership, *, actor: Any) -> None:
    """The guest's membership ends when their last running engagement does."""
    ends = (
        Engagement.objects.filter(membership=membership, revoked_at__isnull=True)
        .order_by("-ends_at")
        .values_list("ends_at", flat=True)
        .first()
    )
    expires = ends or timezone.now()
    if membership.expires_at != expires:
        accounts.update_membership(membership, actor=actor, expires_at=expires)


@transaction.atomic
def grant_engagement(
    audit: ExternalAudit,
    *,
    actor: Any,
    membership: Membership,
    ends_at: dt.datetime,
    starts_at: dt.datetime | None = None,
) -> Engagement:
    """Give a guest access to one audit until `ends_at`; the membership expires then too."""
    if membership.organisation_id != audit.organisation_id:
        raise CertificationError("That person is not a member of this organisation.")
    if membership.role != Role.EXTERNAL_AUDITOR:
        raise CertificationError(
            "Engagements are for guests with the external-auditor role; members already see "
            "what their role allows.",
            field="membership",
        )
    starts_at = starts_at or timezone.now()
    if ends_at <= starts_at:
        raise CertificationError("The engagement must end after it starts.", field="ends_at")
    if not audit.is_open:
        raise CertificationError("The audit is completed or cancelled; plan a new one.")
    engagement = Engagement(
        organisation_id=audit.organisation_id,
        audit=audit,
        membership=membership,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    save_new(engagement, actor=actor, action="certification.engagement_granted")
    _sync_expiry(membership, actor=actor)
    return engagement


@transaction.atomic
def revoke_engagement(engagement: Engagement, *, actor: Any) -> Engagement:
    if engagement.revoked_at is not None:
        return engagement
    apply_changes(
        engagement,
        actor=actor,
        action="certification.engagement_revoked",
        allowed=("revoked_at",),
        revoked_at=timezone.now(),
    )
    _sync_expiry(engagement.membership, actor=actor)
    return engagement


@transaction.atomic
def add_sample(
    engagement: Engagement,
    *,
    actor: Any,
    object_type: str,
    label: str = "",
    object_id: str = "",
    note: str = "",
) -> Sample:
    """Record a sample. A system, control, document or evidence item is picked (its id checked
    against the audit's scope and type, nothing written when it fails); a record kept outside
    Aimwell is described in words."""
    if object_type not in SampleType.values:
        raise CertificationError(f"Unknown sample type {object_type!r}.", field="object_type")
    picked = sampling.resolve(engagement, object_type, object_id)
    label = label.strip() or (picked.label if picked is not None else "")
    if not label:
        raise CertificationError("Say what was sampled.", field="label")
    sample = Sample(
        organisation_id=engagement.organisation_id,
        engagement=engagement,
        object_type=object_type,
        object_id=picked.value if picked is not None else "",
        label=label[:300],
        note=note,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    save_new(sample, actor=actor, action="certification.sample_picked")
    return sample


@transaction.atomic
def add_comment(engagement: Engagement, *, actor: Any, body: str) -> Comment:
    if not body.strip():
        raise CertificationError("Write the comment.", field="body")
    comment = Comment(
        organisation_id=engagement.organisation_id,
        engagement=engagement,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        body=body.strip(),
    )
    save_new(comment, actor=actor, action="certification.comment_added")
    return comment


@transaction.atomic
def ask_evidence(
    engagement: Engagement,
    *,
    actor: Any,
    title: str,
    owner: Any,
    due_date: dt.date,
    description: str = "",
) -> EvidenceAsk:
    """Ask a member (the owner) for evidence by a date; they see it on the certification page."""
    if not title.strip():
        raise CertificationError("Say what evidence is needed.", field="title")
    owner_membership = (
        Membership.objects.active()
        .filter(organisation_id=engagement.organisation_id, user_id=getattr(owner, "pk", owner))
        .first()
    )
    if owner_membership is None or is_guest(owner_membership):
        raise CertificationError("Ask a member of the organisation.", field="owner")
    ask = EvidenceAsk(
        organisation_id=engagement.organisation_id,
        engagement=engagement,
        title=title.strip(),
        description=description,
        owner=owner,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        due_date=due_date,
    )
    save_new(ask, actor=actor, action="certification.evidence_requested")
    notify(
        owner_membership.user,
        owner_membership.organisation,
        kind="certification.evidence_requested",
        title=f"Evidence requested for the external audit: {ask.title}",
        body=description,
        url=_answer_url(ask),
        due_date=due_date,
        key=f"certification.ask:{ask.pk}",
    )
    return ask


def _answer_url(ask: EvidenceAsk) -> str:
    # The owner answers from the certification page, which lists the requests made to them.
    return "/certification/#asks-h"


def due_asks(on_date: dt.date, organisation: Any = None) -> Iterator[DueItem]:
    """Open evidence requests due by the day, for the daily reminders of their owners."""
    asks = EvidenceAsk.objects.filter(status=RequestStatus.OPEN, due_date__lte=on_date)
    if organisation is not None:
        asks = asks.filter(organisation=organisation)
    for ask in asks:
        yield DueItem(
            ask.organisation_id,
            ask.owner_id,
            "certification_request",
            ask.pk,
            f"Evidence for the external auditor: {ask.title}",
            ask.due_date,
            _answer_url(ask),
        )


def can_answer(membership: Membership | None, ask: EvidenceAsk) -> bool:
    if membership is None or membership.organisation_id != ask.organisation_id:
        return False
    return can(membership, Capability.MANAGE_AIMS) or ask.owner_id == membership.user_id


@transaction.atomic
def answer_ask(
    ask: EvidenceAsk, *, actor: Any, answer: str = "", evidence: Any = None
) -> EvidenceAsk:
    """The owner or a manager answers with an evidence item, a note, or both."""
    if ask.status != RequestStatus.OPEN:
        raise CertificationError("This request is no longer open.")
    if evidence is None and not answer.strip():
        raise CertificationError("Link an evidence item or write a note.", field="answer")
    if evidence is not None and evidence.organisation_id != ask.organisation_id:
        raise CertificationError("That evidence belongs to another organisation.", field="evidence")
    apply_changes(
        ask,
        actor=actor,
        action="certification.evidence_answered",
        allowed=("status", "answer", "evidence", "answered_by", "answered_at"),
        status=RequestStatus.ANSWERED,
        answer=answer.strip(),
        evidence=evidence,
        answered_by=actor if getattr(actor, "is_authenticated", False) else None,
        answered_at=timezone.now(),
    )
    return ask


def log_guest_request(
    membership: Membership, *, method: str, path: str, refused: bool = False
) -> None:
    """One audit-trail event per request of a guest: what they looked at (or were refused)."""
    with transaction.atomic():
        record_event(
            organisation_id=membership.organisation_id,
            actor=membership.user,
            action=GUEST_REFUSED if refused else GUEST_VIEWED,
            object_type="accounts.membership",
            object_id=membership.pk,
            object_repr=str(membership.user)[:300],
            changes={"method": method, "path": path[:500]},
        )
