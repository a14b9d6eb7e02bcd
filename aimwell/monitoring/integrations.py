"""Monitoring wired to the rest of the AIMS when those apps are installed (done in `ready`):

* operations: a breach opens an incident (`record_incident`) or a nonconformity
  (`raise_nonconformity`, source "monitoring") through the breach-handler registry, and every
  finished run feeds the AI objectives that measure one of its figures (`record_measurement`);
* controls: a failing monitor counts as an open problem against A.6.2.4, A.6.2.6, A.7.4 and 9.1
  in the readiness score, through its nonconformity-provider registry.

An objective is fed by a monitor when it is linked to the monitor's AI system and its *measure*
names a figure as `monitor:<figure>` (e.g. `monitor:dp_ratio_min`, `monitor:accuracy`,
`monitor:psi_max`)."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from aimwell.monitoring import hooks

logger = logging.getLogger(__name__)
FIGURE = re.compile(r"monitor:([a-z_]+)")


def _url(name: str, pk: Any) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _describe(run: Any, breaches: list[dict[str, Any]]) -> str:
    lines = [
        f"Opened by monitoring: {run.monitor.name} run #{run.number} of "
        f"{run.monitor.system.name} ({run.n_rows} rows of {run.log_name}) breached:",
    ]
    lines += [f"- {b['check']} {b['subject']}: {b['message']}" for b in breaches]
    lines.append(f"Run: {_url('monitoring:run', run.pk)} (evidence {run.evidence_id}).")
    return "\n".join(lines)


def _title(run: Any, breaches: list[dict[str, Any]]) -> str:
    first = breaches[0]
    return f"{run.monitor.system.name}: {first['check']} breach on {first['subject']}"[:200]


def open_incident(run: Any, breaches: list[dict[str, Any]], actor: Any) -> dict[str, Any]:
    from aimwell.incidents.services import record_incident

    severe = any(b["check"] == "fairness" and b["status"] == "alert" for b in breaches)
    system = run.monitor.system
    incident = record_incident(
        run.monitor.organisation,
        actor=actor,
        title=_title(run, breaches),
        description=_describe(run, breaches),
        severity="high" if severe else "medium",
        systems=[system],
        owner=system.owner,
        detection=f"Monitor {run.monitor.name}, run #{run.number}",
    )
    return {
        "id": incident.pk,
        "label": f"{incident.reference}: {incident.title}",
        "url": _url("incidents:incident", incident.pk),
    }


def open_nonconformity(run: Any, breaches: list[dict[str, Any]], actor: Any) -> dict[str, Any]:
    from aimwell.catalog.querysets import node_by_urn
    from aimwell.improvement.services import raise_nonconformity

    system = run.monitor.system
    nc = raise_nonconformity(
        run.monitor.organisation,
        actor=actor,
        title=_title(run, breaches),
        description=_describe(run, breaches),
        source="monitoring",
        owner=system.owner,
        requirement=node_by_urn(run.monitor.organisation, "iso42001:2023:9.1"),
        systems=[system],
    )
    return {
        "id": nc.pk,
        "label": f"{nc.reference}: {nc.title}",
        "url": _url("improvement:nonconformity", nc.pk),
    }


def feed_objectives(run: Any) -> None:
    """Record the run's figures as measurements of the objectives that measure them."""
    if run.status != "succeeded":
        return
    from aimwell.objectives.models import AIObjective
    from aimwell.objectives.services import record_measurement

    objectives = AIObjective.objects.filter(
        organisation_id=run.organisation_id, systems=run.system_id, measure__contains="monitor:"
    ).exclude(status="retired")
    for objective in objectives:
        match = FIGURE.search(objective.measure)
        value = (run.summary or {}).get(match.group(1)) if match else None
        if not isinstance(value, int | float):
            continue
        try:
            record_measurement(
                objective,
                actor="monitoring worker",
                value=float(value),
                source="monitoring",
                note=f"{run.monitor.name} run #{run.number}"[:300],
            )
        except Exception:
            logger.exception("Could not feed objective %s from run %s", objective.pk, run.pk)


def failing_monitors(organisation: Any) -> list[Any]:
    from aimwell.controls.hooks import OpenNonconformity
    from aimwell.monitoring.models import Monitor
    from aimwell.monitoring.services import REQUIREMENTS

    return [
        OpenNonconformity(
            label=f"Failing monitor: {m.system.name}: {m.name}",
            requirement_urns=tuple(REQUIREMENTS),
            url=_url("monitoring:monitor", m.pk),
        )
        for m in Monitor.objects.filter(
            organisation_id=organisation.pk, is_failing=True, is_active=True
        ).select_related("system")
    ]


def connect() -> None:
    """Register the handlers of the installed apps (called from MonitoringConfig.ready)."""
    if apps.is_installed("aimwell.operations"):
        hooks.register_breach_handler("incident", open_incident)
        hooks.register_breach_handler("nonconformity", open_nonconformity)
        hooks.register_run_listener(feed_objectives)
    if apps.is_installed("aimwell.controls"):
        from aimwell.controls.hooks import register_nonconformity_provider

        register_nonconformity_provider(failing_monitors)
