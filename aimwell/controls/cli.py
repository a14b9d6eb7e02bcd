"""`aimwell soa show|export` and `aimwell readiness [--json]`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from aimwell.cli_support import console, fail, setup_django
from aimwell.risks.cli import OrgOption, organisation_of

soa_app = typer.Typer(help="The Statement of Applicability.", no_args_is_help=True)


@soa_app.command("show")
def show(
    organisation: OrgOption = None,
    inconsistent: Annotated[bool, typer.Option(help="Only rows with inconsistencies.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every control with its applicability, justification, status and inconsistencies."""
    setup_django()
    from aimwell.controls import soa

    org = organisation_of(organisation)
    rows = soa.soa_rows(org)
    summary = soa.summary(rows)
    if inconsistent:
        rows = [r for r in rows if r.inconsistencies]
    if as_json:
        out = [
            {
                **r.as_dict(),
                "justification": r.justification,
                "inconsistencies": r.inconsistencies,
            }
            for r in rows
        ]
        typer.echo(json.dumps({"summary": summary, "rows": out}, indent=2))
        return
    table = Table("Control", "Applicable", "Status", "Owner", "Justification", "Flags")
    for r in rows:
        table.add_row(
            f"{r.ref} {r.title}",
            r.applicability_label,
            r.status_label if r.applicable else "—",
            getattr(r.owner, "email", "") or "",
            r.justification[:80],
            " ".join(r.inconsistencies),
        )
    console.print(table)
    console.print(
        f"{summary['applicable']} applicable, {summary['excluded']} excluded, "
        f"{summary['undecided']} undecided, {summary['inconsistencies']} inconsistencies"
    )


@soa_app.command("export")
def export(
    output: Annotated[Path, typer.Option(help="File to write.")],
    organisation: OrgOption = None,
    format: Annotated[str, typer.Option(help="xlsx or pdf.")] = "xlsx",
    gaps: Annotated[bool, typer.Option(help="Export the gap analysis instead.")] = False,
) -> None:
    """Write the SoA (or the gap analysis) as xlsx or PDF."""
    setup_django()
    from aimwell.controls import exports

    if format not in ("xlsx", "pdf"):
        raise fail("Export as xlsx or pdf.")
    org = organisation_of(organisation)
    makers = {
        (False, "xlsx"): exports.soa_xlsx,
        (False, "pdf"): exports.soa_pdf,
        (True, "xlsx"): exports.gap_xlsx,
        (True, "pdf"): exports.gap_pdf,
    }
    data = makers[(gaps, format)](org)
    output.write_bytes(data)
    console.print(f"Wrote {output} ({len(data)} bytes).")


def readiness_command(
    organisation: OrgOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    top: Annotated[int, typer.Option(help="How many top gaps to list.")] = 10,
    snapshot: Annotated[bool, typer.Option(help="Also record the score for the trend.")] = False,
) -> None:
    """The certification readiness score, status per clause and the top gaps."""
    setup_django()
    from aimwell.controls import readiness, services

    org = organisation_of(organisation)
    if snapshot:
        services.take_snapshot(org, actor="aimwell readiness")
    report = readiness.compute(org)
    if as_json:
        typer.echo(json.dumps(report.as_dict(top=top), indent=2, default=str))
        return
    console.print(
        f"[bold]Readiness of {org.name}: {report.score} / 100[/bold]  ({readiness.FORMULA})"
    )
    for c in report.components:
        console.print(f"  {c.label}: {c.points} of {c.weight} ({c.explanation})")
    table = Table("Clause", "Ready", "Partial", "Gap")
    for row in report.clause_summary():
        table.add_row(row["clause"], str(row["ready"]), str(row["partial"]), str(row["gap"]))
    console.print(table)
    gaps = Table("Priority", "Item", "Status", "Next step", "ISMS controls covering part (27001)")
    for item in report.gaps[:top]:
        gaps.add_row(
            str(item.priority),
            f"{item.ref} {item.title}",
            item.status,
            "; ".join(item.next_steps),
            ", ".join(f"{c.ref} {c.status_label}" for c in item.isms),
        )
    console.print(gaps)
    for stage in report.stages:
        percent = "not tracked" if stage.percent is None else f"{stage.percent}%"
        console.print(f"  {stage.number}. {stage.title}: {percent}")
