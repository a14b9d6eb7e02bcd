"""Forms of the life-cycle pages: one per record, with labels and hints that say what an auditor
will look for."""

from __future__ import annotations

from typing import Any

from django import forms

from aimwell.lifecycle.choices import AcceptanceKind, Comparison, CriterionKind
from aimwell.lifecycle.models import DesignRecord, LoggingPolicy, RequirementsSpec

AREA = forms.Textarea(attrs={"rows": 3})


def text_widgets(fields: tuple[str, ...]) -> dict[str, Any]:
    return dict.fromkeys(fields, AREA)


class RequirementsForm(forms.ModelForm):
    class Meta:
        model = RequirementsSpec
        fields = [f for f in RequirementsSpec.FIELDS if f != "owner"]
        widgets = text_widgets(tuple(fields))
        help_texts = {
            "performance_requirements": "State them measurably; the V&V plan's acceptance "
            "criteria (metric, threshold, group) make them testable.",
        }


class DesignForm(forms.ModelForm):
    class Meta:
        model = DesignRecord
        fields = [*(f for f in DesignRecord.FIELDS if f != "owner"), "datasets"]
        widgets = {
            **text_widgets(tuple(f for f in DesignRecord.FIELDS if f != "owner")),
            "datasets": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, organisation: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from aimwell.inventory.models import Dataset

        self.fields["datasets"].queryset = Dataset.objects.filter(organisation=organisation)  # type: ignore[attr-defined]


class LoggingPolicyForm(forms.ModelForm):
    class Meta:
        model = LoggingPolicy
        fields = ["events_logged", "storage_location", "retention_days", "access_control"]
        widgets = {"events_logged": AREA, "access_control": AREA}
        help_texts = {"retention_days": "High-risk systems: at least 183 days (six months)."}


class PlanForm(forms.Form):
    scope = forms.CharField(widget=AREA, required=False, max_length=10000)
    method = forms.CharField(widget=AREA, required=False, max_length=10000)


class CriterionForm(forms.Form):
    key = forms.CharField(max_length=40, help_text="e.g. AC-3")
    kind = forms.ChoiceField(choices=CriterionKind.choices)
    metric = forms.CharField(max_length=80, help_text="As the monitor names it, e.g. roc_auc.")
    comparison = forms.ChoiceField(choices=Comparison.choices)
    threshold = forms.FloatField()
    group = forms.CharField(max_length=200, required=False, help_text="Empty: everyone.")
    description = forms.CharField(max_length=500, required=False)


class ResultForm(forms.Form):
    criterion_id = forms.UUIDField(widget=forms.HiddenInput)
    value = forms.FloatField(required=False)
    monitor_run_id = forms.UUIDField(required=False, label="Or a monitoring run (id)")
    measured_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(max_length=500, required=False)


class AcceptanceForm(forms.Form):
    criterion_id = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=AcceptanceKind.choices)
    likelihood = forms.IntegerField(min_value=1, max_value=20)
    consequence = forms.IntegerField(min_value=1, max_value=20)
    rationale = forms.CharField(widget=AREA, max_length=5000)


class ApproveForm(forms.Form):
    model_id = forms.UUIDField()
    note = forms.CharField(max_length=500, required=False)
