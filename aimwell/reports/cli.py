"""`aimwell reports …`: build the stage-1 certification pack, and verify a pack (no database
needed for verification)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from aimwell.cli_support import console, err, fail, setup_django

app = typer.Typer(help="Reports: the stage-1 certification pack.", no_args_is_help=True)


@app.command("pack")
def pack(
    org: Annotated[str, typer.Option("--org", "--organisation", help="Slug of the organisation.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the pack (.zip).")],
) -> None:
    """Build the certification pack (PDF, xlsx, evidence index, manifest of checksums), keep it
    in Aimwell's list of packs, and write a copy to --out."""
    setup_django()
    from aimwell.accounts.models import Organisation
    from aimwell.reports.services import ReportsError, build_certification_pack, read_pack

    organisation = Organisation.objects.filter(slug=org).first()
    if organisation is None:
        raise fail(f"No organisation with the slug {org!r}.")
    if out.is_dir():
        raise fail(f"{out} is a folder; give the path of the .zip to write.")
    with console.status(f"Building the certification pack of {organisation.name}…"):
        try:
            built = build_certification_pack(organisation, actor="cli")
        except ReportsError as exc:
            raise fail(str(exc)) from exc
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(read_pack(built))
    except OSError as exc:
        raise fail(f"Cannot write {out}: {exc}") from exc
    console.print(f"Wrote {escape(str(out))} ({built.size} bytes) in {built.build_seconds:.1f} s")
    console.print(f"  pack.pdf            {built.pdf_sha256}")
    console.print(f"  pack.xlsx           {built.xlsx_sha256}")
    console.print(f"  evidence-index.csv  {built.index_sha256}")
    console.print(f"  zip                 {built.sha256} (recorded in the audit trail)")
    console.print(f"Verify with: aimwell reports verify {escape(str(out))}")


@app.command("verify")
def verify(
    path: Annotated[Path, typer.Argument(help="The certification pack (.zip) to check.")],
    public_key: Annotated[
        str | None,
        typer.Option(
            "--public-key",
            help="The organisation's public key (base64, or @FILE with base64 or PEM) to check "
            "the signatures. Default: "
            "derived from AIMWELL_PACK_SIGNING_KEY / AIMWELL_AUDIT_KEY when set; without a key "
            "only the checksums are checked.",
            envvar="AIMWELL_PACK_PUBLIC_KEY",
        ),
    ] = None,
) -> None:
    """Recompute the SHA-256 of every file in the pack and compare it with the manifest (and the
    signatures when a key is known). Needs no database. Exit 1 naming each file that fails."""
    from aimwell.evidence import packfmt
    from aimwell.reports import packfile

    if not path.is_file():
        raise fail(f"No such file: {path}")
    if public_key:
        try:
            public_key = packfmt.key_argument(public_key)
            packfmt.load_public_key(public_key)
        except packfmt.PackKeyError as exc:
            raise fail(f"{exc} Nothing was checked.") from exc
    result = packfile.verify(path, public_key=public_key, environ=dict(os.environ))
    console.print(f"Pack {escape(str(path))}  SHA-256 {result.pack_sha256}")
    org = result.manifest.get("organisation", {})
    if org:
        console.print(
            f"  {escape(str(org.get('name', '?')))}, built {result.manifest.get('created_at', '?')}"
            f" by {escape(str(result.manifest.get('created_by', '?')))}"
        )
    for entry in result.files:
        mark = "[green]ok[/green]" if entry["ok"] else "[red]MISMATCH[/red]"
        console.print(f"  {mark} {escape(entry['path'])}  {entry['sha256']}")
    console.print(f"  signature: {escape(result.signature)}")
    if result.ok:
        console.print(
            f"[green]OK[/green] {len(result.files)} files match the manifest's SHA-256; "
            "nothing added or removed."
        )
        return
    for problem in result.problems:
        err.print(
            f"[red]{problem.kind.upper()}[/red] {escape(problem.path)}: {escape(problem.detail)}"
        )
    err.print(f"The pack FAILED verification: {len(result.problems)} problem(s).")
    raise typer.Exit(1)
