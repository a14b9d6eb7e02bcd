"""`aimwell transparency …`: write an AI system's card to a file, and publish a card version."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from aimwell.cli_support import console, fail, setup_django

app = typer.Typer(
    help="Transparency: AI system cards (Markdown, JSON, PDF) and their published versions.",
    no_args_is_help=True,
)

OrgOption = Annotated[str, typer.Option("--organisation", help="Slug of the organisation.")]


def _system(org_slug: str, ref: str) -> Any:
    import uuid

    from aimwell.accounts.models import Organisation
    from aimwell.inventory.models import AISystem

    org = Organisation.objects.filter(slug=org_slug).first()
    if org is None:
        raise fail(f"No organisation with the slug {org_slug!r}.")
    systems = AISystem.objects.filter(organisation=org)
    try:
        found = systems.filter(pk=uuid.UUID(ref)).first()
    except ValueError:
        found = systems.filter(name__iexact=ref).first()
    if found is None:
        raise fail(f"No AI system {ref!r} in {org.name} (give its id or exact name).")
    return found


@app.command("card")
def card_command(
    system: Annotated[str, typer.Argument(help="The AI system's id or exact name.")],
    organisation: OrgOption,
    fmt: Annotated[str, typer.Option("--format", help="md, json or pdf.")] = "md",
    out: Annotated[
        Path | None, typer.Option("--out", help="File to write (default: stdout).")
    ] = None,
    version: Annotated[
        int | None, typer.Option("--version", help="A published version (default: live data).")
    ] = None,
) -> None:
    """Write the card of an AI system, from live data or as a published version."""
    setup_django()
    from django.http import Http404

    from aimwell.transparency import cards, querysets, rendering, services

    if fmt not in ("md", "json", "pdf"):
        raise fail("--format must be md, json or pdf.")
    found = _system(organisation, system)
    meta = None
    if version is not None:
        try:
            published = querysets.version_of(services.card_of(found), version)
        except Http404 as exc:
            raise fail(f"{found.name} has no published version {version}.") from exc
        content, meta = published.content, services.version_meta(published)
    else:
        content = cards.build_content(found)
    if fmt == "pdf":
        if out is None:
            raise fail("A PDF needs --out FILE.")
        out.write_bytes(rendering.to_pdf(content, meta))
    else:
        text = (
            rendering.to_markdown(content, meta)
            if fmt == "md"
            else rendering.to_json(content, meta)
        )
        if out is None:
            typer.echo(text)
            return
        out.write_text(text, encoding="utf-8")
    console.print(f"Wrote the card of {found.name} to {out}.")


@app.command("publish")
def publish_command(
    system: Annotated[str, typer.Argument(help="The AI system's id or exact name.")],
    organisation: OrgOption,
) -> None:
    """Publish the card: a new version only if its content changed since the last one."""
    setup_django()
    from aimwell.transparency import services

    found = _system(organisation, system)
    version, created = services.publish_card(found, actor="cli")
    if created:
        console.print(f"Published version {version.number} of the card of {found.name} "
                      f"(SHA-256 {version.sha256}).")  # fmt: skip
    else:
        console.print(f"Unchanged since version {version.number}; nothing published.")
