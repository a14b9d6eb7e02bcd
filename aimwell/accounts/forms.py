"""Forms of the members and tokens pages; validation happens here, writes in services."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from aimwell.accounts.roles import ROLE_LABELS, AIMSProcess, Role

ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in Role]
PROCESS_CHOICES = [(p.value, p.label) for p in AIMSProcess]


class MembershipFieldsForm(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES)
    is_top_management = forms.BooleanField(
        required=False,
        label="Top management",
        help_text="Approves the AI policy and chairs management review.",
    )
    risk_acceptance_limit = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=25,
        label="Risk-acceptance authority",
        help_text="The highest risk level this member may accept (empty: none).",
    )
    owned_processes = forms.MultipleChoiceField(
        choices=PROCESS_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Owns AIMS processes",
        help_text="Owners cannot audit their own processes.",
    )
    expires_at = forms.DateTimeField(
        required=False,
        label="Access expires",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Required for external auditors.",
    )
    scope_note = forms.CharField(required=False, max_length=500, label="Scope of access")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("role") == Role.EXTERNAL_AUDITOR and not data.get("expires_at"):
            self.add_error("expires_at", "An external auditor's access needs an expiry date.")
        expires = data.get("expires_at")
        if expires and expires <= timezone.now():
            self.add_error("expires_at", "Choose a date in the future.")
        return data


class AddMemberForm(MembershipFieldsForm):
    email = forms.EmailField()
    full_name = forms.CharField(required=False, max_length=150, label="Full name")

    field_order = ["email", "full_name", "role"]


class EditMemberForm(MembershipFieldsForm):
    is_active = forms.BooleanField(required=False, label="Active")


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What will use it, e.g. 'CI pipeline'.")
    expires_at = forms.DateTimeField(
        required=False,
        label="Expires",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the token a name.")
        return str(name)
