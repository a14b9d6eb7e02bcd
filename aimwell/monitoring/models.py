"""Monitors of AI systems and their runs: a prediction log turned into assurance evidence.

A monitor says where a system's prediction log comes from, which column plays which role, what to
compute, against which reference, with which thresholds, how often, and what to do on a breach.
Each run keeps the engine's full result (method, binning, thresholds, sample sizes), a compact
summary for trends, the breaches found, and what was done about them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aimwell.assurance import Thresholds
from aimwell.core.models import OrganisationScopedModel


class SourceKind(models.TextChoices):
    UPLOAD = "upload", "Uploaded log"
    PATH = "path", "Path on the server"
    URL = "url", "Object-store URL"


class Metric(models.TextChoices):
    PERFORMANCE = "performance", "Performance"
    FAIRNESS = "fairness", "Fairness"
    DRIFT = "drift", "Drift"
    QUALITY = "quality", "Data quality"
    EXPLAIN = "explain", "Attribution"
    GENERATIVE = "generative", "Generative-AI evaluation"


class Task(models.TextChoices):
    CLASSIFICATION = "classification", "Classification"
    REGRESSION = "regression", "Regression"
    # An evaluation log of a generative-AI system: one row per test case, not per prediction.
    GENERATIVE = "generative", "Generative-AI evaluation"


class Schedule(models.TextChoices):
    MANUAL = "manual", "On demand"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"


class OnBreach(models.TextChoices):
    NOTHING = "nothing", "Mark the run and notify the owner"
    INCIDENT = "incident", "… and open an incident"
    NONCONFORMITY = "nonconformity", "… and open a nonconformity"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Outcome(models.TextChoices):
    OK = "ok", "OK"
    WARNING = "warning", "Warning"
    ALERT = "alert", "Alert"
    NOT_JUDGED = "not_judged", "Not judged"


ALL_METRICS = [m.value for m in Metric]
# What a prediction log (classification, regression) can give; an evaluation log gives only the
# generative figures.
PREDICTION_METRICS = [m for m in ALL_METRICS if m != Metric.GENERATIVE]


class Monitor(OrganisationScopedModel):
    system_path = "system"  # what narrows a guest (core.guests)
    system = models.ForeignKey(
        "inventory.AISystem", on_delete=models.CASCADE, related_name="monitors"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source_kind = models.CharField(
        max_length=10, choices=SourceKind.choices, default=SourceKind.UPLOAD
    )
    # For path and URL sources: where the worker reads the log (a file, directory, glob or URL).
    source = models.CharField(max_length=1000, blank=True)
    # Column mapping.
    task = models.CharField(max_length=20, choices=Task.choices, default=Task.CLASSIFICATION)
    label_column = models.CharField(max_length=200, blank=True)
    prediction_column = models.CharField(max_length=200, blank=True)
    score_column = models.CharField(max_length=200, blank=True)
    sensitive_columns = models.JSONField(default=list, blank=True)
    feature_columns = models.JSONField(default=list, blank=True)
    categorical_columns = models.JSONField(default=list, blank=True)
    timestamp_column = models.CharField(max_length=200, blank=True)
    attribution_prefix = models.CharField(max_length=50, default="shap_", blank=True)
    pos_label = models.CharField(max_length=50, default="1")
    decision_threshold = models.FloatField(default=0.5)
    min_group_size = models.PositiveIntegerField(default=30)
    # Evaluation logs of generative systems (task "generative"): the test category, the
    # pass/fail column or the score column (score_column) with its pass threshold, the refusal
    # flag and the run id; the reference is then the baseline run's log.
    category_column = models.CharField(max_length=200, blank=True)
    outcome_column = models.CharField(max_length=200, blank=True)
    pass_threshold = models.FloatField(null=True, blank=True)
    refusal_column = models.CharField(max_length=200, blank=True)
    run_column = models.CharField(max_length=200, blank=True)
    metrics = models.JSONField(default=list)
    # The reference window: a log (path/URL, or an uploaded file kept under the data dir).
    reference = models.CharField(max_length=1000, blank=True)
    drift_mode = models.CharField(max_length=10, default="exact")
    # Overrides of aimwell.assurance.Thresholds fields; the rest keep their defaults.
    thresholds = models.JSONField(default=dict, blank=True)
    schedule = models.CharField(max_length=10, choices=Schedule.choices, default=Schedule.MANUAL)
    on_breach = models.CharField(max_length=15, choices=OnBreach.choices, default=OnBreach.NOTHING)
    # A breach is an alert (default), or also a warning.
    breach_level = models.CharField(max_length=10, default="alert")
    is_active = models.BooleanField(default=True)
    # Denormalised from the latest finished run, for the overview.
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    is_failing = models.BooleanField(default=False)
    run_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["system__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "system", "name"], name="monitor_name_per_system"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_owned_by(self, user_id: object) -> bool:
        return self.system.owner_id is not None and self.system.owner_id == user_id

    @property
    def effective_thresholds(self) -> dict[str, float]:
        """The engine's defaults with this monitor's overrides."""
        return {**Thresholds().to_dict(), **(self.thresholds or {})}


class MonitorRun(OrganisationScopedModel):
    system_path = "system"  # what narrows a guest (core.guests)
    monitor = models.ForeignKey(Monitor, on_delete=models.CASCADE, related_name="runs")
    system = models.ForeignKey("inventory.AISystem", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    triggered_label = models.CharField(max_length=200, blank=True)
    log_location = models.CharField(max_length=1000)
    log_name = models.CharField(max_length=300, blank=True)
    log_size = models.PositiveBigIntegerField(null=True, blank=True)
    log_sha256 = models.CharField(max_length=64, blank=True)
    reference_location = models.CharField(max_length=1000, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    n_rows = models.PositiveBigIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    breached = models.BooleanField(default=False)
    breaches = models.JSONField(default=list, blank=True)
    # Key figures for trend charts and comparisons (small; lists never load `result`).
    summary = models.JSONField(default=dict, blank=True)
    # The engine's full result tree (AssuranceReport.to_dict()).
    result = models.JSONField(null=True, blank=True)
    evidence = models.ForeignKey(
        "evidence.EvidenceItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What was done about a breach: [{"kind", "status", "label", "id", "message"}].
    actions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["monitor", "number"], name="monitor_run_number")
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.monitor.name} run #{self.number}"

    def is_owned_by(self, user_id: object) -> bool:
        return self.monitor.is_owned_by(user_id)

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.SUCCEEDED, RunStatus.FAILED)


class Notification(OrganisationScopedModel):
    """A message to one person about a run (a breach, for the system's owner)."""

    system_path = "run__system"  # what narrows a guest (core.guests)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    run = models.ForeignKey(MonitorRun, on_delete=models.CASCADE, related_name="notifications")
    message = models.TextField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.message[:80]

    def is_owned_by(self, user_id: object) -> bool:
        return self.recipient_id == user_id
