"""The content of a system card, built from live data (ISO/IEC 42001 A.6.2.7, A.8.2; EU AI Act
Art. 13), and for a high-risk system a pre-filled outline of its Annex IV technical documentation.

Content is plain JSON-ready data with a stable order, so the same live data always gives the same
SHA-256: publishing compares hashes to decide whether a new version is due, and a card whose hash
moved since its last version is out of date. The content holds no internal ids, no people's names
or emails and no risk-register data: what is in it may be published.

`build_contents` loads a whole batch of systems in a constant number of queries.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch

from aimwell.classification import matrix as classification_matrix
from aimwell.classification.models import Classification
from aimwell.classification.services import provision_of
from aimwell.inventory.choices import (
    Autonomy,
    DecisionImpact,
    EUOperatorRole,
    LifecycleStage,
    ModelOrigin,
    OversightMode,
)
from aimwell.inventory.labels import RISK_CLASSES
from aimwell.inventory.models import AIModel, AISystem, Dataset, roles_label
from aimwell.monitoring.models import Metric, Monitor, MonitorRun, RunStatus, Schedule

SCHEMA = "aimwell-system-card/1"
NOT_RECORDED = "Not recorded."
TO_COMPLETE = "to complete"
PERFORMANCE_KEYS = ("accuracy", "roc_auc", "f1", "precision", "recall", "brier", "mae", "rmse",
                    "pass_rate", "refusal_rate")  # fmt: skip
GROUP_RATES = ("selection_rate", "tpr", "fpr")


def _num(value: Any) -> Any:
    """Figures rounded so that re-serialising a run never moves the hash by a last digit."""
    if isinstance(value, float):
        return round(value, 4)
    return value


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or NOT_RECORDED


def _text(value: str | None) -> str:
    return (value or "").strip()


def content_sha256(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


# Loading ------------------------------------------------------------------------------------------


def _systems_with_relations(systems: Iterable[AISystem]) -> list[AISystem]:
    ids = [s.pk for s in systems]
    return list(
        AISystem.objects.filter(pk__in=ids)
        .select_related("organisation", "transparency_card")
        .prefetch_related(
            Prefetch("models_used", queryset=AIModel.objects.select_related("supplier")),
            Prefetch("datasets", queryset=Dataset.objects.select_related("supplier")),
        )
        .order_by("name")
    )


def _classifications(ids: list[Any]) -> dict[Any, Classification]:
    rows = Classification.objects.filter(system_id__in=ids, is_current=True).select_related(
        "ruleset"
    )
    return {c.system_id: c for c in rows.order_by("created_at")}


def _obligation_titles(classifications: Iterable[Classification]) -> dict[str, Any]:
    from aimwell.catalog.models import RequirementNode

    urns = {
        f"{c.ruleset.content.get('framework', 'eu-ai-act:2024')}:{node}"
        for c in classifications
        for node in c.obligations
    }
    if not urns:
        return {}
    nodes = RequirementNode.objects.filter(urn__in=urns, framework__organisation__isnull=True)
    return {n.urn: n for n in nodes.only("urn", "title", "attributes")}


def _latest_runs(ids: list[Any]) -> tuple[dict[Any, list[Monitor]], dict[Any, MonitorRun]]:
    monitors: dict[Any, list[Monitor]] = defaultdict(list)
    for m in Monitor.objects.filter(system_id__in=ids, is_active=True).order_by("name"):
        monitors[m.system_id].append(m)
    monitor_ids = [m.pk for ms in monitors.values() for m in ms]
    latest_ids: dict[Any, Any] = {}
    finished = MonitorRun.objects.filter(monitor_id__in=monitor_ids, status=RunStatus.SUCCEEDED)
    for run_id, monitor_id in finished.order_by("monitor_id", "-number").values_list(
        "id", "monitor_id"
    ):
        latest_ids.setdefault(monitor_id, run_id)
    runs = {r.monitor_id: r for r in MonitorRun.objects.filter(pk__in=latest_ids.values())}
    return monitors, runs


# Building -----------------------------------------------------------------------------------------


def build_contents(systems: Iterable[AISystem]) -> dict[Any, dict[str, Any]]:
    """The card content of each system, keyed by system id."""
    loaded = _systems_with_relations(systems)
    ids = [s.pk for s in loaded]
    classifications = _classifications(ids)
    nodes = _obligation_titles(classifications.values())
    monitors, runs = _latest_runs(ids)
    high_risk = [s for s in loaded if _is_high_risk(classifications.get(s.pk))]
    records = _lifecycle_facts(high_risk)
    matrix_rows = _matrix_rows(loaded, classifications)
    out = {}
    for system in loaded:
        evaluation = [_evaluation(m, runs.get(m.pk)) for m in monitors.get(system.pk, [])]
        out[system.pk] = _content(system, classifications.get(system.pk), nodes, evaluation)
        if out[system.pk]["annex_iv"] is not None:
            out[system.pk]["annex_iv"] = annex_iv(out[system.pk], records.get(system.pk))
        if out[system.pk]["eu_ai_act"] is not None:
            _add_matrix(out[system.pk]["eu_ai_act"], matrix_rows.get(system.pk, {}))
    return out


def _is_high_risk(classification: Classification | None) -> bool:
    return classification is not None and classification.risk_class == "high_risk"


def _lifecycle_facts(systems: list[AISystem]) -> dict[Any, dict[str, list[str]]]:
    """The system's life-cycle records (requirements, design, V&V, changes, event logs) answer
    parts of the Annex IV outline."""
    if not systems:
        return {}
    from aimwell.lifecycle.outline import facts

    return facts(systems)


def _matrix_rows(
    systems: list[AISystem], classifications: dict[Any, Classification]
) -> dict[Any, dict[str, Any]]:
    """Per system, obligation node id -> its compliance-matrix row (role and computed status);
    no query for systems without a classification."""
    by_org: dict[Any, list[AISystem]] = {}
    for system in systems:
        if system.pk in classifications:
            by_org.setdefault(system.organisation_id, []).append(system)
    out: dict[Any, dict[str, Any]] = {}
    for group in by_org.values():
        current = {s.pk: classifications[s.pk] for s in group}
        matrices = classification_matrix.matrices(group[0].organisation, group, current)
        for pk, matrix in matrices.items():
            out[pk] = {row.node_id: row for row in matrix.rows}
    return out


def _add_matrix(act: dict[str, Any], rows: dict[str, Any]) -> None:
    counts = {"met": 0, "partly": 0, "open": 0}
    for obligation in act["obligations"]:
        row = rows.get(obligation["node_id"])
        obligation["roles"] = list(row.roles) if row else []
        obligation["status"] = row.status if row else "open"
        counts[obligation["status"]] += 1
    act["compliance"] = counts


def build_content(system: AISystem) -> dict[str, Any]:
    return build_contents([system])[system.pk]


def _card_limitations(system: AISystem) -> str:
    card = getattr(system, "transparency_card", None)
    return _text(card.limitations) if card is not None else ""


def _content(
    system: AISystem,
    classification: Classification | None,
    nodes: dict[str, Any],
    evaluation: list[dict[str, Any]],
) -> dict[str, Any]:
    models = [
        {
            "name": m.name,
            "version": m.version,
            "type": m.model_type,
            "origin": _label(ModelOrigin, m.origin),
            "supplier": m.supplier.name if m.supplier else "",
            "licence": m.licence,
            "intended_use": _text(m.intended_use),
            "limitations": _text(m.limitations),
        }
        for m in sorted(system.models_used.all(), key=lambda m: (m.name, m.version))
    ]
    datasets = [
        {
            "name": d.name,
            "source": d.source,
            "provenance": _text(d.provenance),
            "personal_data": d.contains_personal_data,
            "special_category_data": d.special_category_data,
            "legal_basis": d.legal_basis,
            "quality_checks": _text(d.quality_checks),
        }
        for d in sorted(system.datasets.all(), key=lambda d: d.name)
    ]
    content: dict[str, Any] = {
        "schema": SCHEMA,
        "system": {
            "name": system.name,
            "organisation": system.organisation.name,
            "lifecycle_stage": _label(LifecycleStage, system.lifecycle_stage),
            "business_unit": system.business_unit,
            "deployment_context": _text(system.deployment_context),
            "geography": system.geography,
        },
        "purpose": {"purpose": _text(system.purpose), "intended_use": _text(system.intended_use)},
        "limitations": {
            "known_limitations": _card_limitations(system),
            "foreseeable_misuse": _text(system.foreseeable_misuse),
            "model_limitations": [
                {"model": f"{m['name']} {m['version']}", "limitations": m["limitations"]}
                for m in models
                if m["limitations"]
            ],
        },
        "people": {
            "users": _text(system.users),
            "affected_persons": _text(system.affected_persons),
            "vulnerable_groups": _text(system.vulnerable_groups),
        },
        "oversight": {
            "oversight_mode": _label(OversightMode, system.oversight_mode),
            "autonomy": _label(Autonomy, system.autonomy),
            "decision_impact": _label(DecisionImpact, system.decision_impact),
        },
        "data": {"models": models, "datasets": datasets},
        "evaluation": evaluation,
        "eu_ai_act": _eu_ai_act(system, classification, nodes),
        "annex_iv": None,
    }
    if classification is not None and classification.risk_class == "high_risk":
        content["annex_iv"] = annex_iv(content)
    return content


def _application_dates(node: Any) -> list[str]:
    """When a provision applies, as readable lines: the catalog keeps each date with the part of
    the Regulation it concerns (the Regulation applies in stages)."""
    dates = ((node.attributes or {}).get("applies_from") or []) if node else []
    lines = []
    for entry in dates:
        if isinstance(entry, dict) and entry.get("date"):
            scope = entry.get("scope")
            lines.append(f"{entry['date']} ({scope})" if scope else str(entry["date"]))
        elif isinstance(entry, str):
            lines.append(entry)
    return lines


def _eu_ai_act(
    system: AISystem, c: Classification | None, nodes: dict[str, Any]
) -> dict[str, Any] | None:
    if c is None:
        return None
    framework = c.ruleset.content.get("framework", "eu-ai-act:2024")
    obligations = []
    for node_id in c.obligations:
        node = nodes.get(f"{framework}:{node_id}")
        obligations.append(
            {
                "node_id": node_id,
                "provision": provision_of(node_id),
                "title": node.title if node else node_id,
                "applies_from": _application_dates(node),
            }
        )
    return {
        "risk_class": c.risk_class,
        "risk_class_label": RISK_CLASSES.get(c.risk_class, c.risk_class),
        "operator_role": roles_label(c.operator_roles)
        or _label(EUOperatorRole, c.operator_role or system.eu_role),
        "legal_basis": list(c.legal_basis),
        "duties": list(c.duties),
        "rationale": list(c.rationale),
        "obligations": obligations,
        "rules_version": c.ruleset.version,
        "decided_on": c.created_at.date().isoformat(),
    }


def _evaluation(monitor: Monitor, run: MonitorRun | None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "monitor": monitor.name,
        "metrics": [_label(Metric, m) for m in monitor.metrics],
        "schedule": _label(Schedule, monitor.schedule),
        "latest_run": None,
    }
    if run is None:
        return entry
    summary = run.summary or {}
    result = run.result or {}
    entry["latest_run"] = {
        "number": run.number,
        "finished_on": run.finished_at.date().isoformat() if run.finished_at else None,
        "outcome": run.outcome,
        "rows": run.n_rows,
        # A list, not a mapping: PostgreSQL's jsonb reorders an object's keys, and a published
        # version must read back exactly as it was rendered.
        "performance": [
            {"measure": k, "value": _num(summary[k])} for k in PERFORMANCE_KEYS if k in summary
        ],
        "fairness": _fairness(result.get("fairness") or {}),
    }
    if result.get("generative"):
        entry["latest_run"]["evaluation_suite"] = _evaluation_suite(result["generative"])
    return entry


def _evaluation_suite(g: dict[str, Any]) -> dict[str, Any]:
    """A generative system's evaluation run: pass and refusal rates with their intervals, overall,
    per category and per group, and the categories that regressed against the baseline."""

    def scope(c: dict[str, Any]) -> str:
        if c["level"] == "category":
            return str(c["category"])
        if c["level"] == "group":
            return f"{g['group_column']} = {c['group']}"
        return "all test cases"

    rows = []
    for c in (g["overall"], *g["by_category"], *g["by_group"]):
        interval = c.get("pass_interval") or {}
        rows.append(
            {
                "scope": scope(c),
                "test_cases": c["n"],
                "judged": bool(c["judged"]),
                "pass_rate": _num(c["pass_rate"]),
                "pass_low": _num(interval.get("low")),
                "pass_high": _num(interval.get("high")),
                "refusal_rate": _num(c.get("refusal_rate")),
            }
        )
    return {
        "pass_rule": g["pass_rule"],
        "interval_method": g["interval_method"],
        "rows": rows,
        "baseline": g.get("baseline") and str(g["baseline"]).rsplit("/", 1)[-1],
        "regressions": list(g.get("regressions") or []),
        "status": g["status"],
    }


def _fairness(fairness: dict[str, Any]) -> list[dict[str, Any]]:
    """Per grouping: the parity ratio and its status, and each group's rates and size."""
    out = []
    for d in fairness.get("disparities", []):
        attrs = d["attributes"]
        groups = []
        for g in fairness.get("groups", []):
            if g["attributes"] != attrs:
                continue
            key = g.get("key") or {}
            groups.append(
                {
                    "group": ", ".join(f"{a} = {key.get(a)}" for a in attrs),
                    "rows": g.get("n_rows"),
                    "judged": bool(g.get("judged")),
                    **{rate: _num(g.get(rate)) for rate in GROUP_RATES},
                }
            )
        out.append(
            {
                "grouping": " \u00d7 ".join(attrs),
                "parity_ratio": _num(d.get("demographic_parity_ratio")),
                "status": d.get("status"),
                "groups": sorted(groups, key=lambda g: g["group"]),
            }
        )
    return out


# Annex IV -----------------------------------------------------------------------------------------


def _section(title: str, items: list[str], missing: list[str]) -> dict[str, Any]:
    items = [i for i in items if i]
    status = "filled" if items and not missing else ("partial" if items else TO_COMPLETE)
    return {"title": title, "status": status, "items": items, "to_complete": missing}


def annex_iv(
    content: dict[str, Any], records: dict[str, list[str]] | None = None
) -> list[dict[str, Any]]:
    """The outline of the technical documentation of a high-risk system (EU AI Act Art. 11 and
    Annex IV), in our own headings: what the live data and the system's life-cycle records
    already answer, and what is left."""
    r = records or {}
    s, p, data = content["system"], content["purpose"], content["data"]
    lim, people, ov = content["limitations"], content["people"], content["oversight"]
    models = data["models"]
    judged = [e for e in content["evaluation"] if e["latest_run"]]
    sections = [
        _section(
            "1. What the system is and what it is for",
            [
                f"Provider or deployer: {s['organisation']}.",
                f"Purpose: {p['purpose']}" if p["purpose"] else "",
                f"Intended use: {p['intended_use']}" if p["intended_use"] else "",
                f"Where and how it is deployed: {s['deployment_context']}"
                if s["deployment_context"]
                else "",
                f"Life-cycle stage: {s['lifecycle_stage']}.",
                *(f"Model: {m['name']} {m['version']} ({m['origin']})." for m in models),
            ],
            [
                "The forms in which the system is made available and the hardware it runs on.",
                "The instructions for use given to deployers.",
            ],
        ),
        _section(
            "2. How it was designed and built",
            [
                *(
                    f"{m['name']} {m['version']}: {m['type'] or 'type not recorded'}."
                    for m in models
                ),
                *r.get("2", []),
            ],
            []
            if r.get("2")
            else [
                "The design choices, their reasons and the assumptions made.",
                "The architecture and the computing resources used to train and test it.",
            ],
        ),
        _section(
            "3. Data used to train, validate and test",
            [
                f"{d['name']}: source {d['source'] or 'not recorded'}; provenance "
                f"{d['provenance'] or 'not recorded'}; quality checks "
                f"{d['quality_checks'] or 'not recorded'}."
                for d in data["datasets"]
            ],
            [] if data["datasets"] else ["The datasets and how they were obtained and checked."],
        ),
        _section(
            "4. Human oversight",
            [
                f"Oversight: {ov['oversight_mode']}.",
                f"Autonomy: {ov['autonomy']}.",
                f"Users: {people['users']}" if people["users"] else "",
                *r.get("4", []),
            ],
            []
            if r.get("4")
            else ["How overseers are trained, and what they can stop or override."],
        ),
        _section(
            "5. Capabilities, limitations and foreseeable misuse",
            [
                f"Known limitations: {lim['known_limitations']}"
                if lim["known_limitations"]
                else "",
                f"Foreseeable misuse: {lim['foreseeable_misuse']}"
                if lim["foreseeable_misuse"]
                else "",
                f"Affected persons: {people['affected_persons']}"
                if people["affected_persons"]
                else "",
            ],
            []
            if lim["known_limitations"] and lim["foreseeable_misuse"]
            else ["The limitations and misuse not yet recorded."],
        ),
        _section(
            "6. Accuracy, fairness and robustness measured",
            [
                f"{e['monitor']}: run #{e['latest_run']['number']} on "
                f"{e['latest_run']['finished_on']}, outcome {e['latest_run']['outcome']}."
                for e in judged
            ]
            + r.get("6", []),
            [] if r.get("robustness") else ["Robustness and cybersecurity testing."],
        ),
        _section(
            "7. Why these performance measures fit the purpose",
            [
                f"{e['monitor']} measures {', '.join(e['metrics']).lower()}."
                for e in content["evaluation"]
            ]
            + r.get("7", []),
            []
            if r.get("7")
            else ["The reasons the chosen measures and thresholds suit this system."],
        ),
        _section(
            "8. Risk management",
            [],
            ["A summary of the risk management for this system (risk register and treatment)."],
        ),
        _section(
            "9. Changes through the life cycle",
            [
                "Each published version of this card is kept unchanged, with its content hash.",
                *r.get("9", []),
            ],
            [] if r.get("9") else ["The changes made to the system itself and their reasons."],
        ),
        _section(
            "10. Standards and common specifications applied",
            r.get("10", []),
            []
            if r.get("10")
            else ["The harmonised standards or other specifications applied, and where not, why."],
        ),
        _section("11. EU declaration of conformity", [], ["A copy of the declaration."]),
        _section(
            "12. Monitoring after deployment",
            [f"{e['monitor']}: {e['schedule'].lower()}." for e in content["evaluation"]]
            + r.get("12", []),
            [] if content["evaluation"] else ["The post-market monitoring plan."],
        ),
    ]
    return sections


def public_content(content: dict[str, Any]) -> dict[str, Any]:
    """What the public page shows of a published card: the technical-documentation outline and
    the compliance status of each obligation are for the organisation and authorities, not for
    the public page."""
    public = {k: v for k, v in content.items() if k != "annex_iv"}
    act = public.get("eu_ai_act")
    if act:
        public["eu_ai_act"] = {
            **{k: v for k, v in act.items() if k != "compliance"},
            "obligations": [
                {k: v for k, v in o.items() if k != "status"} for o in act.get("obligations", [])
            ],
        }
    return public
