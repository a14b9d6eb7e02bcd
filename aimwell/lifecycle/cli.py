"""`aimwell lifecycle …` and `aimwell changes …`: the life-cycle status of AI systems, one system's
deployment gate, and the change register, for scripts and terminals."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from aimwell.cli_support import console, fail, setup_django
from aimwell.risks.cli import OrgOption, organisation_of

app = typer.Typer(
    help="AI system life-cycle records: requirements, design, V&V, deployment gate.",
    no_args_is_help=True,
)
changes_app = typer.Typer(help="Change requests (ISO/IEC 42001 clause 6.3).", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, default=str))


def _system(org: Any, ref: str) -> Any:
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


@app.command("status")
def status_command(organisation: OrgOption = None, as_json: JsonOption = False) -> None:
    """Each AI system's records, V&V outcome, deployment approval and gate."""
    setup_django()
    from aimwell.inventory.models import AISystem
    from aimwell.lifecycle import present, status

    org = organisation_of(organisation)
    systems = list(AISystem.objects.filter(organisation=org).order_by("name"))
    rows = [present.summary(e) for e in (status.load(systems)[s.pk] for s in systems)]
    if as_json:
        _print_json(rows)
        return
    table = Table("System", "Requirements", "Design", "V&V", "Approval", "Gate", "Open changes")
    for r in rows:
        gate = "open" if r["gate_open"] else f"{len(r['missing'])} missing"
        table.add_row(
            r["system"],
            r["requirements"],
            r["design"],
            r["vv_outcome"],
            r["approval_state"],
            gate,
            str(r["open_changes"]),
        )
    console.print(table)


@app.command("show")
def show_command(system: str, organisation: OrgOption = None, as_json: JsonOption = False) -> None:
    """One system's life-cycle records, V&V criteria and deployment gate."""
    setup_django()
    from aimwell.lifecycle import present, status

    org = organisation_of(organisation)
    entry = status.load_one(_system(org, system))
    data = present.system(entry)
    if as_json:
        _print_json(data)
        return
    console.print(f"[bold]{entry.system.name}[/bold] ({entry.system.lifecycle_stage})")
    for label, key in (
        ("Requirements", "requirements"),
        ("Design", "design"),
        ("Event-log policy", "logging_policy"),
    ):
        record = data[key]
        state = f"{record['status']} v{record['version']}" if record else "missing"
        console.print(f"  {label}: {state}")
    plan = data["vv_plan"]
    if plan is None:
        console.print("  V&V: no plan")
    else:
        frozen = f"frozen {plan['frozen_at']:%Y-%m-%d}" if plan["frozen_at"] else "not frozen"
        console.print(f"  V&V: {plan['outcome']} ({frozen}, SHA-256 {plan['criteria_sha256']})")
        for c in plan["criteria"]:
            value = "—" if c["latest_value"] is None else f"{c['latest_value']:.4g}"
            console.print(
                f"    {c['key']} {c['metric']} {c['comparison']} {c['threshold']:g}: "
                f"{value} → {c['status']}"
            )
    _print_gate(data["gate"])


def _print_gate(gate: dict[str, Any]) -> None:
    console.print("  Deployment gate: " + ("open" if gate["open"] else "closed"))
    for p in gate["preconditions"]:
        console.print(
            f"    {'met    ' if p['met'] else 'MISSING'} {p['name']}: {p['detail']}", markup=False
        )
    approval = gate["approval"]
    if approval:
        console.print(
            f"  Approval {approval['number']}: {approval['model']} by "
            f"{approval['approved_by']} — {gate['approval_state']} "
            f"({gate['approval_reason']})"
        )


@app.command("gate")
def gate_command(system: str, organisation: OrgOption = None, as_json: JsonOption = False) -> None:
    """The deployment gate of one system; exits 1 while a precondition is missing."""
    setup_django()
    from aimwell.lifecycle import present, status

    org = organisation_of(organisation)
    data = present.gate(status.load_one(_system(org, system)))
    if as_json:
        _print_json(data)
    else:
        _print_gate(data)
    if not data["open"]:
        raise typer.Exit(1)


@changes_app.command("list")
def changes_list(
    organisation: OrgOption = None,
    status_filter: Annotated[str | None, typer.Option("--status", help="Only this status.")] = None,
    as_json: JsonOption = False,
) -> None:
    """The change register, newest first."""
    setup_django()
    from aimwell.change_control import present
    from aimwell.change_control.choices import ChangeStatus
    from aimwell.change_control.models import ChangeRequest

    org = organisation_of(organisation)
    if status_filter and status_filter not in ChangeStatus.values:
        raise fail(f"--status is one of {', '.join(ChangeStatus.values)}.")
    qs = ChangeRequest.objects.filter(organisation=org).select_related("system", "owner")
    if status_filter:
        qs = qs.filter(status=status_filter)
    rows = [present.change(c) for c in qs.order_by("-reference")]
    if as_json:
        _print_json(rows)
        return
    table = Table("Ref.", "Title", "Concerns", "Status", "Planned", "Review after")
    for r in rows:
        table.add_row(
            r["reference"],
            r["title"],
            r["system"] or "the AIMS",
            r["status"],
            str(r["planned_for"] or "—"),
            str(r["review_after"] or "—"),
        )
    console.print(table)


@changes_app.command("show")
def changes_show(
    reference: str, organisation: OrgOption = None, as_json: JsonOption = False
) -> None:
    """One change request by its reference (e.g. CR-002)."""
    setup_django()
    from aimwell.change_control import present
    from aimwell.change_control.models import ChangeRequest

    org = organisation_of(organisation)
    change = (
        ChangeRequest.objects.filter(organisation=org, reference__iexact=reference)
        .select_related("system", "owner")
        .first()
    )
    if change is None:
        raise fail(f"No change request {reference!r} in {org.name}.")
    data = present.change(change)
    if as_json:
        _print_json(data)
        return
    console.print(f"[bold]{change.reference} {change.title}[/bold] — {change.get_status_display()}")
    for key in (
        "system",
        "reason",
        "what_changes",
        "impact_on_risks",
        "impact_on_assessments",
        "impact_on_soa",
        "impact_on_documents",
        "planned_for",
        "review_after",
        "decided_by",
        "decided_at",
        "implemented_on",
        "reviewed_on",
        "review_note",
    ):
        if data[key]:
            console.print(f"  {key.replace('_', ' ').capitalize()}: {data[key]}")
