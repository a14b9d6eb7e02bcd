"""Forms of the document pages; the services validate the rules, forms the input."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from aimwell.accounts.models import Membership
from aimwell.accounts.roles import ROLE_LABELS, Role
from aimwell.documents.models import Approver, Classification, DocumentType

ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in Role if r != Role.EXTERNAL_AUDITOR]


def split_urns(text: str) -> list[str]:
    return [u for u in re.split(r"[\s,;]+", text or "") if u]


class DocumentForm(forms.Form):
    reference = forms.CharField(
        max_length=30, required=False, help_text="Left empty: the next free number, e.g. POL-04."
    )
    title = forms.CharField(max_length=200)
    doc_type = forms.ChoiceField(label="Type", choices=DocumentType.choices)
    classification = forms.ChoiceField(
        choices=Classification.choices,
        initial=Classification.INTERNAL,
        help_text="Staff read published documents classified public or internal.",
    )
    owner = forms.ChoiceField(required=False)
    approver = forms.ChoiceField(
        label="Who approves",
        choices=[("", "The type's default"), *Approver.choices],
        required=False,
        help_text="Policies: top management; procedures, plans and templates: an AIMS manager; "
        "records: their owner or an AIMS manager.",
    )
    review_interval_months = forms.IntegerField(min_value=1, max_value=60, initial=12)
    acknowledgement_roles = forms.MultipleChoiceField(
        label="Roles who must read and acknowledge each published version",
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    requirements = forms.CharField(
        label="Requirements it satisfies",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Requirement URNs separated by spaces or commas, e.g. iso42001:2023:5.2",
    )

    def __init__(self, *args: Any, organisation: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        members = (
            Membership.objects.active()
            .filter(organisation=organisation)
            .exclude(role=Role.EXTERNAL_AUDITOR)
            .select_related("user")
            .order_by("user__full_name", "user__email")
        )
        self.fields["owner"].choices = [("", "Nobody yet")] + [  # type: ignore[attr-defined]
            (str(m.user_id), m.user.display_name) for m in members
        ]
        self.owner_users = {str(m.user_id): m.user for m in members}
        if editing:
            del self.fields["reference"]

    def clean_requirements(self) -> list[str]:
        return split_urns(self.cleaned_data["requirements"])

    def clean_owner(self) -> Any:
        value = self.cleaned_data["owner"]
        return self.owner_users.get(value) if value else None


class DraftForm(forms.Form):
    body = forms.CharField(
        label="Text (Markdown)", required=False, widget=forms.Textarea(attrs={"rows": 28})
    )
    change_summary = forms.CharField(max_length=300, required=False)
    lock_version = forms.IntegerField(widget=forms.HiddenInput)


class NoteForm(forms.Form):
    note = forms.CharField(max_length=500, required=False)
