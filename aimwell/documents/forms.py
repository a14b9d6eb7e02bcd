"""Forms of the document pages; the services validate the rules, forms the input."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from aimwell.accounts.models import Membership, User
from aimwell.accounts.pickers import member_picker
from aimwell.accounts.roles import ROLE_LABELS, Role
from aimwell.catalog.pickers import requirement_picker
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
    owner = forms.ModelChoiceField(
        User.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Pick one of this organisation's members."},
    )
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
        help_text="Search each requirement by title or clause and pick it.",
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
        # The owner and the requirements are searched by name and title, never typed as codes;
        # the owner's queryset refuses anyone outside the organisation's own people.
        people = User.objects.filter(pk__in=members.values("user_id")).order_by("full_name")
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]
        self.fields["owner"].widget = member_picker(people)
        self.fields["requirements"].widget = requirement_picker(organisation, multiple=True)
        if editing:
            del self.fields["reference"]

    def clean_requirements(self) -> list[str]:
        return split_urns(self.cleaned_data["requirements"])


class DraftForm(forms.Form):
    body = forms.CharField(
        label="Text (Markdown)", required=False, widget=forms.Textarea(attrs={"rows": 28})
    )
    change_summary = forms.CharField(max_length=300, required=False)
    lock_version = forms.IntegerField(widget=forms.HiddenInput)


class NoteForm(forms.Form):
    note = forms.CharField(max_length=500, required=False)
