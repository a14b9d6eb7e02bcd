"""Forms of the nonconformities and their corrective actions pages."""

from __future__ import annotations

from django import forms

from aimwell.improvement.choices import Effectiveness, NCSource, Severity
from aimwell.operations.forms import DATE, TEXT, OrgForm, systems_field, user_field


class NonconformityForm(OrgForm):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=TEXT)
    source = forms.ChoiceField(choices=NCSource.choices)
    severity = forms.ChoiceField(choices=Severity.choices, initial=Severity.MINOR)
    owner = user_field("Owner")
    due_date = forms.DateField(required=False, widget=DATE)
    systems = systems_field()


class CorrectionForm(forms.Form):
    correction = forms.CharField(widget=TEXT)
    done_on = forms.DateField(required=False, widget=DATE)


class RootCauseForm(forms.Form):
    root_cause = forms.CharField(widget=TEXT)
    method = forms.CharField(required=False, max_length=100, help_text="e.g. five whys")


class ActionForm(OrgForm):
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=TEXT)
    owner = user_field("Owner")
    due_date = forms.DateField(required=False, widget=DATE)


class VerifyForm(forms.Form):
    result = forms.ChoiceField(choices=Effectiveness.choices)
    notes = forms.CharField(widget=TEXT, help_text="What you checked to judge effectiveness.")


class CompleteForm(forms.Form):
    note = forms.CharField(required=False, widget=TEXT)


class CancelForm(forms.Form):
    reason = forms.CharField(widget=TEXT)


class NonconformityEditForm(OrgForm):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=TEXT)
    severity = forms.ChoiceField(choices=Severity.choices)
    owner = user_field("Owner")
    due_date = forms.DateField(required=False, widget=DATE)
