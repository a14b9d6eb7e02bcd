"""Forms of the courses, quizzes and training records pages."""

from __future__ import annotations

from typing import Any

from django import forms

from aimwell.operations.forms import DATE, ROLE_CHOICES, TEXT, OrgForm, user_field


class RecordForm(OrgForm):
    user = user_field("Member", required=True)
    completed_on = forms.DateField(widget=DATE)
    score = forms.IntegerField(required=False, min_value=0, max_value=100)
    note = forms.CharField(required=False, max_length=300)


class CourseForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(required=False, widget=TEXT)
    content = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 12}), help_text="Markdown."
    )
    quiz = forms.JSONField(
        required=False,
        initial=list,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text='A list of {"question": "…", "options": ["…", "…"], "answer": 0}.',
    )
    pass_mark = forms.IntegerField(min_value=0, max_value=100, initial=80, label="Pass mark (%)")
    validity_months = forms.IntegerField(min_value=0, max_value=120, initial=12)
    roles = forms.MultipleChoiceField(
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Who must take it; none means every member.",
    )

    def clean_quiz(self) -> Any:
        return self.cleaned_data.get("quiz") or []


class CourseNewForm(CourseForm):
    key = forms.SlugField(max_length=60, help_text="A short identifier, e.g. fairness-testing.")

    field_order = ["key", "title"]
