"""Time: dates in order on every record with more than one date, and nothing dated in the
future that cannot yet have happened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from aimwell.consistency.registry import Area, Context, Hit, Severity, ref, rule, url


def _day(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


@rule(
    "nc-dates-out-of-order",
    title="Nonconformity handled before it was raised",
    clause="ISO/IEC 42001 10.2",
    severity=Severity.MAJOR,
    area=Area.TIME,
    example="NC-001 is closed on 17 Nov but was raised on 6 Dec.",
    fix="Correct the raised date, or the dates of the correction, verification or closure.",
)
def nc_dates(ctx: Context) -> Iterator[Hit]:
    from aimwell.improvement.models import Nonconformity

    rows = Nonconformity.objects.filter(organisation_id=ctx.organisation.pk).filter(
        Q(closed_on__lt=F("raised_on"))
        | Q(verified_on__lt=F("raised_on"))
        | Q(correction_done_on__lt=F("raised_on"))
    )
    for nc in rows.only(
        "pk", "reference", "raised_on", "closed_on", "verified_on", "correction_done_on"
    ):
        steps = [
            (name, day)
            for name, day in (
                ("corrected", nc.correction_done_on),
                ("verified", nc.verified_on),
                ("closed", nc.closed_on),
            )
            if day is not None and day < nc.raised_on
        ]
        said = ", ".join(f"{name} on {day}" for name, day in steps)
        yield Hit(
            str(nc.pk),
            f"{nc.reference} was {said}, before it was raised on {nc.raised_on}.",
            (ref(nc.reference, "improvement:nonconformity", nc.pk),),
            url("improvement:nonconformity", nc.pk),
        )


@rule(
    "action-done-before-nc",
    title="Corrective action completed before its nonconformity was raised",
    clause="ISO/IEC 42001 10.2",
    severity=Severity.MINOR,
    area=Area.TIME,
    example="An action of NC-002 is completed on 1 Mar; NC-002 was raised on 5 Mar.",
    fix="Correct the completion date of the action or the raised date of the nonconformity.",
)
def action_dates(ctx: Context) -> Iterator[Hit]:
    from aimwell.improvement.models import Action

    rows = Action.objects.filter(
        organisation_id=ctx.organisation.pk,
        nonconformity__isnull=False,
        completed_on__lt=F("nonconformity__raised_on"),
    ).select_related("nonconformity")
    for action in rows:
        nc = action.nonconformity
        yield Hit(
            str(action.pk),
            f"Action “{action.title}” of {nc.reference} was completed on {action.completed_on}, "
            f"before {nc.reference} was raised on {nc.raised_on}.",
            (
                ref(nc.reference, "improvement:nonconformity", nc.pk),
                ref(action.title, "improvement:action", action.pk),
            ),
            url("improvement:action", action.pk),
        )


@rule(
    "incident-timeline",
    title="Incident dates out of order",
    clause="ISO/IEC 42001 A.8.4; EU AI Act Art. 73",
    severity=Severity.MAJOR,
    area=Area.TIME,
    example="INC-001 was detected on 3 Dec although the organisation became aware of it on "
    "1 Dec (occurred ≤ detected ≤ aware ≤ reported).",
    fix="Correct the occurred, detected, aware, reported or informed dates of the incident.",
)
def incident_timeline(ctx: Context) -> Iterator[Hit]:
    from aimwell.incidents.models import Incident

    rows = Incident.objects.filter(organisation_id=ctx.organisation.pk).only(
        "pk",
        "reference",
        "occurred_at",
        "detected_at",
        "aware_on",
        "authority_reported_on",
        "affected_informed_on",
    )
    for incident in rows:
        detected = _day(incident.detected_at)
        problems = []
        if (
            incident.occurred_at
            and incident.detected_at
            and (incident.occurred_at > incident.detected_at)
        ):
            problems.append(f"occurred on {_day(incident.occurred_at)} after it was detected")
        if detected and incident.aware_on and detected > incident.aware_on:
            problems.append(
                f"detected on {detected}, after the organisation became aware of it on "
                f"{incident.aware_on}"
            )
        first_known = incident.aware_on or detected
        if (
            incident.authority_reported_on
            and first_known
            and (incident.authority_reported_on < first_known)
        ):
            problems.append(
                f"reported to the authority on {incident.authority_reported_on}, before it was "
                f"known on {first_known}"
            )
        if incident.affected_informed_on and detected and incident.affected_informed_on < detected:
            problems.append(
                f"affected people informed on {incident.affected_informed_on}, before it was "
                f"detected on {detected}"
            )
        if problems:
            yield Hit(
                str(incident.pk),
                f"{incident.reference} was " + "; ".join(problems) + ".",
                (ref(incident.reference, "incidents:incident", incident.pk),),
                url("incidents:incident", incident.pk),
            )


@rule(
    "audit-dates-out-of-order",
    title="Internal audit dates out of order",
    clause="ISO/IEC 42001 9.2.2",
    severity=Severity.MINOR,
    area=Area.TIME,
    example="AUD-003 ends on 2 May but starts on 9 May, or its report is dated before it began.",
    fix="Correct the planned dates of the audit.",
)
def audit_dates(ctx: Context) -> Iterator[Hit]:
    from aimwell.internal_audit.models import Audit

    rows = Audit.objects.filter(organisation_id=ctx.organisation.pk).filter(
        Q(planned_end__lt=F("planned_start")) | Q(reported_on__lt=F("planned_start"))
    )
    for audit in rows.only("pk", "reference", "planned_start", "planned_end", "reported_on"):
        if audit.planned_end < audit.planned_start:
            said = f"ends on {audit.planned_end} before it starts on {audit.planned_start}"
        else:
            said = (
                f"was reported on {audit.reported_on}, before it started on {audit.planned_start}"
            )
        yield Hit(
            str(audit.pk),
            f"{audit.reference} {said}.",
            (ref(audit.reference, "internal_audit:audit", audit.pk),),
            url("internal_audit:audit", audit.pk),
        )


@rule(
    "concern-closed-before-received",
    title="Concern closed before it was received",
    clause="ISO/IEC 42001 A.3.3",
    severity=Severity.MINOR,
    area=Area.TIME,
    example="CON-004 is closed on 2 Jan but was received on 10 Jan.",
    fix="Correct the closing date of the concern.",
)
def concern_dates(ctx: Context) -> Iterator[Hit]:
    from aimwell.incidents.models import Concern

    rows = Concern.objects.filter(
        organisation_id=ctx.organisation.pk, closed_on__lt=F("received_on")
    ).only("pk", "reference", "received_on", "closed_on")
    for concern in rows:
        yield Hit(
            str(concern.pk),
            f"{concern.reference} was closed on {concern.closed_on}, before it was received on "
            f"{concern.received_on}.",
            (ref(concern.reference, "incidents:concern", concern.pk),),
            url("incidents:concern", concern.pk),
        )


@rule(
    "document-dates-out-of-order",
    title="Document approved after publication or due for review before it was published",
    clause="ISO/IEC 42001 7.5.2",
    severity=Severity.MINOR,
    area=Area.TIME,
    example="POL-01 v2 was published on 3 Mar but approved on 5 Mar; its next review is dated "
    "before its publication.",
    fix="Re-approve and publish the version, or correct the next review date.",
)
def document_dates(ctx: Context) -> Iterator[Hit]:
    from aimwell.documents.models import DocumentVersion

    rows = (
        DocumentVersion.objects.filter(
            organisation_id=ctx.organisation.pk,
            published_at__isnull=False,
            document__is_retired=False,
        )
        .filter(
            Q(approved_at__gt=F("published_at"))
            | Q(
                document__published_version=F("pk"),
                document__next_review_date__lt=F("published_at__date"),
            )
        )
        .select_related("document")
    )
    for version in rows:
        document = version.document
        if (
            version.approved_at
            and version.published_at
            and (version.approved_at > version.published_at)
        ):
            said = (
                f"v{version.number} was published on {_day(version.published_at)}, before it "
                f"was approved on {_day(version.approved_at)}"
            )
        else:
            said = (
                f"is due for review on {document.next_review_date}, before v{version.number} "
                f"was published on {_day(version.published_at)}"
            )
        yield Hit(
            str(version.pk),
            f"{document.reference} {said}.",
            (ref(f"{document.reference} {document.title}", "documents:detail", document.pk),),
            url("documents:detail", document.pk),
        )


def _future(ctx: Context) -> list[tuple[str, str, str, Any, Any]]:
    """(kind, label, url name, pk, day) of records dated after today."""
    from aimwell.competence.models import TrainingRecord
    from aimwell.improvement.models import Nonconformity
    from aimwell.incidents.models import Incident
    from aimwell.internal_audit.models import Audit
    from aimwell.management_review.models import ManagementReview
    from aimwell.objectives.models import Measurement

    org, today = ctx.organisation.pk, ctx.today
    found: list[tuple[str, str, str, Any, Any]] = []
    for nc in (
        Nonconformity.objects.filter(organisation_id=org)
        .filter(Q(raised_on__gt=today) | Q(closed_on__gt=today))
        .only("pk", "reference", "raised_on", "closed_on")
    ):
        day = nc.raised_on if nc.raised_on > today else nc.closed_on
        found.append(("nonconformity", nc.reference, "improvement:nonconformity", nc.pk, day))
    for incident in (
        Incident.objects.filter(organisation_id=org)
        .filter(
            Q(detected_at__gt=ctx.now) | Q(aware_on__gt=today) | Q(authority_reported_on__gt=today)
        )
        .only("pk", "reference", "detected_at", "aware_on", "authority_reported_on")
    ):
        found.append(
            (
                "incident",
                incident.reference,
                "incidents:incident",
                incident.pk,
                max(
                    d
                    for d in (
                        _day(incident.detected_at),
                        incident.aware_on,
                        incident.authority_reported_on,
                    )
                    if d
                ),
            )
        )
    for review in ManagementReview.objects.filter(organisation_id=org, held_on__gt=today).only(
        "pk", "title", "held_on"
    ):
        found.append(
            (
                "management review",
                review.title,
                "management_review:review",
                review.pk,
                review.held_on,
            )
        )
    for audit in Audit.objects.filter(organisation_id=org, reported_on__gt=today).only(
        "pk", "reference", "reported_on"
    ):
        found.append(
            ("audit report", audit.reference, "internal_audit:audit", audit.pk, audit.reported_on)
        )
    for m in Measurement.objects.filter(organisation_id=org, measured_on__gt=today).select_related(
        "objective"
    ):
        found.append(
            (
                "measurement",
                m.objective.title,
                "objectives:objective",
                m.objective_id,
                m.measured_on,
            )
        )
    for record in TrainingRecord.objects.filter(
        organisation_id=org, completed_on__gt=today
    ).select_related("course", "user"):
        found.append(
            (
                "training record",
                f"{record.course.title} ({record.user.email})",
                "competence:course",
                record.course_id,
                record.completed_on,
            )
        )
    return found


@rule(
    "future-dated-record",
    title="Record dated in the future",
    clause="ISO/IEC 42001 7.5.3",
    severity=Severity.MINOR,
    area=Area.TIME,
    example="A management review is recorded as held next month; a training was completed "
    "tomorrow.",
    fix="Correct the date: a record says what has happened, so its date cannot be after today.",
)
def future_dated(ctx: Context) -> Iterator[Hit]:
    for kind, label, name, pk, day in _future(ctx):
        yield Hit(
            f"{kind}:{pk}:{day}",
            f"The {kind} {label} is dated {day}, after today ({ctx.today}).",
            (ref(label, name, pk),),
            url(name, pk),
        )
