"""`aimwell oscal …`: export the organisation's OSCAL documents, import an SSP into the SoA."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aimwell.cli_support import console, fail, setup_django

app = typer.Typer(
    help="OSCAL documents: SSP, profile, components, audits, POA&M.", no_args_is_help=True
)

KINDS = ("ssp", "profile", "component-definition", "assessment-plan", "assessment-results", "poam")
OrgOption = Annotated[str, typer.Option("--organisation", help="Slug of the organisation.")]


def _organisation(slug: str):
    from aimwell.accounts.models import Organisation

    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise fail(f"No organisation with the slug {slug!r}.")
    return org


@app.command("export")
def export(
    kind: Annotated[str, typer.Argument(help=" | ".join(KINDS))],
    organisation: OrgOption,
    out: Annotated[Path | None, typer.Option(help="Write to this file (default: stdout).")] = None,
) -> None:
    """Export one OSCAL document (JSON) of the organisation."""
    if kind not in KINDS:
        raise fail(f"No OSCAL document {kind!r}; use one of {', '.join(KINDS)}.")
    setup_django()
    from aimwell.interchange.exports import export_document

    content, _ = export_document(kind, _organisation(organisation))
    if out is None:
        typer.echo(content.decode("utf-8"), nl=False)
    else:
        out.write_bytes(content)
        console.print(f"Wrote {out} ({len(content):,} bytes)")


@app.command("import-ssp")
def import_ssp(
    path: Annotated[Path, typer.Argument(help="An OSCAL SSP (JSON).")],
    organisation: OrgOption,
) -> None:
    """Record an SSP's control implementations as the organisation's SoA decisions."""
    setup_django()
    from aimwell.interchange.services import import_ssp as run
    from aimwell.interchange.ssp_import import SSPFormatError

    if not path.is_file():
        raise fail(f"{path} is not a file.")
    try:
        report = run(_organisation(organisation), path.read_bytes(), actor="cli")
    except SSPFormatError as exc:
        raise fail(f"Nothing was imported. {exc}") from exc
    console.print(report.summary(), markup=False)


@app.command("import-isms")
def import_isms(
    path: Annotated[Path, typer.Argument(help="ISO/IEC 27001 SoA: CSV, xlsx or OSCAL profile.")],
    organisation: OrgOption,
) -> None:
    """Import the organisation's ISO/IEC 27001 SoA as its ISMS baseline."""
    setup_django()
    from aimwell.interchange.services.isms import IsmsImportError, import_isms_soa

    if not path.is_file():
        raise fail(f"{path} is not a file.")
    try:
        report = import_isms_soa(
            _organisation(organisation), path.read_bytes(), path.name, actor="cli"
        )
    except IsmsImportError as exc:
        raise fail(f"Nothing was imported. {exc}") from exc
    console.print(report.summary(), markup=False)
