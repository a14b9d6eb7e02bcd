"""Forms of the monitoring pages (the services validate again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy

from aimwell.core.widgets import Picker
from aimwell.monitoring.checks import THRESHOLD_KEYS, default_thresholds
from aimwell.monitoring.models import (
    PREDICTION_METRICS,
    Metric,
    OnBreach,
    Schedule,
    SourceKind,
    Task,
)

LIST_FIELDS = ("sensitive_columns", "feature_columns", "categorical_columns")


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\n", ",").split(",") if p.strip()]


class MonitorForm(forms.Form):
    system = forms.ChoiceField(label="AI system")
    name = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    source_kind = forms.ChoiceField(choices=SourceKind.choices, label="Log source")
    source = forms.CharField(
        required=False,
        max_length=1000,
        help_text="For a path or URL source: a file, directory or glob under the data directory, "
        "or s3://, gs://, az:// …",
    )
    task = forms.ChoiceField(
        choices=Task.choices,
        help_text="Generative-AI evaluation: an evaluation log (one row per test case) of a "
        "generative system, with the metric “Generative-AI evaluation”.",
    )
    label_column = forms.CharField(required=False, max_length=200, label="Label column")
    prediction_column = forms.CharField(required=False, max_length=200)
    score_column = forms.CharField(required=False, max_length=200)
    sensitive_columns = forms.CharField(
        required=False,
        help_text="Comma-separated, e.g. sex, age_band",
        label="Sensitive attributes",
    )
    feature_columns = forms.CharField(required=False, help_text="Comma-separated; empty: all")
    categorical_columns = forms.CharField(
        required=False, help_text="Numeric columns to treat as categories"
    )
    timestamp_column = forms.CharField(required=False, max_length=200)
    attribution_prefix = forms.CharField(max_length=50, initial="shap_")
    pos_label = forms.CharField(max_length=50, initial="1", label="Positive class")
    decision_threshold = forms.FloatField(min_value=0, max_value=1, initial=0.5)
    min_group_size = forms.IntegerField(min_value=0, initial=30, label="Smallest group judged")
    category_column = forms.CharField(
        required=False, max_length=200, help_text="Evaluation logs: the test category column"
    )
    outcome_column = forms.CharField(
        required=False,
        max_length=200,
        help_text="Evaluation logs: pass/fail column (boolean, 0/1 or pass/fail); or use the "
        "score column with a pass threshold",
    )
    pass_threshold = forms.FloatField(
        required=False, help_text="Evaluation logs: a case passes when score ≥ this"
    )
    refusal_column = forms.CharField(
        required=False, max_length=200, help_text="Evaluation logs: the refusal flag"
    )
    run_column = forms.CharField(
        required=False,
        max_length=200,
        help_text="Evaluation logs: the run id; a log with two runs compares them",
    )
    metrics = forms.MultipleChoiceField(
        choices=Metric.choices, widget=forms.CheckboxSelectMultiple, initial=PREDICTION_METRICS
    )
    reference = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Reference log (path or URL) for drift; for an evaluation, the baseline log",
    )
    thresholds = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line as name = value; defaults: "
        + ", ".join(f"{k} {v}" for k, v in default_thresholds().items())
        + "; also min_accuracy, min_roc_auc, min_f1.",
    )
    schedule = forms.ChoiceField(choices=Schedule.choices)
    on_breach = forms.ChoiceField(choices=OnBreach.choices, label="On a breach")
    breach_level = forms.ChoiceField(
        choices=[("alert", "Alerts are breaches"), ("warning", "Warnings too")]
    )
    is_active = forms.BooleanField(required=False, initial=True, label="Active")

    def __init__(self, *args: Any, systems: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = {str(s.pk): s.name for s in systems}
        self.fields["system"].choices = list(names.items())  # type: ignore[attr-defined]
        # Searched by name (an organisation's systems outgrow a select); the choices above still
        # decide what may be posted: only the systems this member may monitor.
        self.fields["system"].widget = Picker(
            reverse_lazy("inventory:system-pick"),
            placeholder="Search AI systems by name",
            labels=lambda ids: {i: names[i] for i in ids if i in names},
        )

    def clean_thresholds(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for line in (self.cleaned_data.get("thresholds") or "").splitlines():
            if not line.strip():
                continue
            key, sep, value = line.partition("=")
            key = key.strip()
            if not sep or key not in THRESHOLD_KEYS:
                raise forms.ValidationError(f"Unknown threshold line: {line.strip()}")
            try:
                out[key] = float(value)
            except ValueError as exc:
                raise forms.ValidationError(f"{key} must be a number.") from exc
        return out

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("system", None)
        for key in LIST_FIELDS:
            data[key] = _split(data[key])
        return data

    @staticmethod
    def initial_for(monitor: Any) -> dict[str, Any]:
        data = {
            f: getattr(monitor, f)
            for f in (
                "name",
                "description",
                "source_kind",
                "source",
                "task",
                "label_column",
                "prediction_column",
                "score_column",
                "timestamp_column",
                "attribution_prefix",
                "pos_label",
                "decision_threshold",
                "min_group_size",
                "category_column",
                "outcome_column",
                "pass_threshold",
                "refusal_column",
                "run_column",
                "metrics",
                "reference",
                "schedule",
                "on_breach",
                "breach_level",
                "is_active",
            )
        }
        for key in LIST_FIELDS:
            data[key] = ", ".join(getattr(monitor, key))
        data["thresholds"] = "\n".join(f"{k} = {v}" for k, v in (monitor.thresholds or {}).items())
        data["system"] = str(monitor.system_id)
        return data


class UploadForm(forms.Form):
    log = forms.FileField(label="Prediction log (CSV or Parquet)")
