"""The Statement of Applicability and the gap analysis as xlsx and PDF."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from aimwell.controls import printing, readiness, soa
from aimwell.core import tabular
from aimwell.inventory.labels import act_reference

SOA_HEADERS = (
    "Control",
    "Title",
    "Area",
    "Applicable",
    "Justification",
    "Selected by risks",
    "EU AI Act obligations",
    "Legal, contractual or business reasons",
    "Implementation status",
    "Owner",
    "Current evidence",
    "Stale evidence",
    "Inconsistencies",
)
GAP_HEADERS = (
    "Ref",
    "Title",
    "Kind",
    "Baseline maturity (0-5)",
    "Baseline practice",
    "Status today",
    "Computed",
    "Override reason",
    "Impact",
    "Effort",
    "Priority",
    "Next steps",
    "Current evidence",
    "Stale evidence",
    "Of which through the ISMS",
    "ISMS controls covering part of it (ISO/IEC 27001)",
)


def soa_table(organisation: Any) -> list[list[Any]]:
    rows = []
    for row in soa.soa_rows(organisation):
        rows.append(
            [
                row.ref,
                row.title,
                row.group,
                row.applicability_label,
                row.justification,
                [s.reference for s in row.selected_by],
                [act_reference(ref) for ref in row.eu_obligations],
                row.obligations,
                row.status_label,
                getattr(row.owner, "email", ""),
                row.evidence_current,
                row.evidence_stale,
                " ".join(row.inconsistencies),
            ]
        )
    return rows


def soa_xlsx(organisation: Any) -> bytes:
    return tabular.workbook([("Statement of Applicability", SOA_HEADERS, soa_table(organisation))])


def soa_pdf(organisation: Any) -> bytes:
    rows = soa.soa_rows(organisation)
    return printing.pdf(
        "controls/pdf_soa.html",
        {
            "organisation": organisation,
            "rows": rows,
            "summary": soa.summary(rows),
            "generated": timezone.now(),
        },
    )


def gap_table(report: readiness.Report) -> list[list[Any]]:
    return [
        [
            item.ref,
            item.title,
            item.kind_label,
            item.baseline.maturity if item.baseline else None,
            item.baseline.practice if item.baseline else "",
            item.status_label,
            item.computed_label,
            item.override.reason if item.override else "",
            item.impact,
            item.effort_label,
            item.priority,
            "; ".join(item.next_steps),
            item.evidence_current,
            item.evidence_stale,
            len(item.evidence_from_isms),
            [cover.summary() for cover in item.isms],
        ]
        for item in report.items
    ]


def gap_xlsx(organisation: Any) -> bytes:
    report = readiness.compute(organisation)
    summary: list[list[Any]] = [
        ["Score", report.score],
        ["Formula", readiness.FORMULA],
        *[[f"{c.label} (weight {c.weight})", c.points] for c in report.components],
    ]
    return tabular.workbook(
        [
            ("Gap analysis", GAP_HEADERS, gap_table(report)),
            ("Readiness", ["Item", "Value"], summary),
        ]
    )


def gap_pdf(organisation: Any) -> bytes:
    report = readiness.compute(organisation)
    return printing.pdf(
        "controls/pdf_gaps.html",
        {
            "organisation": organisation,
            "report": report,
            "formula": readiness.FORMULA,
            "generated": timezone.now(),
        },
    )


def download(organisation: Any, what: str, fmt: str) -> Any:
    stamp = timezone.localdate().isoformat()
    makers = {
        ("soa", "xlsx"): soa_xlsx,
        ("soa", "pdf"): soa_pdf,
        ("gaps", "xlsx"): gap_xlsx,
        ("gaps", "pdf"): gap_pdf,
        ("soa", "csv"): lambda org: tabular.csv_bytes(SOA_HEADERS, soa_table(org)),
        ("gaps", "csv"): lambda org: tabular.csv_bytes(
            GAP_HEADERS, gap_table(readiness.compute(org))
        ),
    }
    name = "statement-of-applicability" if what == "soa" else "gap-analysis"
    return tabular.download(makers[(what, fmt)](organisation), f"{name}-{stamp}.{fmt}", fmt)
