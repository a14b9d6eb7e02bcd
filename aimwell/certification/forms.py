"""Forms of the certification pages: they validate at the edge, services enforce the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone

from aimwell.accounts.models import Membership
from aimwell.accounts.pickers import member_picker
from aimwell.accounts.roles import Role
from aimwell.certification.choices import Area, AuditKind, AuditOutcome, Grade, SampleType
from aimwell.core.widgets import PickedRecords, Picker
from aimwell.documents.pickers import document_picker
from aimwell.evidence.pickers import evidence_picker, visible_evidence
from aimwell.inventory.pickers import system_picker

DATE = forms.DateInput(attrs={"type": "date"})


def _members(organisation: Any, *, guests: bool = False) -> Any:
    from django.contrib.auth import get_user_model

    roles = [Role.EXTERNAL_AUDITOR] if guests else [r for r in Role if r != Role.EXTERNAL_AUDITOR]
    ids = Membership.objects.active().filter(organisation=organisation, role__in=roles)
    return get_user_model().objects.filter(pk__in=ids.values("user_id")).order_by("email")


class ProjectForm(forms.Form):
    body_name = forms.CharField(label="Certification body", max_length=200)
    accreditation_body = forms.CharField(max_length=200, required=False)
    accreditation_number = forms.CharField(max_length=100, required=False)
    contact_name = forms.CharField(max_length=200, required=False)
    contact_email = forms.EmailField(required=False)
    applied_on = forms.DateField(required=False, widget=DATE, label="Application submitted on")
    application_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="What was submitted"
    )
    submitted_documents: forms.ModelMultipleChoiceField[Any] = PickedRecords(
        queryset=None, required=False, help_text="Searched by reference or title."
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from aimwell.documents.models import Document

        documents = Document.objects.filter(organisation=organisation, is_retired=False)
        self.fields["submitted_documents"].queryset = documents  # type: ignore[attr-defined]
        self.fields["submitted_documents"].widget = document_picker(documents, multiple=True)


class AuditForm(forms.Form):
    kind = forms.ChoiceField(choices=AuditKind.choices)
    title = forms.CharField(max_length=200, required=False)
    planned_start = forms.DateField(widget=DATE)
    planned_end = forms.DateField(widget=DATE)
    scope = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    areas = forms.MultipleChoiceField(
        choices=Area.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="What the auditor (and a guest engaged on this audit) may open.",
    )
    all_systems = forms.BooleanField(required=False, label="Every AI system is in scope")
    systems: forms.ModelMultipleChoiceField[Any] = PickedRecords(
        queryset=None,
        required=False,
        label="AI systems in scope",
        help_text="Searched by name; used when not every system is in scope.",
    )
    lead_auditor = forms.CharField(max_length=200, required=False)
    team = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="One name per line."
    )
    plan = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from aimwell.inventory.models import AISystem

        systems = AISystem.objects.filter(organisation=organisation).order_by("name")
        self.fields["systems"].queryset = systems  # type: ignore[attr-defined]
        self.fields["systems"].widget = system_picker(systems, multiple=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", "The audit cannot end before it starts.")
        return data


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(choices=AuditOutcome.choices)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    on = forms.DateField(widget=DATE, required=False, label="Completed on")


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=500)


class FindingForm(forms.Form):
    grade = forms.ChoiceField(choices=Grade.choices)
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        help_text="Who corrects it (for major and minor nonconformities).",
    )
    due_date = forms.DateField(widget=DATE, required=False)

    def __init__(
        self, *args: Any, organisation: Any, member_search: str = "", **kwargs: Any
    ) -> None:
        # member_search: where the owner is searched; the workspace, which guests use, has its
        # own search (a guest may not browse the organisation's members elsewhere).
        super().__init__(*args, **kwargs)
        owners = _members(organisation)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["owner"].widget = member_picker(owners, source=member_search)


class CertificateForm(forms.Form):
    number = forms.CharField(max_length=100, label="Certificate number")
    issued_on = forms.DateField(widget=DATE)
    scope = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Certified scope")


class EngagementForm(forms.Form):
    guest: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label="Guest (external auditor)"
    )
    ends_on = forms.DateField(widget=DATE, label="Access ends on")

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        guests = _members(organisation, guests=True)
        self.fields["guest"].queryset = guests  # type: ignore[attr-defined]
        self.fields["guest"].widget = member_picker(guests, guests=True)

    def clean_ends_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["ends_on"]
        if value <= timezone.localdate():
            raise forms.ValidationError("Choose a day after today.")
        return value


class SampleForm(forms.Form):
    """The sampled record is picked by name from those the audit covers; a record kept outside
    Aimwell is described in words instead."""

    object_type = forms.ChoiceField(choices=SampleType.choices, label="Type")
    object_id = forms.CharField(
        max_length=64,
        required=False,
        label="Record",
        help_text="Search by name among the records of that type your audit covers.",
    )
    label = forms.CharField(
        max_length=300,
        required=False,
        label="Description",
        help_text="For a record kept outside Aimwell, say what was sampled; "
        "otherwise the picked record's name is used.",
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, engagement: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["object_id"].widget = Picker(
            reverse("certification:workspace-pick", args=[engagement.pk]),
            include="#id_object_type",
            placeholder="Search the records of this audit by name",
        )


class CommentForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Comment")


class AskForm(forms.Form):
    title = forms.CharField(max_length=200, label="Evidence needed")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label="Ask")
    due_date = forms.DateField(widget=DATE)

    def __init__(
        self, *args: Any, organisation: Any, member_search: str = "", **kwargs: Any
    ) -> None:
        # member_search: where the owner is searched; the workspace, which guests use, has its
        # own search (a guest may not browse the organisation's members elsewhere).
        super().__init__(*args, **kwargs)
        owners = _members(organisation)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["owner"].widget = member_picker(owners, source=member_search)


class AnswerForm(forms.Form):
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args: Any, organisation: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Searched by title (evidence:pick), so a page with many open requests renders no list of
        # every item; only the live items this member may see are accepted.
        items = visible_evidence(user, organisation)
        field = self.fields["evidence"]
        field.queryset = items  # type: ignore[attr-defined]
        field.widget = evidence_picker(items)
        field.error_messages["invalid_choice"] = (
            "Pick one of this organisation's evidence items from the search."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("evidence") and not (data.get("answer") or "").strip():
            raise forms.ValidationError("Link an evidence item or write a note.")
        return data
