"""`aimwell certification …`: where the certification project stands, and the final checks before
the next external audit."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from aimwell.cli_support import console, fail, setup_django

app = typer.Typer(
    help="Certification: the audit cycle, the certificate and the final checks.",
    no_args_is_help=True,
)
OrgOption = Annotated[str, typer.Option("--organisation", help="The organisation's slug.")]


def _organisation(slug: str) -> Any:
    setup_django()
    from aimwell.accounts.models import Organisation

    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise fail(f"No organisation with the slug {slug!r}.")
    return org


@app.command("status")
def status(organisation: OrgOption) -> None:
    """The certification body, the audits of the cycle and the certificate."""
    org = _organisation(organisation)
    from aimwell.certification import checks, querysets, services

    project = services.project_of(org)
    if project is None:
        console.print("No certification project yet.")
        return
    progress = checks.stage_progress(org)
    console.print(f"Certification body: {escape(project.body_name or 'not chosen')}")
    if progress is not None:
        console.print(f"Stage 7: {progress.percent}% — {escape(progress.detail)}")
    table = Table("Audit", "Planned", "Status", "Outcome", "Findings", "Open")
    for audit in querysets.audits(project):
        table.add_row(
            escape(str(audit)),
            f"{audit.planned_start:%Y-%m-%d} to {audit.planned_end:%Y-%m-%d}",
            audit.get_status_display(),
            audit.get_outcome_display() if audit.outcome else "",
            str(audit.finding_count),  # type: ignore[attr-defined]
            str(audit.open_count),  # type: ignore[attr-defined]
        )
    console.print(table)
    cert = project.certificates.order_by("-issued_on").first()
    if cert is not None:
        console.print(
            f"Certificate {escape(cert.number)}: issued {cert.issued_on}, expires {cert.expires_on}"
        )


@app.command("checklist")
def checklist(organisation: OrgOption) -> None:
    """The final checks before an audit, computed now; exits 1 if any fails."""
    org = _organisation(organisation)
    from aimwell.certification.checks import checklist as compute

    results = compute(org)
    table = Table("Check", "Result", "Detail")
    for check in results:
        result = "[green]pass[/green]" if check.passed else "[red]fail[/red]"
        table.add_row(escape(check.label), result, escape(check.detail))
    console.print(table)
    if not all(c.passed for c in results):
        raise typer.Exit(1)
