"""Reminders: what is due or overdue on a day, and who must hear about it.

`send_reminders(on_date)` is a plain function (the daily background task wraps it): it collects
every item due on or before the day and notifies its owner in the app and by email. A rerun for
the same day notifies nobody twice."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.mail import send_mail
from django.db import transaction

from aimwell.accounts.models import Membership
from aimwell.competence.models import TrainingRecord
from aimwell.core import events
from aimwell.documents.models import Document
from aimwell.evidence.models import EvidenceItem
from aimwell.improvement.choices import ActionStatus, NCStatus
from aimwell.improvement.models import Action, Nonconformity
from aimwell.incidents.models import Incident
from aimwell.internal_audit.choices import AuditStatus
from aimwell.internal_audit.models import Audit
from aimwell.management_review.choices import ReviewStatus
from aimwell.management_review.models import ManagementReview
from aimwell.notifications.models import Notification
from aimwell.notifications.services import notify
from aimwell.objectives.choices import ObjectiveStatus
from aimwell.objectives.models import AIObjective


@dataclass(frozen=True)
class DueItem:
    """One thing a member must do by a date."""

    organisation_id: Any
    user_id: Any
    kind: str
    object_id: Any
    title: str
    due_date: dt.date
    url: str

    def label(self, on: dt.date) -> str:
        days = (self.due_date - on).days
        when = (
            "due today"
            if days == 0
            else f"overdue by {-days} day(s)"
            if days < 0
            else (f"due in {days} day(s)")
        )
        return f"{self.title} ({when}, {self.due_date:%d %b %Y})"


DueSource = Callable[[dt.date, Any], Iterable[DueItem]]
# Apps above this one (for instance certification, whose evidence requests have due dates) add
# what their members owe here, so reminders cover them without this app importing theirs.
_DUE_SOURCES: list[DueSource] = []


def register_due_source(source: DueSource) -> DueSource:
    """Call with a function (on_date, organisation or None) listing more due items."""
    if source not in _DUE_SOURCES:
        _DUE_SOURCES.append(source)
    return source


@dataclass
class ReminderReport:
    on_date: dt.date
    items: list[DueItem] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    # One a member and day: what waits in their inbox besides the due items.
    digests: list[Notification] = field(default_factory=list)
    emails: int = 0

    @property
    def notified_user_ids(self) -> set[Any]:
        return {n.user_id for n in self.notifications}

    def summary(self) -> str:
        return (
            f"{self.on_date}: {len(self.items)} item(s) due or overdue, "
            f"{len(self.notifications)} new notification(s) to "
            f"{len(self.notified_user_ids)} member(s), {len(self.digests)} inbox digest(s), "
            f"{self.emails} email(s)."
        )


def due_items(on_date: dt.date, organisation: Any = None, user: Any = None) -> Iterator[DueItem]:
    """Everything due on or before the day, each with the member who owns it (only `user`'s
    when given: their inbox)."""
    for item in _due_items(on_date, organisation, user):
        if user is None or item.user_id == user.pk:
            yield item


def _due_items(on_date: dt.date, organisation: Any, user: Any) -> Iterator[DueItem]:
    owner_fields = {
        Action: "owner",
        Nonconformity: "owner",
        ManagementReview: "chair",
        AIObjective: "owner",
        Audit: "lead_auditor",
        Incident: "owner",
        EvidenceItem: "owner",
        Document: "owner",
    }

    def scoped(qs: Any) -> Any:
        if organisation is not None:
            qs = qs.filter(organisation=organisation)
        if user is not None:
            qs = qs.filter(**{owner_fields[qs.model]: user})
        return qs

    for a in scoped(
        Action.objects.filter(status=ActionStatus.OPEN, due_date__lte=on_date, owner__isnull=False)
    ):
        yield DueItem(
            a.organisation_id,
            a.owner_id,
            "action",
            a.pk,
            f"Action: {a.title}",
            a.due_date,
            f"/operations/actions/{a.pk}/",
        )
    for n in scoped(
        Nonconformity.objects.exclude(status=NCStatus.CLOSED).filter(
            due_date__lte=on_date, owner__isnull=False
        )
    ):
        yield DueItem(
            n.organisation_id,
            n.owner_id,
            "nonconformity",
            n.pk,
            f"Nonconformity {n.reference}: {n.title}",
            n.due_date,
            f"/operations/nonconformities/{n.pk}/",
        )
    for r in scoped(
        ManagementReview.objects.filter(
            status=ReviewStatus.PLANNED, planned_on__lte=on_date, chair__isnull=False
        )
    ):
        yield DueItem(
            r.organisation_id,
            r.chair_id,
            "review",
            r.pk,
            f"Management review: {r.title}",
            r.planned_on,
            f"/operations/reviews/{r.pk}/",
        )
    for o in scoped(
        AIObjective.objects.filter(
            due_date__lte=on_date,
            owner__isnull=False,
            status__in=[
                ObjectiveStatus.NOT_STARTED,
                ObjectiveStatus.ON_TRACK,
                ObjectiveStatus.AT_RISK,
            ],
        )
    ):
        yield DueItem(
            o.organisation_id,
            o.owner_id,
            "objective",
            o.pk,
            f"Objective due, record its result: {o.title}",
            o.due_date,
            f"/operations/objectives/{o.pk}/",
        )
    for au in scoped(
        Audit.objects.filter(lead_auditor__isnull=False).filter(
            status__in=[AuditStatus.PLANNED, AuditStatus.IN_PROGRESS]
        )
    ):
        due = au.planned_start if au.status == AuditStatus.PLANNED else au.planned_end
        if due <= on_date:
            what = "to start" if au.status == AuditStatus.PLANNED else "report due"
            yield DueItem(
                au.organisation_id,
                au.lead_auditor_id,
                "audit",
                au.pk,
                f"Audit {au.reference} {what}: {au.title}",
                due,
                f"/operations/audits/{au.pk}/",
            )
    for i in scoped(
        Incident.objects.filter(
            is_serious=True,
            authority_reported_on__isnull=True,
            report_deadline__isnull=False,
            owner__isnull=False,
            aware_on__lte=on_date,
        )
    ):
        yield DueItem(
            i.organisation_id,
            i.owner_id,
            "incident",
            i.pk,
            f"Report serious incident {i.reference} to the authority",
            i.report_deadline,
            f"/operations/incidents/{i.pk}/",
        )
    yield from _training_due(on_date, organisation, user)
    for e in scoped(
        EvidenceItem.objects.filter(is_retired=False, valid_until__lte=on_date, owner__isnull=False)
    ):
        yield DueItem(
            e.organisation_id,
            e.owner_id,
            "evidence",
            e.pk,
            f"Evidence expires: {e.title}",
            e.valid_until,
            f"/evidence/{e.pk}/",
        )
    for d in scoped(
        Document.objects.filter(
            is_retired=False, next_review_date__lte=on_date, owner__isnull=False
        )
    ):
        yield DueItem(
            d.organisation_id,
            d.owner_id,
            "document",
            d.pk,
            f"Document review: {d.reference} {d.title}",
            d.next_review_date,
            f"/documents/{d.pk}/",
        )
    for source in _DUE_SOURCES:
        yield from source(on_date, organisation)


def _training_due(on_date: dt.date, organisation: Any, user: Any = None) -> Iterator[DueItem]:
    """The latest passed record of each member and course, when it has expired by the day."""
    records = TrainingRecord.objects.filter(passed=True, course__is_active=True).select_related(
        "course"
    )
    if organisation is not None:
        records = records.filter(organisation=organisation)
    if user is not None:
        records = records.filter(user=user)
    latest: dict[tuple[Any, Any], TrainingRecord] = {}
    for record in records.order_by("completed_on", "created_at"):
        latest[(record.user_id, record.course_id)] = record
    for record in latest.values():
        if record.expires_on is not None and record.expires_on <= on_date:
            yield DueItem(
                record.organisation_id,
                record.user_id,
                "training",
                record.course_id,
                f"Training expires: {record.course.title}",
                record.expires_on,
                f"/operations/training/courses/{record.course_id}/",
            )


@transaction.atomic
def send_reminders(
    on_date: dt.date, *, organisation: Any = None, email: bool = True
) -> ReminderReport:
    """Notify the owner of every item due or overdue on `on_date`, once per item and day."""
    report = ReminderReport(on_date=on_date)
    active = set(Membership.objects.active().values_list("organisation_id", "user_id"))
    members = {m.user_id: m.user for m in Membership.objects.active().select_related("user")}
    fresh: dict[Any, list[DueItem]] = defaultdict(list)
    for item in due_items(on_date, organisation):
        if (item.organisation_id, item.user_id) not in active:
            continue
        report.items.append(item)
        note = notify(
            members[item.user_id],
            _org(item.organisation_id),
            kind=f"{item.kind}.due",
            title=item.label(on_date),
            url=item.url,
            due_date=item.due_date,
            key=f"reminder:{item.kind}:{item.object_id}:{on_date.isoformat()}",
        )
        if note is not None:
            report.notifications.append(note)
            fresh[item.user_id].append(item)
            events.emit(
                item.organisation_id,
                action=f"{item.kind}.due",
                object_type=item.kind,
                object_id=item.object_id,
                object_repr=item.title,
                changes={
                    "due_date": item.due_date.isoformat(),
                    "status": item.label(on_date),
                    "owner": members[item.user_id].email,
                    "url": item.url,
                },
            )
    digests = _inbox_digests(on_date, organisation, report)
    if email:
        for user_id in [*fresh, *(u for u in digests if u not in fresh)]:
            user = members[user_id]
            lines = [f"- {i.label(on_date)}: {i.url}" for i in fresh.get(user_id, [])]
            if user_id in digests:
                lines.append(f"- Waiting in your inbox: {digests[user_id]}: /inbox/")
            due = len(fresh.get(user_id, []))
            send_mail(
                subject=f"Aimwell: {due} item(s) due or overdue"
                if due
                else "Aimwell: waiting in your inbox",
                message="These need your attention:\n\n" + "\n".join(lines),
                from_email=None,  # Django's DEFAULT_FROM_EMAIL (AIMWELL_FROM_EMAIL)
                recipient_list=[user.email],
            )
            report.emails += 1
        sent = [*report.notifications, *report.digests]
        Notification.objects.filter(pk__in=[n.pk for n in sent]).update(emailed=True)
    return report


def _inbox_digests(on_date: dt.date, organisation: Any, report: ReminderReport) -> dict[Any, str]:
    """Once a day, tell each member what waits in their inbox besides the due items above
    (approvals, acknowledgements, training): one notification, and a line in the day's email."""
    from aimwell.notifications.inbox import inbox_for, summary

    members = (
        Membership.objects.active()
        .exclude(role="external_auditor")
        .select_related("user", "organisation")
    )
    if organisation is not None:
        members = members.filter(organisation=organisation)
    digests: dict[Any, str] = {}
    for membership in members:
        waiting = inbox_for(membership, today=on_date, with_due=False).items
        if not waiting:
            continue
        text = summary(waiting)
        note = notify(
            membership.user,
            membership.organisation,
            kind="inbox.waiting",
            title=f"Waiting in your inbox: {text}",
            url="/inbox/",
            key=f"inbox:{membership.organisation_id}:{on_date.isoformat()}",
        )
        if note is not None:
            report.digests.append(note)
            digests[membership.user_id] = text
    return digests


def _org(organisation_id: Any) -> Any:
    from aimwell.accounts.models import Organisation

    return Organisation(pk=organisation_id)
