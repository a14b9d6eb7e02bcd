"""Register lists of internal audits: programmes, audits and findings."""

from __future__ import annotations

from typing import Any

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


def clause_of(ref_id: str) -> str:
    """The top-level clause a requirement belongs to: "9" for 9.2.1, "A.6" for A.6.2.4."""
    parts = ref_id.split(".")
    if parts[0].isalpha() and len(parts) > 1:
        return f"{parts[0]}.{parts[1]}"
    return parts[0]


def findings_by_clause(organisation: Any) -> list[tuple[str, int]]:
    """How many findings each ISO 42001 clause (or Annex A group) received, in clause order;
    findings with no requirement count under "no clause"."""
    counts: dict[str, int] = {}
    rows = (
        Finding.objects.filter(organisation=organisation)
        .values("requirement__ref_id")
        .annotate(n=Count("id"))
    )
    for row in rows:
        ref = row["requirement__ref_id"]
        key = clause_of(ref) if ref else "no clause"
        counts[key] = counts.get(key, 0) + row["n"]

    def order(key: str) -> tuple[int, str]:
        return (2, key) if key == "no clause" else (1 if key[0].isalpha() else 0, key.zfill(4))

    return sorted(counts.items(), key=lambda item: order(item[0]))
