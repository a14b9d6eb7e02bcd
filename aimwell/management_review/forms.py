"""Forms of the management reviews pages."""

from __future__ import annotations

from django import forms

from aimwell.operations.forms import DATE, TEXT, OrgForm, user_field


class ReviewForm(OrgForm):
    title = forms.CharField(max_length=200)
    planned_on = forms.DateField(widget=DATE)
    chair = user_field("Chair (top management)")
    attendees = forms.CharField(required=False, widget=TEXT)


class ReviewNotesForm(forms.Form):
    input_notes = forms.CharField(required=False, widget=TEXT, label="Other inputs")
    minutes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}))
    decisions = forms.CharField(required=False, widget=TEXT)


class HoldForm(forms.Form):
    held_on = forms.DateField(widget=DATE)
    minutes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}))
    conclusions = forms.CharField(
        widget=TEXT, help_text="Is the AIMS still suitable, adequate and effective?"
    )
    decisions = forms.CharField(required=False, widget=TEXT)
