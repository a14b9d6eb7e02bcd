"""Forms of the operations pages: they validate input; services write."""

from __future__ import annotations

from typing import Any

from django import forms

from aimwell.accounts.models import Membership, User
from aimwell.accounts.roles import AIMSProcess, Role
from aimwell.catalog.models import RequirementNode
from aimwell.evidence.models import EvidenceItem
from aimwell.inventory.models import AISystem
from aimwell.operations.choices import (
    ConcernCategory,
    ConcernStatus,
    Effectiveness,
    FindingKind,
    IncidentSeverity,
    IncidentStatus,
    MeasurementSource,
    NCSource,
    ObjectiveDirection,
    SeriousKind,
    Severity,
)
from aimwell.operations.models import AuditProgramme

ROLE_CHOICES = [(r.value, r.label) for r in Role]
DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})


def members(organisation: Any) -> Any:
    ids = Membership.objects.active().filter(organisation=organisation).values("user_id")
    return User.objects.filter(pk__in=ids).order_by("full_name", "email")


def systems(organisation: Any) -> Any:
    return AISystem.objects.filter(organisation=organisation).order_by("name")


def assessable() -> Any:
    return RequirementNode.objects.filter(
        framework__key="iso42001",
        framework__organisation__isnull=True,
        kind__in=["requirement", "control"],
        is_retired=False,
    ).order_by("position")


class OrgForm(forms.Form):
    """A form whose choices come from the current organisation."""

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        for field in self.fields.values():
            if not isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
                continue
            model = field.queryset.model if field.queryset is not None else None
            if model is User:
                field.queryset = members(organisation)
                field.label_from_instance = _member_label  # type: ignore[method-assign,assignment]
            elif model is AISystem:
                field.queryset = systems(organisation)
            elif model is AuditProgramme:
                field.queryset = AuditProgramme.objects.filter(organisation=organisation)


def _member_label(user: Any) -> str:
    return f"{user.display_name} ({user.email})"


def _user_field(label: str, required: bool = False) -> forms.ModelChoiceField[Any]:
    return forms.ModelChoiceField(User.objects.none(), label=label, required=required)


def _systems_field(label: str = "AI systems") -> forms.ModelMultipleChoiceField[Any]:
    return forms.ModelMultipleChoiceField(
        AISystem.objects.none(), label=label, required=False, widget=forms.CheckboxSelectMultiple
    )


class ProgrammeForm(OrgForm):
    title = forms.CharField(max_length=200)
    cycle_start = forms.DateField(widget=DATE)
    cycle_end = forms.DateField(widget=DATE)
    objectives = forms.CharField(required=False, widget=TEXT)
    owner = _user_field("Owner")


class AuditForm(OrgForm):
    title = forms.CharField(max_length=200)
    programme = forms.ModelChoiceField(AuditProgramme.objects.none(), required=False)
    scope = forms.CharField(widget=TEXT)
    criteria = forms.CharField(
        widget=TEXT, initial="ISO/IEC 42001:2023 and the organisation's AIMS documentation"
    )
    planned_start = forms.DateField(widget=DATE)
    planned_end = forms.DateField(widget=DATE)
    lead_auditor = _user_field("Lead auditor", required=True)
    processes = forms.MultipleChoiceField(
        choices=[(p.value, p.label) for p in AIMSProcess],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="AIMS processes audited; the lead auditor must own none of them.",
    )
    requirements = forms.ModelMultipleChoiceField(
        RequirementNode.objects.none(),
        required=False,
        label="Clauses and controls",
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text="The checklist is generated from their audit questions.",
    )
    systems = _systems_field("Sampled AI systems")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirements"].queryset = assessable()  # type: ignore[attr-defined]


class AssessForm(forms.Form):
    result = forms.ChoiceField(
        choices=[
            ("conforming", "Conforming"),
            ("nonconforming", "Nonconforming"),
            ("observation", "Observation"),
            ("not_applicable", "Not applicable"),
        ]
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence_reviewed = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FindingForm(OrgForm):
    kind = forms.ChoiceField(choices=FindingKind.choices)
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=TEXT)
    requirement = forms.ModelChoiceField(RequirementNode.objects.none(), required=False)
    system = forms.ModelChoiceField(AISystem.objects.none(), required=False, label="AI system")
    evidence_reviewed = forms.CharField(required=False, widget=TEXT)
    evidence = forms.ModelMultipleChoiceField(
        EvidenceItem.objects.none(), required=False, label="Evidence items reviewed"
    )
    owner = _user_field("Owner of the nonconformity (if one is raised)")
    due_date = forms.DateField(required=False, widget=DATE)

    def __init__(self, *args: Any, audit: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = audit.requirements.all() if audit is not None else assessable()
        self.fields["requirement"].queryset = qs  # type: ignore[attr-defined]
        self.fields["evidence"].queryset = EvidenceItem.objects.filter(  # type: ignore[attr-defined]
            organisation=self.organisation, is_retired=False
        ).order_by("title")


class SampleForm(forms.Form):
    size = forms.IntegerField(min_value=1, max_value=100)
    seed = forms.IntegerField(required=False, help_text="Leave empty for a random draw.")


class ReportForm(forms.Form):
    conclusion = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))


class NonconformityForm(OrgForm):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=TEXT)
    source = forms.ChoiceField(choices=NCSource.choices)
    severity = forms.ChoiceField(choices=Severity.choices, initial=Severity.MINOR)
    owner = _user_field("Owner")
    due_date = forms.DateField(required=False, widget=DATE)
    systems = _systems_field()


class CorrectionForm(forms.Form):
    correction = forms.CharField(widget=TEXT)
    done_on = forms.DateField(required=False, widget=DATE)


class RootCauseForm(forms.Form):
    root_cause = forms.CharField(widget=TEXT)
    method = forms.CharField(required=False, max_length=100, help_text="e.g. five whys")


class ActionForm(OrgForm):
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=TEXT)
    owner = _user_field("Owner")
    due_date = forms.DateField(required=False, widget=DATE)


class VerifyForm(forms.Form):
    result = forms.ChoiceField(choices=Effectiveness.choices)
    notes = forms.CharField(widget=TEXT, help_text="What you checked to judge effectiveness.")


class CompleteForm(forms.Form):
    note = forms.CharField(required=False, widget=TEXT)


class CancelForm(forms.Form):
    reason = forms.CharField(widget=TEXT)


class ReviewForm(OrgForm):
    title = forms.CharField(max_length=200)
    planned_on = forms.DateField(widget=DATE)
    chair = _user_field("Chair (top management)")
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


class IncidentForm(OrgForm):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=TEXT)
    severity = forms.ChoiceField(choices=IncidentSeverity.choices)
    systems = _systems_field()
    owner = _user_field("Owner")
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
    owner = _user_field("Owner")
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
    handler = _user_field("Handler")
    triage_notes = forms.CharField(required=False, widget=TEXT)
    outcome = forms.CharField(required=False, widget=TEXT)


class ObjectiveForm(OrgForm):
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=TEXT)
    measure = forms.CharField(max_length=300)
    unit = forms.CharField(max_length=40, required=False)
    baseline = forms.FloatField(required=False)
    target = forms.FloatField()
    direction = forms.ChoiceField(choices=ObjectiveDirection.choices)
    owner = _user_field("Owner")
    due_date = forms.DateField(widget=DATE)
    annex_c = forms.ModelChoiceField(
        RequirementNode.objects.none(), required=False, label="Annex C objective"
    )
    systems = _systems_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["annex_c"].queryset = RequirementNode.objects.filter(  # type: ignore[attr-defined]
            framework__key="iso42001", framework__organisation__isnull=True, kind="objective"
        ).order_by("position")


class MeasurementForm(forms.Form):
    value = forms.FloatField()
    measured_on = forms.DateField(required=False, widget=DATE)
    source = forms.ChoiceField(choices=MeasurementSource.choices)
    note = forms.CharField(required=False, max_length=300)


class RecordForm(OrgForm):
    user = _user_field("Member", required=True)
    completed_on = forms.DateField(widget=DATE)
    score = forms.IntegerField(required=False, min_value=0, max_value=100)
    note = forms.CharField(required=False, max_length=300)


class NonconformityEditForm(OrgForm):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=TEXT)
    severity = forms.ChoiceField(choices=Severity.choices)
    owner = _user_field("Owner")
    due_date = forms.DateField(required=False, widget=DATE)


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
