"""Forms of the inventory pages; bulk import validates each row with the same forms."""

from __future__ import annotations

from typing import Any

from django import forms

from aimwell.accounts.models import Membership
from aimwell.inventory.choices import EUOperatorRole
from aimwell.inventory.models import AIModel, AISystem, Dataset, Resource, Supplier
from aimwell.inventory.services import (
    DATASET_FIELDS,
    MODEL_FIELDS,
    RESOURCE_FIELDS,
    SUPPLIER_FIELDS,
    SYSTEM_FIELDS,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class OrganisationForm(forms.ModelForm):
    """Limits every choice of a related object to the organisation's own."""

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("rows", 3)
        if "supplier" in self.fields:
            self.fields["supplier"].queryset = Supplier.objects.filter(  # type: ignore[attr-defined]
                organisation=organisation
            )
        if "owner" in self.fields:
            members = Membership.objects.active().filter(organisation=organisation)
            owner_field = self.fields["owner"]
            owner_field.queryset = owner_field.queryset.filter(  # type: ignore[attr-defined]
                pk__in=members.values("user_id")
            )
            owner_field.label_from_instance = lambda u: f"{u.display_name} ({u.email})"  # type: ignore[attr-defined]


class SystemForm(OrganisationForm):
    eu_roles = forms.MultipleChoiceField(
        label="EU AI Act roles",
        choices=EUOperatorRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Every role the organisation holds for this system: one that builds a system "
        "and uses it itself is its provider and its deployer.",
    )

    class Meta:
        model = AISystem
        fields = list(SYSTEM_FIELDS)
        widgets = dict.fromkeys(
            (
                "purpose",
                "intended_use",
                "foreseeable_misuse",
                "deployment_context",
                "users",
                "affected_persons",
                "vulnerable_groups",
            ),
            TEXTAREA,
        )


class ModelForm_(OrganisationForm):
    class Meta:
        model = AIModel
        fields = list(MODEL_FIELDS)
        widgets = {"intended_use": TEXTAREA, "limitations": TEXTAREA}

    def clean_training_compute_flops(self) -> float | None:
        value = self.cleaned_data.get("training_compute_flops")
        if value is not None and value < 0:
            raise forms.ValidationError("Training compute cannot be negative.")
        return value


class DatasetForm(OrganisationForm):
    class Meta:
        model = Dataset
        fields = list(DATASET_FIELDS)
        widgets = dict.fromkeys(("acquisition", "provenance", "quality_checks"), TEXTAREA)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("special_category_data") and not data.get("contains_personal_data"):
            self.add_error(
                "contains_personal_data", "Special-category data is personal data: tick this too."
            )
        if data.get("contains_personal_data") and not data.get("legal_basis"):
            self.add_error("legal_basis", "Personal data needs a legal basis (GDPR Art. 6).")
        return data


class SupplierForm(OrganisationForm):
    class Meta:
        model = Supplier
        fields = list(SUPPLIER_FIELDS)
        widgets = {
            "provides": TEXTAREA,
            "responsibilities": TEXTAREA,
            "due_diligence_date": forms.DateInput(attrs={"type": "date"}),
        }


class ResourceForm(OrganisationForm):
    class Meta:
        model = Resource
        fields = list(RESOURCE_FIELDS)


class LinkForm(forms.Form):
    """Link an existing model, dataset or supplier to a system."""

    target = forms.UUIDField()


class ResolveReviewForm(forms.Form):
    note = forms.CharField(max_length=500, label="What was reviewed and concluded")


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            ("systems", "AI systems"),
            ("models", "Models"),
            ("datasets", "Datasets"),
            ("suppliers", "Suppliers"),
        ]
    )
    file = forms.FileField(help_text="CSV or xlsx, at most 10 MB; see the column list below.")
