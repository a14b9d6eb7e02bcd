"""`aimwell catalog …`: list, show, import, export and reload frameworks and crosswalks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from aimwell.cli_support import console, fail, setup_django

app = typer.Typer(help="Frameworks, requirements and crosswalks.", no_args_is_help=True)


def _organisation(slug: str | None):
    if slug is None:
        return None
    from aimwell.accounts.models import Organisation

    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise fail(f"No organisation with the slug {slug!r}.")
    return org


OrgOption = Annotated[
    str | None,
    typer.Option("--organisation", help="Slug of an organisation, to include its own frameworks."),
]


@app.command("list")
def list_frameworks(organisation: OrgOption = None) -> None:
    """List the frameworks and crosswalks."""
    setup_django()
    from aimwell.catalog.querysets import frameworks_for, mapping_sets_for

    org = _organisation(organisation)
    table = Table("URN", "Name", "Kind", "Requirements", "Owner")
    for fw in frameworks_for(org):
        table.add_row(
            fw.urn,
            fw.name,
            fw.kind,
            str(fw.requirement_count),  # type: ignore[attr-defined]
            "built-in" if fw.is_builtin else "organisation",
        )
    console.print(table)
    sets = Table("Crosswalk", "From", "To", "Mappings", "Authority")
    for ms in mapping_sets_for(org):
        sets.add_row(
            ms.key,
            ms.source_framework.urn,
            ms.target_framework.urn,
            str(ms.mapping_count),  # type: ignore[attr-defined]
            ms.authority,
        )
    console.print(sets)


@app.command("show")
def show(
    urn: Annotated[str, typer.Argument(help="A node URN, e.g. iso42001:2023:A.6.2.4")],
    organisation: OrgOption = None,
) -> None:
    """Show a requirement in our words with its crosswalks in both directions."""
    setup_django()
    from aimwell.catalog.querysets import crosswalks, node_by_urn, related

    org = _organisation(organisation)
    node = node_by_urn(org, urn)
    if node is None:
        raise fail(f"No requirement {urn!r}. Use `aimwell catalog list` to see frameworks.")
    console.print(f"[bold]{node.urn}[/bold]  {node.title}  ({node.kind}, {node.framework.name})")
    for label, text in (("Summary", node.summary), ("Guidance", node.guidance)):
        if text:
            console.print(f"\n[bold]{label}[/bold]\n{text}")
    for label, items in (
        ("Typical evidence", node.evidence),
        ("Audit questions", node.audit_questions),
    ):
        if items:
            console.print(f"\n[bold]{label}[/bold]")
            for item in items:
                console.print(f"  - {item}")
    direct = crosswalks(org, node)
    console.print(f"\n[bold]Crosswalks[/bold] ({len(direct)})")
    for m in direct:
        other = m.target if m.source_id == node.pk else m.source
        arrow = "->" if m.source_id == node.pk else "<-"
        console.print(
            f"  {arrow} {other.urn}  {other.title}  [{m.relationship}, {m.strength}]"
            f"  ({m.mapping_set.name})",
            markup=False,
        )
    indirect = [
        r for r in related(org, node) if r.hops > 1 and r.node.framework_id != node.framework_id
    ]
    if indirect:
        console.print(f"\n[bold]Through other frameworks[/bold] ({len(indirect)})")
        for r in indirect:
            via = ", ".join(v.urn for v in r.via)
            console.print(f"  {r.node.urn}  {r.node.title}  (via {via})", markup=False)


@app.command("import")
def import_file(
    path: Annotated[Path, typer.Argument(help="A YAML, CSV, OSCAL JSON or CISO Assistant file.")],
    organisation: Annotated[str, typer.Option(help="Slug of the organisation that owns it.")],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", help="aimwell-yaml, csv, oscal or ciso-assistant (default: from the file)."
        ),
    ] = None,
    key: Annotated[str | None, typer.Option(help="Framework key (CSV; overrides others).")] = None,
    version: Annotated[str | None, typer.Option(help="Framework version.")] = None,
    name: Annotated[str | None, typer.Option(help="Framework or mapping-set name.")] = None,
    mapping_set: Annotated[bool, typer.Option(help="The CSV is a mapping set.")] = False,
    source_framework: Annotated[str | None, typer.Option(help="CSV mapping set: from.")] = None,
    target_framework: Annotated[str | None, typer.Option(help="CSV mapping set: to.")] = None,
    catalog: Annotated[
        Path | None,
        typer.Option(help="OSCAL profile: the catalog JSON it selects from (when not loaded)."),
    ] = None,
    framework_ref: Annotated[
        list[str] | None,
        typer.Option(
            "--framework-ref",
            help="CISO Assistant mapping library: URN=key:version of a framework the library "
            "names (repeatable; needed only when no loaded framework keeps its urns).",
        ),
    ] = None,
) -> None:
    """Import a framework or crosswalk for an organisation; a bad file imports nothing."""
    setup_django()
    from aimwell.catalog.importing import (
        ImportOptions,
        catalog_lookup,
        import_specs,
        parse,
        parse_framework_refs,
    )
    from aimwell.catalog.spec import CatalogFormatError

    org = _organisation(organisation)
    if not path.is_file():
        raise fail(f"{path} is not a file.")
    if catalog is not None and not catalog.is_file():
        raise fail(f"{catalog} is not a file.")
    try:
        refs = parse_framework_refs(framework_ref or [])
    except CatalogFormatError as exc:
        raise fail(str(exc)) from exc
    options = ImportOptions(
        framework_refs=refs,
        key=key,
        version=version,
        name=name,
        mapping_set=mapping_set,
        source_framework=source_framework,
        target_framework=target_framework,
        catalog=catalog.read_bytes() if catalog is not None else None,
        lookup=catalog_lookup(org),
    )
    try:
        specs = parse(path.read_bytes(), path.name, fmt, options)
        results = import_specs(specs, organisation=org, actor="cli")
    except CatalogFormatError as exc:
        raise fail(str(exc)) from exc
    for obj, report in results:
        console.print(f"Imported {obj}: {report.summary()}", markup=False)
    for note in options.notes:
        console.print(f"  {note}", markup=False)


@app.command("export")
def export(
    framework: Annotated[str, typer.Argument(help="Framework URN, e.g. iso42001:2023")],
    fmt: Annotated[str, typer.Option("--format", help="yaml, csv or oscal")] = "yaml",
    out: Annotated[Path | None, typer.Option(help="Write to this file (default: stdout).")] = None,
    organisation: OrgOption = None,
) -> None:
    """Export a framework as our YAML, CSV or OSCAL catalog JSON."""
    setup_django()
    from aimwell.catalog import importing
    from aimwell.catalog.querysets import framework_by_urn
    from aimwell.catalog.spec import CatalogFormatError

    fw = framework_by_urn(_organisation(organisation), framework)
    if fw is None:
        raise fail(f"No framework {framework!r}. Use `aimwell catalog list`.")
    try:
        content, _, _ = importing.export(fw, fmt)
    except CatalogFormatError as exc:
        raise fail(str(exc)) from exc
    if out is None:
        typer.echo(content.decode("utf-8"), nl=False)
    else:
        out.write_bytes(content)
        console.print(f"Wrote {out} ({len(content):,} bytes)")


@app.command("load")
def load() -> None:
    """Reload the built-in frameworks and crosswalks (idempotent; `aimwell migrate` does it)."""
    setup_django()
    from aimwell.catalog.services import load_builtin_catalog

    console.print(load_builtin_catalog().summary())
