"""Coverage: what must exist for every AI system in scope, every high risk, every implemented
control, every document, incident and closed nonconformity."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Cast

from aimwell.consistency.registry import (
    Area,
    Context,
    Hit,
    RecordRef,
    Severity,
    counted_by,
    key_text,
    ref,
    rule,
    url,
)

HIGH_RISK = "high_risk"


def _systems(ctx: Context) -> list[tuple[Any, str, Any, str, bool, bool, bool]]:
    """(pk, name, owner id, risk class, has a risk, has an impact assessment, has an active
    monitor) of the AI systems in scope: one query, the existence tests on indexed keys."""
    from aimwell.impact_assessments.models import ImpactAssessment
    from aimwell.inventory.models import AISystem
    from aimwell.monitoring.models import Monitor
    from aimwell.risks.models import Risk

    def compute() -> list[tuple[Any, str, Any, str, bool, bool, bool]]:
        own = OuterRef("pk")
        rows = list(
            AISystem.objects.filter(organisation_id=ctx.organisation.pk, in_scope=True)
            .annotate(
                has_risk=Exists(Risk.objects.filter(system_id=own)),
                has_ia=Exists(ImpactAssessment.objects.filter(system_id=own)),
                has_monitor=Exists(Monitor.objects.filter(system_id=own, is_active=True)),
            )
            .annotate(pk_text=Cast("pk", CharField()))
            .order_by("name")
            .values_list(
                "pk_text", "name", "owner_id", "risk_class", "has_risk", "has_ia", "has_monitor"
            )
        )
        return [(key_text(row[0]), *row[1:]) for row in rows]

    return ctx.once("systems_in_scope", compute)


def _in_scope(ctx: Context) -> QuerySet[Any]:
    from aimwell.inventory.models import AISystem

    return AISystem.objects.filter(organisation_id=ctx.organisation.pk, in_scope=True)


def _system_hit(pk: Any, name: str, message: str) -> Hit:
    address = url("inventory:system", pk)
    return Hit(str(pk), message, (RecordRef(name, address),), address)


@rule(
    "system-unclassified",
    title="AI system in scope without an EU AI Act classification",
    clause="EU AI Act Art. 6; ISO/IEC 42001 4.3",
    severity=Severity.MAJOR,
    area=Area.COVERAGE,
    example="“CV screening” is in scope and has a serious incident but no classification.",
    fix="Classify the system with the questionnaire on its page (`aimwell classify`).",
)
def unclassified(ctx: Context) -> Iterator[Hit]:
    for pk, name, _, risk_class, *_ in _systems(ctx):
        if not risk_class:
            yield _system_hit(
                pk, name, f"“{name}” is in scope but has no EU AI Act classification."
            )


@counted_by("system-unclassified")
def unclassified_systems(ctx: Context) -> QuerySet[Any]:
    return _in_scope(ctx).filter(Q(risk_class="") | Q(risk_class__isnull=True))


@rule(
    "system-without-owner",
    title="AI system in scope without an owner",
    clause="ISO/IEC 42001 A.3.2",
    severity=Severity.MINOR,
    area=Area.COVERAGE,
    example="“Fraud detection” is in scope with nobody accountable for it.",
    fix="Name the system's owner on its page.",
)
def without_owner(ctx: Context) -> Iterator[Hit]:
    for pk, name, owner_id, *_ in _systems(ctx):
        if owner_id is None:
            yield _system_hit(pk, name, f"“{name}” is in scope but has no owner.")


@counted_by("system-without-owner")
def systems_without_owner(ctx: Context) -> QuerySet[Any]:
    return _in_scope(ctx).filter(owner__isnull=True)


@rule(
    "system-without-risk-assessment",
    title="AI system in scope without a risk assessment",
    clause="ISO/IEC 42001 6.1.2; 8.2",
    severity=Severity.MAJOR,
    area=Area.COVERAGE,
    example="“Customer support assistant” is in scope with no risk in the register.",
    fix="Assess the system's risks in the risk register.",
)
def without_risk(ctx: Context) -> Iterator[Hit]:
    for pk, name, _, _, has_risk, _, _ in _systems(ctx):
        if not has_risk:
            yield _system_hit(pk, name, f"“{name}” is in scope but no risk of it is assessed.")


@rule(
    "system-without-impact-assessment",
    title="AI system in scope without an impact assessment",
    clause="ISO/IEC 42001 6.1.4; 8.4",
    severity=Severity.MAJOR,
    area=Area.COVERAGE,
    example="“Fraud detection” decides on customers but has no AI system impact assessment.",
    fix="Start an impact assessment from the system's page.",
)
def without_impact(ctx: Context) -> Iterator[Hit]:
    for pk, name, _, _, _, has_ia, _ in _systems(ctx):
        if not has_ia:
            yield _system_hit(
                pk, name, f"“{name}” is in scope but has no AI system impact assessment."
            )


@rule(
    "fria-missing",
    title="Fundamental rights impact assessment required but not done",
    clause="EU AI Act Art. 27; ISO/IEC 42001 6.1.4",
    severity=Severity.MAJOR,
    area=Area.COVERAGE,
    example="IA-002 of “CV screening” says a FRIA is required and its FRIA part is empty.",
    fix="Complete the FRIA part of the impact assessment.",
)
def fria_missing(ctx: Context) -> Iterator[Hit]:
    from aimwell.impact_assessments.models import ImpactAssessment

    rows = ImpactAssessment.objects.filter(
        organisation_id=ctx.organisation.pk, fria_required=True, system__in_scope=True
    ).select_related("system")
    for ia in rows:
        if not any(str(v).strip() for v in (ia.fria or {}).values()):
            yield Hit(
                str(ia.pk),
                f"{ia.reference} of “{ia.system.name}” requires a FRIA, which is empty.",
                (ref(ia.reference, "impact_assessments:detail", ia.pk),),
                url("impact_assessments:detail", ia.pk),
            )


@rule(
    "high-risk-system-without-monitor",
    title="High-risk AI system without an active monitor",
    clause="ISO/IEC 42001 9.1; A.6.2.6; EU AI Act Art. 72",
    severity=Severity.MINOR,
    area=Area.COVERAGE,
    example="“CV screening” is high-risk under the EU AI Act and nothing monitors it.",
    fix="Add a monitor on the system's prediction log.",
)
def without_monitor(ctx: Context) -> Iterator[Hit]:
    for pk, name, _, risk_class, _, _, has_monitor in _systems(ctx):
        if risk_class == HIGH_RISK and not has_monitor:
            yield _system_hit(pk, name, f"“{name}” is high-risk and no active monitor watches it.")


@counted_by("high-risk-system-without-monitor")
def high_risk_systems_without_monitor(ctx: Context) -> QuerySet[Any]:
    from aimwell.monitoring.models import Monitor

    active = Monitor.objects.filter(system_id=OuterRef("pk"), is_active=True)
    return _in_scope(ctx).filter(risk_class=HIGH_RISK).exclude(Exists(active))


@rule(
    "high-risk-untreated",
    title="Risk above the acceptance threshold without treatment or acceptance",
    clause="ISO/IEC 42001 6.1.3",
    severity=Severity.MAJOR,
    area=Area.COVERAGE,
    example="R-014 has level 16 against a threshold of 8, no treatment option and is not accepted.",
    fix="Choose a treatment for the risk, or have its residual level accepted.",
)
def untreated(ctx: Context) -> Iterator[Hit]:
    rows = (
        untreated_risks(ctx)
        .annotate(pk_text=Cast("pk", CharField()))
        .order_by("reference")
        .values_list("pk_text", "reference", "inherent_level", "method__acceptance_threshold")
    )
    for text, reference, level, threshold in rows:
        pk = key_text(text)
        address = url("risks:detail", pk)
        yield Hit(
            str(pk),
            f"{reference} has level {level}, above the acceptance threshold {threshold}, with no "
            "treatment and no acceptance.",
            (RecordRef(reference, address),),
            address,
        )


@counted_by("high-risk-untreated")
def untreated_risks(ctx: Context) -> QuerySet[Any]:
    from aimwell.risks.models import Risk

    return Risk.objects.filter(
        organisation_id=ctx.organisation.pk,
        inherent_level__gt=F("method__acceptance_threshold"),
        treatment_option="",
    ).exclude(status__in=["accepted", "closed"])


@rule(
    "acceptance-above-authority",
    title="Risk accepted above the acceptor's authority",
    clause="ISO/IEC 42001 6.1.3; 5.3",
    severity=Severity.MAJOR,
    area=Area.COVERAGE,
    example="R-007 was accepted at level 12 by a member whose acceptance limit is 6 and who is "
    "not top management.",
    fix="Have someone with the authority (or top management) accept the risk again.",
)
def above_authority(ctx: Context) -> Iterator[Hit]:
    from aimwell.accounts.models import Membership
    from aimwell.risks.models import Risk

    rows = list(
        Risk.objects.filter(
            organisation_id=ctx.organisation.pk, status="accepted", accepted_level__isnull=False
        )
        .annotate(pk_text=Cast("pk", CharField()))
        .order_by("reference")
        .values_list(
            "pk_text",
            "reference",
            "accepted_level",
            "accepted_by_id",
            "accepted_by_label",
            "method__acceptance_threshold",
        )
    )
    if not rows:
        return
    authority = {
        user_id: (top, limit)
        for user_id, top, limit in Membership.objects.filter(
            organisation_id=ctx.organisation.pk
        ).values_list("user_id", "is_top_management", "risk_acceptance_limit")
    }
    for text, reference, level, user_id, label, threshold in rows:
        top, limit = authority.get(user_id, (False, None))
        # As the acceptance service decides: within the member's limit, and above the method's
        # threshold only for top management.
        if limit is not None and level <= limit and (level <= threshold or top):
            continue
        pk = key_text(text)
        allowed = f"whose limit is {limit}" if limit is not None else "with no acceptance limit"
        address = url("risks:detail", pk)
        yield Hit(
            str(pk),
            f"{reference} was accepted at level {level} by {label or 'a former member'}, "
            f"{allowed} and who is not top management.",
            (RecordRef(reference, address),),
            address,
        )


@rule(
    "implemented-control-evidence-expired",
    title="Implemented control whose evidence has all expired",
    clause="ISO/IEC 42001 7.5.3; 9.1",
    severity=Severity.MINOR,
    area=Area.COVERAGE,
    example="A.7.4 is implemented; its only evidence, the data-quality report, expired in June.",
    fix="Add current evidence or renew the expired item.",
)
def evidence_expired(ctx: Context) -> Iterator[Hit]:
    from aimwell.controls.models import SoAEntry
    from aimwell.evidence.models import EvidenceItem

    entries = list(
        SoAEntry.objects.filter(
            organisation_id=ctx.organisation.pk,
            applicable=True,
            status="implemented",
            node__isnull=False,
        ).select_related("node")
    )
    if not entries:
        return
    links = EvidenceItem.requirements.through.objects.filter(
        evidenceitem__organisation_id=ctx.organisation.pk,
        evidenceitem__is_retired=False,
        requirementnode_id__in=[e.node_id for e in entries],
    ).values_list("requirementnode_id", "evidenceitem__valid_until")
    current: dict[Any, bool] = {}
    for node_id, valid_until in links:
        current[node_id] = current.get(node_id, False) or (
            valid_until is None or valid_until >= ctx.today
        )
    for entry in entries:
        if current.get(entry.node_id) is False:
            yield Hit(
                str(entry.pk),
                f"{entry.node.ref_id} is implemented but every evidence item linked to it has "
                "expired.",
                (ref(f"SoA {entry.node.ref_id}", "controls:entry", entry.node.ref_id),),
                url("evidence:home"),
            )


@rule(
    "document-review-overdue",
    title="Published document past its review date",
    clause="ISO/IEC 42001 7.5.2",
    severity=Severity.MINOR,
    area=Area.COVERAGE,
    example="POL-01 AI policy was due for review on 1 March.",
    fix="Review the document and record the review (a new version or a confirmation).",
)
def review_overdue(ctx: Context) -> Iterator[Hit]:
    from aimwell.documents.models import Document

    rows = Document.objects.filter(
        organisation_id=ctx.organisation.pk,
        is_retired=False,
        published_version__isnull=False,
        next_review_date__lt=ctx.today,
    ).order_by("reference")
    for document in rows.only("pk", "reference", "title", "next_review_date"):
        yield Hit(
            str(document.pk),
            f"{document.reference} {document.title} was due for review on "
            f"{document.next_review_date}.",
            (ref(document.reference, "documents:detail", document.pk),),
            url("documents:detail", document.pk),
        )


@rule(
    "incident-past-art73-clock",
    title="Serious incident not reported by its Art. 73 deadline",
    clause="EU AI Act Art. 73",
    severity=Severity.MAJOR,
    area=Area.COVERAGE,
    example="INC-002 is serious, its report was due on 20 Nov and no report to the authority is "
    "recorded.",
    fix="Report to the market surveillance authority and record the date on the incident.",
)
def art73(ctx: Context) -> Iterator[Hit]:
    from aimwell.incidents.models import Incident

    rows = Incident.objects.filter(
        organisation_id=ctx.organisation.pk,
        is_serious=True,
        authority_reported_on__isnull=True,
        report_deadline__lt=ctx.today,
    ).only("pk", "reference", "report_deadline")
    for incident in rows:
        yield Hit(
            str(incident.pk),
            f"{incident.reference} is a serious incident due for report by "
            f"{incident.report_deadline}; no report is recorded.",
            (ref(incident.reference, "incidents:incident", incident.pk),),
            url("incidents:incident", incident.pk),
        )


@rule(
    "nc-closed-without-effectiveness",
    title="Nonconformity closed without an effective verification",
    clause="ISO/IEC 42001 10.2",
    severity=Severity.MAJOR,
    area=Area.COVERAGE,
    example="NC-003 is closed but its corrective action was never verified as effective.",
    fix="Verify the effectiveness of the corrective action, or reopen the nonconformity.",
)
def closed_unverified(ctx: Context) -> Iterator[Hit]:
    from aimwell.improvement.models import Nonconformity

    rows = (
        Nonconformity.objects.filter(organisation_id=ctx.organisation.pk, status="closed")
        .exclude(verification_result="effective")
        .only("pk", "reference", "closed_on")
    )
    for nc in rows:
        yield Hit(
            str(nc.pk),
            f"{nc.reference} was closed on {nc.closed_on} without a verification that its "
            "corrective action was effective.",
            (ref(nc.reference, "improvement:nonconformity", nc.pk),),
            url("improvement:nonconformity", nc.pk),
        )


@rule(
    "audit-by-owner",
    title="Internal audit led by the owner of what it audits",
    clause="ISO/IEC 42001 9.2.2",
    severity=Severity.MAJOR,
    area=Area.COVERAGE,
    example="AUD-002 of the risk management process is led by the owner of that process.",
    fix="Choose another lead auditor, or change the audit's scope.",
)
def audit_by_owner(ctx: Context) -> Iterator[Hit]:
    from aimwell.accounts.models import Membership
    from aimwell.internal_audit.models import Audit
    from aimwell.internal_audit.processes import processes_of

    audits = list(
        Audit.objects.filter(organisation_id=ctx.organisation.pk, lead_auditor__isnull=False)
        .exclude(status="cancelled")
        .select_related("lead_auditor")
        .prefetch_related("requirements", "sampled_systems")
    )
    if not audits:
        return
    memberships = {
        m.user_id: m
        for m in Membership.objects.filter(
            organisation_id=ctx.organisation.pk,
            user_id__in={a.lead_auditor_id for a in audits},
        )
    }
    for audit in audits:
        membership = memberships.get(audit.lead_auditor_id)
        if membership is None:
            continue
        owned = set(membership.owned_processes) & processes_of(
            audit.requirements.all(), audit.processes
        )
        systems = [
            s.name for s in audit.sampled_systems.all() if s.owner_id == audit.lead_auditor_id
        ]
        if owned or systems:
            what = ", ".join([*sorted(owned), *(f"“{s}”" for s in systems)])
            yield Hit(
                str(audit.pk),
                f"{audit.reference} is led by {audit.lead_auditor.email}, who owns {what} "
                "audited in it.",
                (ref(audit.reference, "internal_audit:audit", audit.pk),),
                url("internal_audit:audit", audit.pk),
            )
