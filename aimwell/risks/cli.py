"""`aimwell risks …`: the risk method, the register, the heat map and exports from scripts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from aimwell.cli_support import console, fail, setup_django

app = typer.Typer(help="The AI risk register and risk method.", no_args_is_help=True)

OrgOption = Annotated[
    str | None,
    typer.Option(
        "--organisation",
        help="Organisation slug (default: $AIMWELL_ORGANISATION, the only one, or the demo).",
    ),
]


def organisation_of(slug: str | None) -> Any:
    """The organisation named by slug, $AIMWELL_ORGANISATION, the only one, or the demo one."""
    import os

    from aimwell.accounts.models import Organisation
    from aimwell.demo import DEMO_SLUG

    slug = slug or os.environ.get("AIMWELL_ORGANISATION")
    if slug:
        org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            raise fail(f"No organisation with the slug {slug!r}.")
        return org
    orgs = list(Organisation.objects.order_by("slug")[:50])
    if len(orgs) == 1:
        return orgs[0]
    demo = next((o for o in orgs if o.slug == DEMO_SLUG), None)
    if demo is not None:
        return demo
    slugs = ", ".join(o.slug for o in orgs) or "none"
    raise fail(f"Say which organisation with --organisation (one of: {slugs}).")


@app.command("list")
def list_risks(
    organisation: OrgOption = None,
    system: Annotated[str | None, typer.Option(help="AI system id, or 'none'.")] = None,
    status: Annotated[str | None, typer.Option(help="identified, in_treatment, ...")] = None,
    overdue: Annotated[bool, typer.Option(help="Only risks overdue for review or action.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List risks with their inherent and residual levels."""
    setup_django()
    from aimwell.risks.querysets import RiskFilters, filter_risks

    org = organisation_of(organisation)
    filters = RiskFilters(
        system=system, status=status, overdue=True if overdue else None, sort="-level"
    )
    risks = list(filter_risks(org, filters))
    if as_json:
        rows = [
            {
                "reference": r.reference,
                "title": r.title,
                "system": r.system.name if r.system else None,
                "inherent_level": r.inherent_level,
                "residual_level": r.residual_level,
                "status": r.status,
                "treatment": r.treatment_option,
                "review_date": r.review_date.isoformat() if r.review_date else None,
            }
            for r in risks
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table("Ref", "Risk", "AI system", "Inherent", "Treatment", "Residual", "Status")
    for r in risks:
        table.add_row(
            r.reference,
            r.title,
            r.system.name if r.system else "organisation-wide",
            str(r.inherent_level),
            r.treatment_option or "—",
            str(r.residual_level or "—"),
            r.get_status_display(),
        )
    console.print(table)


@app.command("show")
def show(
    reference: Annotated[str, typer.Argument(help="The risk's reference, e.g. R-001.")],
    organisation: OrgOption = None,
) -> None:
    """Show one risk: its scores, treatment, controls, actions and assessment history."""
    setup_django()
    from aimwell.risks.models import Risk
    from aimwell.risks.querysets import risk_detail

    org = organisation_of(organisation)
    risk = (
        Risk.objects.select_related("method", "system", "owner")
        .filter(organisation=org, reference__iexact=reference)
        .first()
    )
    if risk is None:
        raise fail(f"No risk {reference!r} in {org.name}.")
    detail = risk_detail(risk)
    console.print(f"[bold]{risk}[/bold] ({risk.get_status_display()})")
    console.print(f"Source: {risk.source_label}; objective: {risk.objective_label}")
    console.print(
        f"Inherent {risk.inherent_likelihood} x {risk.inherent_consequence} = "
        f"{risk.inherent_level} under {risk.method}; residual {risk.residual_level or '—'}"
    )
    if risk.accepted_at:
        console.print(f"Accepted by {risk.accepted_by_label} at level {risk.accepted_level}")
    for flag in detail["flags"]:
        console.print(f"[red]Needs review:[/red] {flag.reason}")
    console.print("Controls: " + (", ".join(str(c) for c in detail["controls"]) or "none"))
    for action in detail["actions"]:
        late = " [red]overdue[/red]" if action.is_overdue else ""
        console.print(f"  action: {action.title} ({action.status}, due {action.due_date}){late}")
    for h in detail["assessments"]:
        console.print(
            f"  {h.created_at:%Y-%m-%d} {h.kind}: {h.likelihood} x {h.consequence} = {h.level} "
            f"({h.method}, {h.assessed_by_label})"
        )


@app.command("method")
def method(organisation: OrgOption = None) -> None:
    """Show the current risk method: scales, dimensions, matrix and acceptance threshold."""
    setup_django()
    from aimwell.risks.services.method import current_method

    org = organisation_of(organisation)
    found = current_method(org)
    if found is None:
        raise fail("No risk method has been published yet.")
    console.print(f"[bold]{found}[/bold]: accept up to level {found.acceptance_threshold}")
    console.print("Likelihood: " + ", ".join(s["label"] for s in found.likelihood_scale))
    console.print("Consequence: " + ", ".join(s["label"] for s in found.consequence_scale))
    console.print("Dimensions: " + ", ".join(d["label"] for d in found.dimensions))
    for index, row in enumerate(reversed(found.matrix)):
        console.print(f"  L{found.likelihood_max - index}: " + " ".join(f"{v:>3}" for v in row))


@app.command("heatmap")
def heatmap(
    organisation: OrgOption = None,
    residual: Annotated[bool, typer.Option(help="Residual instead of inherent.")] = False,
) -> None:
    """Open risks per likelihood and consequence."""
    setup_django()
    from aimwell.risks.querysets import current_method, heat_map

    org = organisation_of(organisation)
    data = heat_map(org, current_method(org), residual=residual)
    if not data["rows"]:
        raise fail("No risk method has been published yet.")
    table = Table("Likelihood", *data["consequences"])
    for row in data["rows"]:
        table.add_row(row["likelihood"], *[str(c["count"] or "·") for c in row["cells"]])
    console.print(table)


@app.command("export")
def export(
    output: Annotated[Path, typer.Option(help="File to write.")],
    organisation: OrgOption = None,
    format: Annotated[str, typer.Option(help="xlsx or pdf.")] = "xlsx",
) -> None:
    """Write the risk register with its treatment plan as xlsx or PDF."""
    setup_django()
    from aimwell.risks import exports

    if format not in ("xlsx", "pdf"):
        raise fail("Export as xlsx or pdf.")
    org = organisation_of(organisation)
    data = exports.register_xlsx(org) if format == "xlsx" else exports.register_pdf(org)
    output.write_bytes(data)
    console.print(f"Wrote {output} ({len(data)} bytes).")
