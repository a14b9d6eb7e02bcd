"""The stage-1 pack's EU AI Act section: each in-scope AI system's classification and its
compliance matrix (obligation, role, controls, records, evidence, computed status), gathered in
a fixed number of queries through the inventory's matrix helper."""

from __future__ import annotations

from aimwell.accounts.models import Organisation
from aimwell.reports.data import Section, Table

HEADERS = (
    "AI system",
    "Obligation",
    "Title",
    "Role",
    "Controls (SoA status)",
    "Records",
    "Evidence",
    "Status",
    "Missing",
)


def eu_ai_act_section(org: Organisation) -> Section:
    from aimwell.classification import matrix as classification_matrix
    from aimwell.inventory.models import AISystem, roles_label

    systems = list(AISystem.objects.filter(organisation=org, in_scope=True).order_by("name"))
    matrices = classification_matrix.matrices(org, systems)
    facts: list[tuple[str, object]] = []
    rows: list[list[object]] = []
    for system in systems:
        matrix = matrices[system.pk]
        c = matrix.classification
        if c is None:
            facts.append((system.name, "not classified"))
            continue
        counts = matrix.summary
        facts.append(
            (
                system.name,
                f"{c.risk_class.replace('_', ' ')} as "
                f"{roles_label(c.operator_roles or [c.operator_role]).lower()} (rules "
                f"{c.ruleset.version}); {counts['met']} met, {counts['partly']} partly, "
                f"{counts['open']} open",
            )
        )
        for row in matrix.rows:
            rows.append(
                [
                    system.name,
                    row.provision,
                    row.title,
                    ", ".join(row.roles),
                    "; ".join(f"{x.ref} ({x.status or 'undecided'})" for x in row.controls),
                    "; ".join(f"{x.label}: {x.count}" for x in row.records),
                    "; ".join(x.title for x in row.evidence),
                    row.status_label,
                    "; ".join(row.missing),
                ]
            )
    unclassified = sum(1 for s in systems if matrices[s.pk].classification is None)
    summary = (
        f"{len(systems)} AI systems in scope, {len(systems) - unclassified} classified; "
        f"{len(rows)} obligations across them."
    )
    return Section(
        "eu-ai-act",
        "EU AI Act classification and obligations",
        "Inventory: EU AI Act classification and the per-system compliance matrix",
        summary,
        facts=facts,
        tables=[Table("EU AI Act compliance matrix", HEADERS, rows, pdf_columns=(0, 1, 3, 7))],
    )
