"""Forms of change requests: the request itself and the note or date of a step."""

from __future__ import annotations

from typing import Any

from django import forms

from aimwell.change_control.choices import ChangeScope
from aimwell.change_control.models import ChangeRequest
from aimwell.lifecycle.forms import text_widgets


class ChangeForm(forms.ModelForm[ChangeRequest]):
    class Meta:
        model = ChangeRequest
        fields = [f for f in ChangeRequest.FIELDS if f != "owner"]
        widgets = {
            **text_widgets(
                (
                    "reason",
                    "what_changes",
                    "impact_on_risks",
                    "impact_on_assessments",
                    "impact_on_soa",
                    "impact_on_documents",
                )
            ),
            "planned_for": forms.DateInput(attrs={"type": "date"}),
            "review_after": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, organisation: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from aimwell.inventory.models import AISystem

        self.fields["system"].queryset = AISystem.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["scope"].choices = ChangeScope.choices  # type: ignore[attr-defined]


class ChangeActionForm(forms.Form):
    note = forms.CharField(max_length=5000, required=False)
    on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
