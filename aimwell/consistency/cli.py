"""`aimwell check --organisation SLUG [--json] [--fail-on major|minor|observation]`: the pre-audit
check for scripts and schedules. Exit code 1 when an open finding at or above the level exists,
2 for a usage error (unknown organisation or level), 0 otherwise."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from aimwell.cli_support import console, fail, setup_django

LEVELS = ("major", "minor", "observation")


def check_command(
    organisation: Annotated[str, typer.Option("--organisation", help="The organisation's slug.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            help="Exit with code 1 when an open finding of this severity or higher exists "
            "(major, minor or observation).",
        ),
    ] = None,
) -> None:
    """The pre-audit check: every contradiction in the AIMS's own data an auditor would find."""
    if fail_on is not None and fail_on not in LEVELS:
        raise fail(f"--fail-on takes one of {', '.join(LEVELS)}, not {fail_on!r}.")
    setup_django()
    from aimwell.accounts.models import Organisation
    from aimwell.consistency import engine
    from aimwell.consistency.registry import Severity

    org = Organisation.objects.filter(slug=organisation).first()
    if org is None:
        raise fail(f"No organisation with the slug {organisation!r}.")
    report = engine.run(org)
    failing = report.failing(Severity(fail_on)) if fail_on else []
    if as_json:
        data = report.as_dict()
        data["fail_on"] = fail_on
        data["failing"] = [f.key for f in failing]
        typer.echo(json.dumps(data, indent=2))
    else:
        counts = report.counts()
        console.print(
            f"[bold]Pre-audit check of {escape(org.name)}[/bold]: {len(report.rules)} rules, "
            f"{counts['major']} major, {counts['minor']} minor, {counts['observation']} "
            f"observations open; {counts['acknowledged']} acknowledged."
        )
        if report.findings:
            table = Table("Clause", "Severity", "Rule", "Finding")
            for finding in report.findings:
                severity = finding.severity.value + ("" if finding.is_open else " (acknowledged)")
                table.add_row(
                    escape(finding.rule.clause),
                    severity,
                    finding.rule.key,
                    escape(finding.message),
                )
            console.print(table)
    if failing:
        if not as_json:
            console.print(
                f"[red]{len(failing)} open finding(s) at or above {fail_on}[/red]: "
                + escape("; ".join(f.message for f in failing[:5]))
            )
        raise typer.Exit(1)
