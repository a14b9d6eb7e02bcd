"""`aimwell classify`: the EU AI Act questionnaire of one AI system in a terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from aimwell.cli_support import console, fail, setup_django
from aimwell.inventory.cli import OrgOption, organisation_by_slug, system_by_reference


def classify_command(
    system: Annotated[str, typer.Argument(help="Id or exact name of the AI system.")],
    organisation: OrgOption,
    answers: Annotated[
        Path | None,
        typer.Option(
            help="JSON file of answers (question id -> answer); asked one by one when omitted."
        ),
    ] = None,
    role: Annotated[
        list[str] | None,
        typer.Option(
            help="Operator role; repeat for several (--role provider --role deployer). "
            "Default: the roles the organisation holds for the system."
        ),
    ] = None,
) -> None:
    """Classify an AI system under the EU AI Act and record the result."""
    import json

    setup_django()
    from aimwell.classification import services as service
    from aimwell.classification.engine import AnswersError, next_question
    from aimwell.core.limits import nul_paths

    found = system_by_reference(organisation_by_slug(organisation), system)
    rule_set = service.latest_rule_set()
    if answers is not None:
        try:
            given = json.loads(answers.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise fail(f"Cannot read answers from {answers}: {exc}") from exc
        if not isinstance(given, dict):
            raise fail("The answers file must hold a JSON object of question id -> answer.")
    else:
        given = {}
        rules = service.rules_of(rule_set)
        asked = service.roles_for(found, role) or ["deployer"]
        while question := next_question(rules, service.preview(rule_set, given, asked)[1], asked):
            console.print(f"\n[bold]{question.text}[/bold]", highlight=False)
            if question.help:
                console.print(question.help, style="dim", markup=False)
            for option in question.options:
                console.print(f"  {option.id}: {option.label}", markup=False)
            reply = typer.prompt("Answer (several options: comma-separated)")
            given[question.id] = (
                [v.strip() for v in reply.split(",") if v.strip()]
                if question.type == "multi_choice"
                else reply
            )
    if nul_paths(given):  # PostgreSQL cannot store the character
        raise fail(f"The answer to {nul_paths(given)[0]} holds a NUL character (\\x00).")
    try:
        result = service.classify_system(
            found, given, actor="cli", role=role or None, rule_set=rule_set
        )
    except AnswersError as exc:
        for key, message in exc.errors.items():
            console.print(f"  {key}: {message}", markup=False)
        raise fail("The answers are incomplete or invalid; nothing was recorded.") from exc
    _print_result(found, result)


def _print_result(system: Any, result: Any) -> None:
    """The class, roles, flags, the legal basis with article and point, the rationale and the
    obligations by role, as a person reads them in a terminal."""
    from aimwell.classification import services as service
    from aimwell.inventory.models import roles_label

    out = console.print
    out(f"{system.name}: [bold]{result.risk_class}[/bold] under rules {result.ruleset.version}")
    out(f"Roles: {roles_label(result.operator_roles) or '—'}", markup=False)
    flags = [f for f in result.flags if f in ("gpai", "gpai_systemic")]
    out(
        f"GPAI: {'yes' if 'gpai' in result.flags else 'no'}"
        f"{' (systemic risk)' if 'gpai_systemic' in flags else ''}; transparency duties: "
        f"{', '.join(service.provision_of(d) for d in result.duties) or 'none'}",
        markup=False,
    )
    titles = service.node_titles([*result.legal_basis, *result.obligations])
    out("Legal basis:")
    for node in result.legal_basis:
        out(f"  {service.provision_of(node)}: {titles.get(node, node)} [{node}]", markup=False)
    if result.citations:
        out(f"  Provisions cited: {'; '.join(result.citations)}", markup=False)
    out("Rationale:")
    for line in result.rationale:
        out(f"  - {line}", markup=False)
    tagged = service.obligation_roles_of(result)
    for role in result.operator_roles or [result.operator_role]:
        mine = [n for n in result.obligations if role in tagged.get(n, [])]
        out(f"Obligations as {role}: " + (", ".join(map(service.provision_of, mine)) or "—"),
            markup=False)  # fmt: skip
