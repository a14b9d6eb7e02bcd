"""`aimwell systems …`: list, show, import and export the AI inventory from scripts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from aimwell.cli_support import console, fail, setup_django

app = typer.Typer(
    help="The AI systems register (and its models, datasets, suppliers).", no_args_is_help=True
)

OrgOption = Annotated[str, typer.Option("--organisation", help="Slug of the organisation.")]
KindOption = Annotated[str, typer.Option(help="systems, models, datasets or suppliers.")]


def organisation_by_slug(slug: str) -> Any:
    from aimwell.accounts.models import Organisation

    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise fail(f"No organisation with the slug {slug!r}.")
    return org


def system_by_reference(org: Any, ref: str) -> Any:
    import uuid

    from aimwell.inventory.models import AISystem

    systems = AISystem.objects.filter(organisation=org)
    try:
        found = systems.filter(pk=uuid.UUID(ref)).first()
    except ValueError:
        found = systems.filter(name__iexact=ref).first()
    if found is None:
        raise fail(f"No AI system {ref!r} in {org.name} (give its id or exact name).")
    return found


@app.command("list")
def list_systems(
    organisation: OrgOption,
    stage: Annotated[str | None, typer.Option(help="Only this life-cycle stage.")] = None,
    needs_review: Annotated[bool, typer.Option(help="Only systems that need review.")] = False,
) -> None:
    """List AI systems with their stage, risk class and review status."""
    setup_django()
    from aimwell.inventory.querysets import SystemFilters, systems, with_figures

    filters = SystemFilters(stage=stage, needs_review=True if needs_review else None)
    table = Table("Id", "Name", "Stage", "Owner", "Risk class", "Needs review")
    ids = list(systems(organisation_by_slug(organisation), filters).values_list("pk", flat=True))
    for s in with_figures(ids):
        table.add_row(
            str(s.pk),
            s.name,
            s.lifecycle_stage,
            s.owner.email if s.owner else "",
            s.risk_class or "not classified",
            str(s.open_reviews or ""),  # type: ignore[attr-defined]
        )
    console.print(table)


@app.command("show")
def show(
    organisation: OrgOption, system: Annotated[str, typer.Argument(help="Id or exact name.")]
) -> None:
    """Show one AI system with its models, data, suppliers and open reviews."""
    setup_django()
    from aimwell.classification.services import newer_rules
    from aimwell.inventory.querysets import system_detail

    found = system_by_reference(organisation_by_slug(organisation), system)
    detail = system_detail(found)
    console.print(f"[bold]{found.name}[/bold] ({found.get_lifecycle_stage_display()})")
    console.print(f"Purpose: {found.purpose}", markup=False)
    console.print(
        f"Owner: {found.owner.email if found.owner else '—'}; EU AI Act role: "
        f"{found.get_eu_role_display() or '—'}"
    )
    for label, items in (
        ("Models", detail["models"]),
        ("Datasets", detail["datasets"]),
        ("Suppliers", detail["suppliers"]),
        ("Resources", detail["resources"]),
    ):
        console.print(f"{label}: {', '.join(str(i) for i in items) or '—'}", markup=False)
    current = next((c for c in detail["classifications"] if c.is_current), None)
    console.print(
        "Classification: "
        + (
            f"{current.risk_class} (rules {current.ruleset.version})"
            if current
            else "not classified"
        )
    )
    if current is not None and (newer := newer_rules(current)):
        console.print(
            f"  decided under older rules; rules {newer} are in use: classify again to record "
            f"the result under them (`aimwell classify`)",
            markup=False,
        )
    for flag in detail["open_reviews"]:
        console.print(f"[red]Needs review[/red]: {flag.subject_label}: {flag.reason}")


@app.command("import")
def import_file(
    organisation: OrgOption,
    path: Annotated[Path, typer.Argument(help="CSV or xlsx file.")],
    kind: KindOption = "systems",
) -> None:
    """Import rows; if any row is bad nothing is written and every problem is listed."""
    setup_django()
    from aimwell.core import table_import
    from aimwell.inventory.services import bulk

    org = organisation_by_slug(organisation)
    if not path.is_file():
        raise fail(f"{path} is not a file.")
    try:
        result = bulk.import_rows(kind, org, path.read_bytes(), path.name, actor="cli")
    except table_import.ImportFailed as exc:
        for error in exc.errors[:50]:
            where = f"row {error['row']}" if error.get("row") else "file"
            field = f", {error['field']}" if error.get("field") else ""
            console.print(f"  {where}{field}: {error['message']}", markup=False)
        raise fail(f"Nothing was imported: {len(exc.errors)} problem(s).") from exc
    console.print(result.summary(), markup=False)
    for note in result.notes:
        console.print(f"  {note}", markup=False)


@app.command("export")
def export(
    organisation: OrgOption,
    out: Annotated[Path, typer.Option(help="File to write (.csv or .xlsx).")],
    kind: KindOption = "systems",
) -> None:
    """Export the register to CSV or xlsx (the import format)."""
    setup_django()
    from aimwell.inventory.services import bulk

    fmt = "xlsx" if out.suffix.lower() == ".xlsx" else "csv"
    if kind not in bulk.KINDS:
        raise fail(f"Unknown kind {kind!r}; use {', '.join(bulk.KINDS)}.")
    content, _, _ = bulk.export_file(kind, organisation_by_slug(organisation), fmt)
    out.write_bytes(content)
    console.print(f"Wrote {out} ({len(content):,} bytes).")
