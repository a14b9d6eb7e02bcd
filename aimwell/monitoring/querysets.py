"""Reading monitoring: lists never load a run's full result; trends and comparisons read only the
small summary kept beside it, so pages keep a constant number of queries as runs accumulate."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aimwell.monitoring.models import Monitor, MonitorRun, Notification, RunStatus

RUN_LIST_DEFER = ("result",)
# Figures shown in trends and comparisons: key in the summary, label, better when higher?
FIGURES: tuple[tuple[str, str], ...] = (
    ("n_rows", "rows"),
    ("accuracy", "accuracy"),
    ("roc_auc", "ROC AUC"),
    ("f1", "F1"),
    ("brier", "Brier score"),
    ("mae", "MAE"),
    ("rmse", "RMSE"),
    ("dp_ratio_min", "lowest selection-rate ratio"),
    ("psi_max", "highest PSI"),
    ("missing_rate_max", "highest missing rate"),
    ("pass_rate", "pass rate"),
    ("pass_rate_min", "lowest pass rate of a category"),
    ("refusal_rate", "refusal rate"),
    ("group_gap_max", "largest pass-rate gap between groups"),
    ("regressions", "categories regressed"),
)


def monitors(user: Any, organisation: Any) -> QuerySet[Monitor]:
    return (
        Monitor.objects.visible_to(user, organisation)
        .select_related("system", "system__owner")
        .order_by("system__name", "name")
    )


def runs(
    user: Any,
    organisation: Any,
    monitor: Monitor | None = None,
) -> QuerySet[MonitorRun]:
    qs = (
        MonitorRun.objects.visible_to(user, organisation)
        .select_related("monitor", "system")
        .defer(*RUN_LIST_DEFER)
    )
    if monitor is not None:
        qs = qs.filter(monitor=monitor)
    return qs.order_by("-created_at", "-number")


def finished_runs(monitor: Monitor, limit: int = 60) -> list[MonitorRun]:
    """The latest successful runs of a monitor, oldest first (for trend charts)."""
    rows = list(
        MonitorRun.objects.filter(monitor=monitor, status=RunStatus.SUCCEEDED)
        .only("id", "number", "finished_at", "summary", "outcome", "breached", "monitor_id")
        .order_by("-number")[:limit]
    )
    rows.reverse()
    return rows


def overview(user: Any, organisation: Any) -> list[dict[str, Any]]:
    """Per AI system: its monitors with their latest finished run (two queries in all)."""
    mons = list(monitors(user, organisation))
    latest: dict[Any, MonitorRun] = {}
    if mons:
        finished = (
            MonitorRun.objects.filter(monitor__in=mons)
            .exclude(status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
            .defer(*RUN_LIST_DEFER)
            .order_by("monitor_id", "-number")
        )
        ids: dict[Any, Any] = {}
        for run_id, monitor_id in finished.values_list("id", "monitor_id"):
            ids.setdefault(monitor_id, run_id)
        for run in MonitorRun.objects.filter(pk__in=ids.values()).defer(*RUN_LIST_DEFER):
            latest[run.monitor_id] = run
    systems: dict[Any, dict[str, Any]] = {}
    for m in mons:
        entry = systems.setdefault(m.system_id, {"system": m.system, "monitors": [], "failing": 0})
        entry["monitors"].append({"monitor": m, "latest": latest.get(m.pk)})
        entry["failing"] += int(m.is_failing)
    return list(systems.values())


def notifications_for(user: Any, organisation: Any) -> QuerySet[Notification]:
    return (
        Notification.objects.visible_to(user, organisation)
        .filter(recipient_id=user.pk)
        .select_related("run", "run__monitor")
        .defer("run__result")
        .order_by("-created_at")
    )


def compare(a: MonitorRun, b: MonitorRun) -> list[dict[str, Any]]:
    """Key figures of two runs side by side, with the change from a to b."""
    rows = []
    sa, sb = a.summary or {}, b.summary or {}
    keys = [(k, label) for k, label in FIGURES if k in sa or k in sb]
    for grouping in sorted(set(sa.get("fairness", {})) | set(sb.get("fairness", {}))):
        keys.append((f"fairness:{grouping}", f"selection-rate ratio, {grouping}"))
    for column in sorted(set(sa.get("psi", {})) | set(sb.get("psi", {}))):
        keys.append((f"psi:{column}", f"PSI, {column}"))
    categories = {*sa.get("pass_rate_by_category", {}), *sb.get("pass_rate_by_category", {})}
    for category in sorted(categories):
        keys.append((f"category:{category}", f"pass rate, {category}"))
    for key, label in keys:
        va, vb = _figure(sa, key), _figure(sb, key)
        change = vb - va if va is not None and vb is not None else None
        rows.append({"figure": label, "a": va, "b": vb, "change": change})
    return rows


def _figure(summary: dict[str, Any], key: str) -> float | None:
    if key.startswith("fairness:"):
        value = summary.get("fairness", {}).get(key.split(":", 1)[1], {}).get("dp_ratio")
    elif key.startswith("psi:"):
        value = summary.get("psi", {}).get(key.split(":", 1)[1])
    elif key.startswith("category:"):
        value = summary.get("pass_rate_by_category", {}).get(key.split(":", 1)[1])
    else:
        value = summary.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def failing_requirements(organisation: Any) -> dict[str, list[Monitor]]:
    """Requirement URNs whose monitoring evidence is failing, with the failing monitors: for the
    SoA and the readiness score (a failing monitor weakens A.6.2.4, A.6.2.6, A.7.4 and 9.1)."""
    from aimwell.monitoring.services import REQUIREMENTS

    failing = list(
        Monitor.objects.filter(organisation=organisation, is_failing=True, is_active=True)
        .select_related("system")
        .order_by("system__name", "name")
    )
    return dict.fromkeys(REQUIREMENTS, failing) if failing else {}
