"""The impact assessment form: the areas, the fundamental-rights fields and the rest."""

from __future__ import annotations

from typing import Any

from django import forms

from aimwell.impact_assessments.choices import FRIA_FIELDS, IMPACT_AREAS
from aimwell.risks.forms import TEXT, user_choice


class ImpactForm(forms.Form):
    title = forms.CharField(max_length=200)
    intended_use = forms.CharField(required=False, widget=TEXT)
    foreseeable_misuse = forms.CharField(required=False, widget=TEXT)
    affected_individuals = forms.CharField(required=False, widget=TEXT)
    affected_groups = forms.CharField(required=False, widget=TEXT)
    vulnerable_groups = forms.CharField(required=False, widget=TEXT)
    societal_reach = forms.CharField(required=False, widget=TEXT, label="Reach in society")
    overall_residual = forms.CharField(required=False, widget=TEXT, label="Residual impact")
    reassessment_triggers = forms.CharField(required=False, widget=TEXT)
    dpia_required = forms.TypedChoiceField(
        choices=[("", "Not decided"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        required=False,
        empty_value=None,
        label="GDPR DPIA needed?",
    )
    dpia_reference = forms.CharField(max_length=300, required=False, label="DPIA reference or link")
    next_review_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, organisation: Any, fria: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = user_choice(organisation)
        scale = [("", "—")] + [(i, str(i)) for i in range(1, 6)]
        for key, label, hint in IMPACT_AREAS:
            self.fields[f"{key}_description"] = forms.CharField(
                required=False, widget=TEXT, label=f"{label}: impact", help_text=hint
            )
            for part in ("severity", "likelihood", "residual_severity"):
                self.fields[f"{key}_{part}"] = forms.TypedChoiceField(
                    choices=scale,
                    coerce=int,
                    required=False,
                    empty_value=None,
                    label=f"{label}: {part.replace('_', ' ')} (1-5)",
                )
            self.fields[f"{key}_mitigation"] = forms.CharField(
                required=False, widget=TEXT, label=f"{label}: mitigation"
            )
        if fria:
            for key, label in FRIA_FIELDS:
                self.fields[f"fria_{key}"] = forms.CharField(
                    required=False, widget=TEXT, label=f"Art. 27: {label}"
                )

    @staticmethod
    def initial_from(assessment: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            f: getattr(assessment, f)
            for f in [
                "title",
                "intended_use",
                "foreseeable_misuse",
                "affected_individuals",
                "affected_groups",
                "vulnerable_groups",
                "societal_reach",
                "overall_residual",
                "reassessment_triggers",
                "dpia_reference",
                "next_review_date",
                "owner",
            ]
        }
        data["dpia_required"] = {True: "yes", False: "no"}.get(assessment.dpia_required, "")
        for key, values in (assessment.impacts or {}).items():
            for part, value in values.items():
                data[f"{key}_{part}"] = value
        for key, value in (assessment.fria or {}).items():
            data[f"fria_{key}"] = value
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        impacts = {
            key: {
                part: data.get(f"{key}_{part}")
                for part in (
                    "description",
                    "severity",
                    "likelihood",
                    "mitigation",
                    "residual_severity",
                )
            }
            for key, _, _ in IMPACT_AREAS
        }
        out = {
            f: data.get(f)
            for f in [
                "title",
                "intended_use",
                "foreseeable_misuse",
                "affected_individuals",
                "affected_groups",
                "vulnerable_groups",
                "societal_reach",
                "overall_residual",
                "reassessment_triggers",
                "dpia_required",
                "dpia_reference",
                "next_review_date",
                "owner",
            ]
        }
        out["impacts"] = impacts
        out["fria"] = {k: data.get(f"fria_{k}", "") for k, _ in FRIA_FIELDS if f"fria_{k}" in data}
        return out
