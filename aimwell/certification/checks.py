"""The final checks before an external audit, computed from the real state of the AIMS, and the
progress of stage 7 of the certification path shown on the readiness page.

Each check reads other apps' models or query helpers (never their views) and says pass or fail,
why, and where to fix it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from aimwell.certification.choices import AuditKind, AuditStatus
from aimwell.certification.models import CertificationProject, ExternalAudit

READINESS_TARGET = 80  # score (of 100) we advise before inviting the certification body


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    passed: bool
    detail: str
    url: str | None


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _year_ago() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=365)


def checklist(organisation: Any) -> list[Check]:
    """The checks, in the order an auditor would look at them."""
    from aimwell.context.models import ScopeVersion
    from aimwell.controls import hooks, readiness
    from aimwell.controls.models import SoAVersion
    from aimwell.documents.querysets import checklist as document_checklist
    from aimwell.evidence.models import EvidenceItem
    from aimwell.internal_audit.models import Audit
    from aimwell.management_review.models import ManagementReview

    today = timezone.localdate()
    checks: list[Check] = []
    scope_ok = ScopeVersion.objects.filter(organisation=organisation, status="approved").exists()
    checks.append(
        Check(
            "scope",
            "AIMS scope defined and approved",
            scope_ok,
            "An approved scope statement exists." if scope_ok else "No approved scope statement.",
            _url("context:scope"),
        )
    )
    soa_ok = SoAVersion.objects.filter(organisation=organisation, status="approved").exists()
    checks.append(
        Check(
            "soa",
            "Statement of Applicability approved",
            soa_ok,
            "An approved SoA version exists." if soa_ok else "The SoA has no approved version.",
            _url("controls:versions"),
        )
    )
    rows = document_checklist(organisation)
    missing = [r for r in rows if r.state == "missing"]
    unapproved = [r for r in rows if r.state not in ("missing", "published", "held")]
    checks.append(
        Check(
            "documents",
            "Mandatory documented information published",
            not missing and not unapproved,
            f"{len(rows) - len(missing) - len(unapproved)} of {len(rows)} published or held as "
            "records; "
            f"{len(missing)} missing, {len(unapproved)} not yet approved and published.",
            _url("documents:checklist"),
        )
    )
    live = EvidenceItem.objects.filter(organisation=organisation, is_retired=False)
    stale = live.filter(valid_until__lt=today).count()
    checks.append(
        Check(
            "evidence",
            "No stale or expired evidence",
            stale == 0,
            f"{stale} piece(s) of evidence past their validity." if stale else "All current.",
            _url("evidence:home"),
        )
    )
    audit_ok = Audit.objects.filter(
        organisation=organisation, status="reported", reported_on__gte=_year_ago()
    ).exists()
    checks.append(
        Check(
            "internal_audit",
            "Internal audit reported in the last 12 months",
            audit_ok,
            "Yes." if audit_ok else "No internal audit report in the last 12 months.",
            _url("internal_audit:audits"),
        )
    )
    review_ok = ManagementReview.objects.filter(
        organisation=organisation, status="held", held_on__gte=_year_ago()
    ).exists()
    checks.append(
        Check(
            "management_review",
            "Management review held in the last 12 months",
            review_ok,
            "Yes." if review_ok else "No management review held in the last 12 months.",
            _url("management_review:reviews"),
        )
    )
    open_ncs = hooks.open_nonconformities(organisation)
    checks.append(
        Check(
            "nonconformities",
            "No open nonconformities",
            not open_ncs,
            f"{len(open_ncs)} open: " + ", ".join(nc.label for nc in open_ncs[:5])
            if open_ncs
            else "None open.",
            _url("improvement:ncs"),
        )
    )
    consistency, finding_counts = _consistency_check(organisation)
    checks.append(consistency)
    report = readiness.compute(organisation, with_trend=False, finding_counts=finding_counts)
    checks.append(
        Check(
            "readiness",
            f"Readiness score at least {READINESS_TARGET}",
            report.score >= READINESS_TARGET,
            f"Score {report.score} of 100.",
            _url("controls:readiness"),
        )
    )
    return checks


def _consistency_check(organisation: Any) -> tuple[Check, dict[str, int] | None]:
    """No open finding of the pre-audit check that would be a nonconformity at audit; and the
    counts readiness weighs, from the same run."""
    from django.apps import apps

    if not apps.is_installed("aimwell.consistency"):
        return Check("consistency", "Pre-audit check clean", True, "Not installed.", None), None
    from aimwell.consistency import engine
    from aimwell.consistency.registry import Severity

    report = engine.run(organisation)
    failing = report.failing(Severity.MINOR)
    majors = sum(1 for f in failing if f.severity == Severity.MAJOR)
    detail = (
        f"{majors} major and {len(failing) - majors} minor open: "
        + "; ".join(f.message for f in failing[:3])
        if failing
        else "No open major or minor finding."
    )
    check = Check(
        "consistency",
        "No open major or minor finding in the pre-audit check",
        not failing,
        detail,
        _url("consistency:check"),
    )
    return check, engine.weighed_counts(report)


# Stage 7 of the readiness page -------------------------------------------------------------------

STAGE_STEPS = (
    "certification body chosen",
    "application submitted",
    "stage 1 completed",
    "stage 2 completed",
    "certificate issued",
    "next surveillance planned",
)


def stage_progress(organisation: Any) -> Any:
    from aimwell.controls import hooks

    project = CertificationProject.objects.filter(organisation=organisation).first()
    if project is None:
        return None
    done_kinds = set(
        ExternalAudit.objects.filter(project=project, status=AuditStatus.COMPLETED).values_list(
            "kind", flat=True
        )
    )
    certificate = project.certificates.order_by("-issued_on").first()
    surveillance = (
        ExternalAudit.objects.filter(
            project=project,
            status=AuditStatus.PLANNED,
            kind__in=[
                AuditKind.SURVEILLANCE_1,
                AuditKind.SURVEILLANCE_2,
                AuditKind.RECERTIFICATION,
            ],
        )
        .order_by("planned_start")
        .first()
    )
    steps = [
        project.body_chosen,
        project.applied_on is not None,
        AuditKind.STAGE_1 in done_kinds,
        AuditKind.STAGE_2 in done_kinds,
        certificate is not None,
        surveillance is not None,
    ]
    done = [label for label, ok in zip(STAGE_STEPS, steps, strict=True) if ok]
    todo = [label for label, ok in zip(STAGE_STEPS, steps, strict=True) if not ok]
    detail = f"{len(done)} of {len(steps)} steps: " + (", ".join(done) or "none yet")
    if todo:
        detail += f"; next: {todo[0]}"
    if surveillance is not None:
        detail += f" ({surveillance.get_kind_display()} on {surveillance.planned_start:%d %b %Y})"
    return hooks.StageProgress(
        percent=round(100 * len(done) / len(steps), 1),
        detail=detail,
        links=[("Certification", "/certification/")],
    )


def register() -> None:
    from aimwell.controls import hooks

    hooks.register_stage_provider(7, stage_progress)
