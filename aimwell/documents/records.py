"""Records Aimwell already holds that are themselves the documented information ISO/IEC 42001
asks to retain: the audit programme and its reports (9.2.2), management review results (9.3.3),
nonconformities and corrective actions (10.2), competence records (7.2), and so on. The
mandatory-documents checklist counts a requirement as held when its register has such records,
even without a separate document.

A fixed number of queries (one or two per kind of record) whatever the size of the registers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class HeldRecords:
    label: str  # what the register holds, e.g. "3 nonconformities"
    url: str


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _count(label: str, url_name: str, query: Callable[[Any], int]) -> Callable[[Any], Any]:
    def held(org: Any) -> HeldRecords | None:
        n = query(org)
        if not n:
            return None
        words = {"n": n, "s": "" if n == 1 else "s", "ies": "y" if n == 1 else "ies"}
        return HeldRecords(label.format(**words), _url(url_name))

    return held


def _scope(org: Any) -> int:
    from aimwell.context.models import ScopeVersion

    return ScopeVersion.objects.filter(organisation=org, status="approved").count()


def _methods(org: Any) -> int:
    from aimwell.risks.models import RiskMethod

    return RiskMethod.objects.filter(organisation=org, is_current=True).count()


def _soa(org: Any) -> int:
    from aimwell.controls.models import SoAVersion

    return SoAVersion.objects.filter(organisation=org, status="approved").count()


def _risks(org: Any) -> int:
    from aimwell.risks.models import Risk

    return Risk.objects.filter(organisation=org).count()


def _treated(org: Any) -> int:
    from aimwell.risks.models import Risk

    return Risk.objects.filter(organisation=org).exclude(treatment_option="").count()


def _impact(org: Any) -> int:
    from aimwell.impact_assessments.models import ImpactAssessment

    return ImpactAssessment.objects.filter(organisation=org, status="approved").count()


def _objectives(org: Any) -> int:
    from aimwell.objectives.models import AIObjective

    return AIObjective.objects.filter(organisation=org).exclude(status="retired").count()


def _training(org: Any) -> int:
    from aimwell.competence.models import TrainingRecord

    return TrainingRecord.objects.filter(organisation=org).count()


def _measurements(org: Any) -> int:
    """Measurements of AI objectives and completed monitoring runs of AI systems: both are the
    results of monitoring and measurement that 9.1 asks to retain."""
    from aimwell.monitoring.models import MonitorRun
    from aimwell.objectives.models import Measurement

    runs = MonitorRun.objects.filter(organisation=org, status="succeeded").count()
    return Measurement.objects.filter(organisation=org).count() + runs


def _audits(org: Any) -> int:
    from aimwell.internal_audit.models import Audit

    return Audit.objects.filter(
        organisation=org, programme__isnull=False, status="reported"
    ).count()


def _reviews(org: Any) -> int:
    from aimwell.management_review.models import ManagementReview

    return ManagementReview.objects.filter(organisation=org, status="held").count()


def _nonconformities(org: Any) -> int:
    from aimwell.improvement.models import Nonconformity

    return Nonconformity.objects.filter(organisation=org).count()


# Requirement (ISO/IEC 42001 reference) -> the register whose records are its documented
# information. 5.2, 6.1.1, 7.5.x and 8.1 need written documents: no register stands in for them.
RECORD_SOURCES: dict[str, Callable[[Any], HeldRecords | None]] = {
    "4.3": _count("{n} approved scope statement{s}", "context:scope", _scope),
    "6.1.2": _count("{n} current risk method{s}", "risks:method", _methods),
    "6.1.3": _count("{n} approved Statement{s} of Applicability", "controls:versions", _soa),
    "6.1.4": _count("{n} approved impact assessment{s}", "impact_assessments:list", _impact),
    "6.2": _count(
        "{n} AI objective{s} with owners and targets", "objectives:objectives", _objectives
    ),
    "7.2": _count("{n} training record{s}", "competence:training", _training),
    "8.2": _count("{n} assessed risk{s} in the register", "risks:home", _risks),
    "8.3": _count("{n} risk{s} with a treatment", "risks:home", _treated),
    "8.4": _count("{n} approved impact assessment{s}", "impact_assessments:list", _impact),
    "9.1": _count(
        "{n} result{s} of monitoring and measurement (AI objectives, monitoring runs)",
        "monitoring:home",
        _measurements,
    ),
    "9.2.2": _count(
        "{n} audit{s} reported under the audit programme", "internal_audit:programmes", _audits
    ),
    "9.3.3": _count(
        "{n} management review{s} held with results", "management_review:reviews", _reviews
    ),
    "10.2": _count(
        "{n} nonconformit{ies} with corrective actions", "improvement:ncs", _nonconformities
    ),
}


def held_records(organisation: Any) -> dict[str, HeldRecords]:
    """For each requirement its registers satisfy, what they hold."""
    held = {}
    for ref_id, source in RECORD_SOURCES.items():
        found = source(organisation)
        if found is not None:
            held[ref_id] = found
    return held
