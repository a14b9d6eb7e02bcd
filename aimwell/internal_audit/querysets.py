"""Register lists of internal audits: programmes, audits and findings."""

from __future__ import annotations

from django.db.models import Count

from aimwell.internal_audit.models import Audit, AuditProgramme, Finding
from aimwell.operations.lists import ListSpec

PROGRAMMES = ListSpec(
    AuditProgramme,
    search=("title", "objectives"),
    filters={},
    sorts={"start": ("-cycle_start",), "title": ("title",)},
    default_sort="start",
    related=("owner",),
    annotate={"audit_count": Count("audits")},
)


AUDITS = ListSpec(
    Audit,
    search=("reference", "title", "scope"),
    filters={"status": "status", "programme": "programme_id", "auditor": "lead_auditor__email"},
    sorts={
        "start": ("-planned_start", "reference"),
        "-start": ("planned_start", "reference"),
        "reference": ("reference",),
        "status": ("status", "reference"),
    },
    default_sort="start",
    related=("lead_auditor", "programme"),
    annotate={"finding_count": Count("findings", distinct=True)},
)


FINDINGS = ListSpec(
    Finding,
    search=("reference", "title", "description"),
    filters={"kind": "kind", "audit": "audit_id"},
    sorts={"reference": ("reference",), "kind": ("kind", "reference")},
    default_sort="reference",
    related=("audit", "requirement", "system", "nonconformity"),
)
