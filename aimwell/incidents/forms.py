"""Forms of the AI incidents and concerns pages."""

from __future__ import annotations

from django import forms

from aimwell.incidents.choices import (
    ConcernCategory,
    ConcernStatus,
    IncidentSeverity,
    IncidentStatus,
    SeriousKind,
)
from aimwell.inventory.models import AISystem
from aimwell.operations.forms import DATE, TEXT, OrgForm, systems_field, user_field


class IncidentForm(OrgForm):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=TEXT)
    severity = forms.ChoiceField(choices=IncidentSeverity.choices)
    systems = systems_field()
    owner = user_field("Owner")
    harm = forms.CharField(required=False, widget=TEXT)
    detection = forms.CharField(required=False, widget=TEXT, label="How it was detected")
    response = forms.CharField(required=False, widget=TEXT)
    is_serious = forms.BooleanField(
        required=False, label="Serious incident under the EU AI Act (Art. 3(49))"
    )
    serious_kind = forms.ChoiceField(
        choices=[("", "—"), *SeriousKind.choices], required=False, label="Kind of serious incident"
    )
    aware_on = forms.DateField(
        required=False,
        widget=DATE,
        label="Became aware on",
        help_text="Starts the reporting clock; today when empty.",
    )


class IncidentUpdateForm(OrgForm):
    status = forms.ChoiceField(choices=IncidentStatus.choices)
    owner = user_field("Owner")
    response = forms.CharField(required=False, widget=TEXT)
    affected_informed_on = forms.DateField(required=False, widget=DATE)
    communication = forms.CharField(required=False, widget=TEXT)
    lessons = forms.CharField(required=False, widget=TEXT, label="Lessons learned")


class AuthorityForm(forms.Form):
    reported_on = forms.DateField(widget=DATE)
    authority = forms.CharField(max_length=200)
    communication = forms.CharField(required=False, widget=TEXT)


class ConcernForm(OrgForm):
    category = forms.ChoiceField(choices=ConcernCategory.choices)
    system = forms.ModelChoiceField(AISystem.objects.none(), required=False, label="AI system")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))
    anonymous = forms.BooleanField(
        required=False,
        label="Report anonymously",
        help_text="Nothing about you is stored; keep the follow-up code to check the outcome.",
    )


class CodeForm(forms.Form):
    code = forms.CharField(max_length=100, label="Follow-up code")


class TriageForm(OrgForm):
    status = forms.ChoiceField(choices=ConcernStatus.choices)
    handler = user_field("Handler")
    triage_notes = forms.CharField(required=False, widget=TEXT)
    outcome = forms.CharField(required=False, widget=TEXT)
