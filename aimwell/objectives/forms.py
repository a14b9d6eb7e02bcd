"""Forms of the AI objectives and their measurements pages."""

from __future__ import annotations

from typing import Any

from django import forms

from aimwell.catalog.models import RequirementNode
from aimwell.objectives.choices import MeasurementSource, ObjectiveDirection
from aimwell.operations.forms import DATE, TEXT, OrgForm, systems_field, user_field


class ObjectiveForm(OrgForm):
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=TEXT)
    measure = forms.CharField(max_length=300)
    unit = forms.CharField(max_length=40, required=False)
    baseline = forms.FloatField(required=False)
    target = forms.FloatField()
    direction = forms.ChoiceField(choices=ObjectiveDirection.choices)
    owner = user_field("Owner")
    due_date = forms.DateField(widget=DATE)
    annex_c = forms.ModelChoiceField(
        RequirementNode.objects.none(), required=False, label="Annex C objective"
    )
    systems = systems_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["annex_c"].queryset = RequirementNode.objects.filter(  # type: ignore[attr-defined]
            framework__key="iso42001", framework__organisation__isnull=True, kind="objective"
        ).order_by("position")


class MeasurementForm(forms.Form):
    value = forms.FloatField()
    measured_on = forms.DateField(required=False, widget=DATE)
    source = forms.ChoiceField(choices=MeasurementSource.choices)
    note = forms.CharField(required=False, max_length=300)
