"""`aimwell evidence …`: list evidence, export a signed pack, and verify a pack (no database
needed for verification)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from aimwell.cli_support import console, err, fail, setup_django

app = typer.Typer(help="Evidence and signed evidence packs.", no_args_is_help=True)


def _organisation(slug: str):
    from aimwell.accounts.models import Organisation

    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise fail(f"No organisation with the slug {slug!r}.")
    return org


OrgOption = Annotated[str, typer.Option("--organisation", help="Slug of the organisation.")]


@app.command("list")
def list_evidence(
    organisation: OrgOption,
    stale: Annotated[
        bool, typer.Option("--stale", help="Only evidence past its validity.")
    ] = False,
) -> None:
    """List the organisation's evidence with its freshness and hash."""
    setup_django()
    from aimwell.evidence.models import EvidenceItem

    org = _organisation(organisation)
    items = EvidenceItem.objects.filter(organisation=org, is_retired=False)
    if stale:
        items = items.stale()
    table = Table("Evidence", "Kind", "Effective", "Valid until", "Freshness", "SHA-256")
    count = 0
    for item in items.order_by("-effective_date", "title"):
        count += 1
        table.add_row(
            escape(item.title),
            item.kind,
            item.effective_date.isoformat(),
            item.valid_until.isoformat() if item.valid_until else "—",
            "[red]stale[/red]" if item.is_stale else item.freshness,
            item.sha256[:16],
        )
    console.print(table)
    console.print(f"{count} evidence item(s).")


@app.command("public-key")
def public_key(organisation: OrgOption) -> None:
    """Print the organisation's public key, to give to auditors who verify packs."""
    setup_django()
    from aimwell.evidence.services.packs import pack_public_key

    print(pack_public_key(_organisation(organisation)))


@app.command("pack")
def pack(
    organisation: OrgOption,
    out: Annotated[Path, typer.Option("--out", help="Where to write the zip.")],
    system: Annotated[str | None, typer.Option("--system", help="One AI system's id.")] = None,
    framework: Annotated[
        str | None, typer.Option("--framework", help="One framework's URN, e.g. iso42001:2023.")
    ] = None,
) -> None:
    """Export a signed evidence pack (whole AIMS, one framework or one AI system)."""
    if system and framework:
        raise fail("Give --system or --framework, not both.")
    setup_django()
    from aimwell.evidence.services import EvidenceError
    from aimwell.evidence.services.packs import build_pack

    org = _organisation(organisation)
    scope, value = (
        ("system", system) if system else ("framework", framework) if framework else ("aims", "")
    )
    try:
        built = build_pack(org, scope=scope, value=value or "", actor="cli")
    except EvidenceError as exc:
        raise fail(str(exc)) from exc
    with built.file.open("rb") as source, out.open("wb") as target:
        while chunk := source.read(1024 * 1024):
            target.write(chunk)
    console.print(f"Wrote {out} ({built.size} bytes): {built.scope_label}")
    console.print(
        f"{built.evidence_count} evidence items ({built.stale_count} stale), "
        f"{built.document_count} published documents"
    )
    console.print(f"SHA-256 {built.sha256} (recorded in the audit trail)")
    console.print(
        f"Verify with: aimwell evidence verify-pack {out} --public-key {built.public_key}"
    )


@app.command("verify-pack")
def verify_pack(
    path: Annotated[Path, typer.Argument(help="The pack (.zip) to check.")],
    public_key: Annotated[
        str | None,
        typer.Option(
            "--public-key",
            help="The organisation's public key (base64, or @FILE with base64 or PEM). Default: "
            "derived from AIMWELL_PACK_SIGNING_KEY / AIMWELL_AUDIT_KEY when set.",
            envvar="AIMWELL_PACK_PUBLIC_KEY",
        ),
    ] = None,
) -> None:
    """Check a pack's signature, every file's checksum and signature, and that no file was added
    or removed. Needs no database. Exit 1 naming each file that fails."""
    from aimwell.evidence import packfmt

    if not path.is_file():
        raise fail(f"No such file: {path}")
    if public_key:
        try:
            public_key = packfmt.key_argument(public_key)
        except packfmt.PackKeyError as exc:
            raise fail(str(exc)) from exc
    try:
        result = packfmt.verify_pack(path, public_key=public_key, environ=dict(os.environ))
    except packfmt.PackKeyError as exc:
        raise fail(str(exc)) from exc
    console.print(f"Pack {escape(str(path))}  SHA-256 {result.pack_sha256}")
    for line in packfmt.describe(result.manifest):
        console.print("  " + escape(line))
    if result.ok:
        console.print(
            f"[green]OK[/green] signature by {packfmt.fingerprint(result.signer)} valid; "
            f"{result.files_checked} files match their checksums; nothing added or removed."
        )
        return
    for problem in result.problems:
        err.print(
            f"[red]{problem.kind.upper()}[/red] {escape(problem.path)}: {escape(problem.detail)}"
        )
    err.print(f"The pack FAILED verification: {len(result.problems)} problem(s).")
    raise typer.Exit(1)
