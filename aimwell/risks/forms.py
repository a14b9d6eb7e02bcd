"""Forms of the risk pages; choices come from the organisation and the current method."""

from __future__ import annotations

from typing import Any

from django import forms

from aimwell.accounts.pickers import member_picker
from aimwell.inventory.models import AISystem
from aimwell.inventory.pickers import system_picker
from aimwell.risks import edge
from aimwell.risks.choices import (
    ActionStatus,
    TreatmentOption,
)
from aimwell.risks.models import RiskMethod

TEXT = forms.Textarea(attrs={"rows": 3})


def _node_choice(kind: str, label: str) -> forms.ModelChoiceField:
    from aimwell.catalog.models import RequirementNode

    field = forms.ModelChoiceField(
        queryset=RequirementNode.objects.filter(
            framework__urn=edge.ISO, framework__organisation__isnull=True, kind=kind
        ).order_by("position"),
        required=False,
        label=label,
    )
    field.label_from_instance = lambda obj: f"{obj.ref_id} {obj.title}"  # type: ignore[method-assign]
    return field


def user_choice(organisation: Any, label: str = "Owner") -> forms.ModelChoiceField:
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(memberships__organisation=organisation, memberships__is_active=True)
        .exclude(memberships__role="external_auditor")
    )
    field = forms.ModelChoiceField(queryset=users.order_by("email"), required=False, label=label)
    field.label_from_instance = lambda obj: obj.email  # type: ignore[method-assign]
    field.widget = member_picker(field.queryset)  # searched by name or e-mail
    return field


class RiskForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=TEXT)
    causes = forms.CharField(required=False, widget=TEXT)
    custom_source = forms.CharField(
        max_length=200, required=False, label="Or a risk source of your own"
    )
    objective_text = forms.CharField(
        max_length=300, required=False, label="Or an objective of your own"
    )
    existing_controls = forms.CharField(required=False, widget=TEXT)
    review_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Next review"
    )

    def __init__(
        self,
        *args: Any,
        organisation: Any,
        method: RiskMethod | None,
        scoring: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.method = method
        systems = AISystem.objects.filter(organisation=organisation).order_by("name")
        self.fields["system"] = forms.ModelChoiceField(
            queryset=systems,
            required=False,
            label="AI system (empty: organisation-wide)",
            widget=system_picker(systems),
        )
        self.fields["risk_source"] = _node_choice("risk_source", "Risk source (Annex C)")
        self.fields["objective"] = _node_choice("objective", "Objective threatened (Annex C)")
        self.fields["owner"] = user_choice(organisation)
        self.order_fields(
            ["title", "description", "system", "risk_source", "custom_source", "objective"]
        )
        if scoring and method is not None:
            self.fields["likelihood"] = forms.TypedChoiceField(
                choices=[
                    (s["value"], f"{s['value']} {s['label']}") for s in method.likelihood_scale
                ],
                coerce=int,
            )
            steps = [("", "not rated")] + [
                (s["value"], f"{s['value']} {s['label']}") for s in method.consequence_scale
            ]
            for dim in method.dimensions:
                self.fields[f"c_{dim['key']}"] = forms.TypedChoiceField(
                    choices=steps,
                    coerce=int,
                    required=False,
                    empty_value=None,
                    label=f"Consequence for {dim['label'].lower()}",
                    help_text=dim.get("description", ""),
                )
                self.fields[f"d_{dim['key']}"] = forms.CharField(
                    max_length=1000, required=False, label=f"How {dim['label'].lower()} suffer"
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("risk_source") and not (data.get("custom_source") or "").strip():
            self.add_error("custom_source", "Choose an Annex C risk source or name your own.")
        scoring = "likelihood" in self.fields and self.method is not None
        if scoring and not any(data.get(f"c_{d['key']}") for d in self.method.dimensions):  # type: ignore[union-attr]
            raise forms.ValidationError("Rate the consequence for at least one dimension.")
        return data

    def consequences(self) -> dict[str, dict[str, Any]]:
        assert self.method is not None
        out = {}
        for dim in self.method.dimensions:
            rating = self.cleaned_data.get(f"c_{dim['key']}")
            if rating:
                out[dim["key"]] = {
                    "rating": rating,
                    "description": self.cleaned_data.get(f"d_{dim['key']}", ""),
                }
        return out

    def values(self) -> dict[str, Any]:
        keys = [
            "title",
            "description",
            "system",
            "risk_source",
            "custom_source",
            "objective",
            "objective_text",
            "causes",
            "existing_controls",
            "owner",
            "review_date",
        ]
        return {k: self.cleaned_data.get(k) for k in keys}


class TreatmentForm(forms.Form):
    option = forms.ChoiceField(choices=TreatmentOption.choices)
    plan = forms.CharField(required=False, widget=TEXT, label="Treatment plan")


class ResidualForm(forms.Form):
    likelihood = forms.IntegerField(min_value=1, max_value=10)
    consequence = forms.IntegerField(min_value=1, max_value=10)
    note = forms.CharField(max_length=500, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(max_length=500, required=False)


class ActionForm(forms.Form):
    title = forms.CharField(max_length=200)
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = user_choice(organisation)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)


class SelectControlForm(forms.Form):
    control = forms.CharField(max_length=40)
    rationale = forms.CharField(max_length=300, required=False)


class MethodForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=TEXT)
    likelihood = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One step per line, lowest first: label | description",
    )
    consequence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One step per line, lowest first: label | description",
    )
    dimensions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line: key | label | description (keys: lower case, underscores)",
    )
    bands = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line, lowest first: name | minimum level | colour (#rrggbb)",
    )
    acceptance_threshold = forms.IntegerField(min_value=1)
    review_interval_days = forms.IntegerField(min_value=7, max_value=1095)
    change_note = forms.CharField(max_length=500, required=False)

    @staticmethod
    def initial_from(method: RiskMethod | dict[str, Any]) -> dict[str, Any]:
        def get(key: str) -> Any:
            return method[key] if isinstance(method, dict) else getattr(method, key)

        return {
            "name": get("name"),
            "description": get("description"),
            "likelihood": "\n".join(
                f"{s['label']} | {s.get('description', '')}" for s in get("likelihood_scale")
            ),
            "consequence": "\n".join(
                f"{s['label']} | {s.get('description', '')}" for s in get("consequence_scale")
            ),
            "dimensions": "\n".join(
                f"{d['key']} | {d['label']} | {d.get('description', '')}" for d in get("dimensions")
            ),
            "bands": "\n".join(f"{b['name']} | {b['min']} | {b['colour']}" for b in get("bands")),
            "acceptance_threshold": get("acceptance_threshold"),
            "review_interval_days": get("review_interval_days"),
        }

    def spec(self) -> dict[str, Any]:
        data = self.cleaned_data

        def lines(name: str) -> list[list[str]]:
            return [
                [p.strip() for p in line.split("|")]
                for line in data[name].splitlines()
                if line.strip()
            ]

        def scale(name: str) -> list[dict[str, Any]]:
            return [
                {"value": i, "label": p[0], "description": p[1] if len(p) > 1 else ""}
                for i, p in enumerate(lines(name), start=1)
            ]

        try:
            dimensions = [
                {"key": p[0], "label": p[1], "description": p[2] if len(p) > 2 else ""}
                for p in lines("dimensions")
            ]
            bands = [
                {"name": p[0], "min": int(p[1]), "colour": p[2] if len(p) > 2 else "#eef2f6"}
                for p in lines("bands")
            ]
        except (IndexError, ValueError) as exc:
            raise forms.ValidationError("Check the dimensions and bands lines.") from exc
        return {
            "name": data["name"],
            "description": data["description"],
            "likelihood_scale": scale("likelihood"),
            "consequence_scale": scale("consequence"),
            "dimensions": dimensions,
            "bands": bands,
            "acceptance_threshold": data["acceptance_threshold"],
            "review_interval_days": data["review_interval_days"],
            "change_note": data["change_note"],
        }
