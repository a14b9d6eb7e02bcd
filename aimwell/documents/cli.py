"""`aimwell documents …`: list documents and the mandatory-documents checklist, export a PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from aimwell.cli_support import console, fail, setup_django

app = typer.Typer(
    help="Controlled documents and the mandatory-documents checklist.", no_args_is_help=True
)

OrgOption = Annotated[str, typer.Option("--organisation", help="Slug of the organisation.")]


def _organisation(slug: str):
    from aimwell.accounts.models import Organisation

    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise fail(f"No organisation with the slug {slug!r}.")
    return org


@app.command("list")
def list_documents(organisation: OrgOption) -> None:
    """List the documents with their status, version and next review."""
    setup_django()
    from aimwell.documents.models import Document

    org = _organisation(organisation)
    table = Table("Reference", "Title", "Type", "Status", "Published", "Next review")
    docs = Document.objects.filter(organisation=org).with_related().order_by("reference")
    for d in docs:
        review = d.next_review_date.isoformat() if d.next_review_date else "—"
        if d.review_overdue:
            review = f"[red]{review} overdue[/red]"
        table.add_row(
            d.reference,
            escape(d.title),
            d.doc_type,
            d.status_label,
            f"v{d.published_version.number}" if d.published_version else "—",
            review,
        )
    console.print(table)
    console.print(f"{len(docs)} document(s).")


@app.command("checklist")
def checklist(organisation: OrgOption) -> None:
    """The documented information ISO/IEC 42001 requires, and its state here."""
    setup_django()
    from aimwell.documents.querysets import checklist as rows_of
    from aimwell.documents.querysets import checklist_summary

    org = _organisation(organisation)
    table = Table("Clause", "Requirement", "State", "Documents")
    for row in rows_of(org):
        colour = {"ok": "green", "bad": "red"}.get(row.badge, "yellow")
        table.add_row(
            row.node.ref_id,
            escape(row.node.title),
            f"[{colour}]{row.label}[/{colour}]",
            ", ".join(d.reference for d in row.documents) or "—",
        )
    console.print(table)
    summary = checklist_summary(org)
    console.print(f"{summary['satisfied']} of {summary['total']} required documents published.")


@app.command("pdf")
def pdf(
    organisation: OrgOption,
    reference: Annotated[str, typer.Argument(help="The document's reference, e.g. POL-01.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the PDF.")],
    version: Annotated[
        int | None, typer.Option(help="Version number (default: published).")
    ] = None,
) -> None:
    """Write one version of a document as PDF."""
    setup_django()
    from aimwell.documents.models import Document
    from aimwell.documents.rendering import version_pdf

    org = _organisation(organisation)
    document = Document.objects.filter(organisation=org, reference=reference).first()
    if document is None:
        raise fail(f"No document {reference!r} in {org.name}.")
    chosen = (
        document.versions.filter(number=version).first()
        if version is not None
        else document.published_version or document.working_version
    )
    if chosen is None:
        raise fail(f"{reference} has no version {version}.")
    out.write_bytes(version_pdf(chosen))
    console.print(f"Wrote {out}: {reference} v{chosen.number} ({chosen.status_label}).")
