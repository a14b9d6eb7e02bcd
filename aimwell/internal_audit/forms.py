"""Forms of the audit programmes, audits, checklists and findings pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy

from aimwell.accounts.roles import AIMSProcess
from aimwell.catalog.models import RequirementNode
from aimwell.catalog.pickers import requirement_picker
from aimwell.core.widgets import PickedRecords, Picker
from aimwell.evidence.models import EvidenceItem
from aimwell.evidence.pickers import evidence_picker
from aimwell.internal_audit.choices import FindingKind
from aimwell.internal_audit.models import AuditProgramme
from aimwell.inventory.models import AISystem
from aimwell.operations.forms import DATE, TEXT, OrgForm, assessable, systems_field, user_field


class ProgrammeForm(OrgForm):
    title = forms.CharField(max_length=200)
    cycle_start = forms.DateField(widget=DATE)
    cycle_end = forms.DateField(widget=DATE)
    objectives = forms.CharField(required=False, widget=TEXT)
    owner = user_field("Owner")


class AuditForm(OrgForm):
    title = forms.CharField(max_length=200)
    programme = forms.ModelChoiceField(AuditProgramme.objects.none(), required=False)
    scope = forms.CharField(widget=TEXT)
    criteria = forms.CharField(
        widget=TEXT, initial="ISO/IEC 42001:2023 and the organisation's AIMS documentation"
    )
    planned_start = forms.DateField(widget=DATE)
    planned_end = forms.DateField(widget=DATE)
    lead_auditor = user_field("Lead auditor", required=True)
    processes = forms.MultipleChoiceField(
        choices=[(p.value, p.label) for p in AIMSProcess],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="AIMS processes audited; the lead auditor must own none of them.",
    )
    requirements = PickedRecords(
        RequirementNode.objects.none(),
        required=False,
        to_field_name="urn",  # what the catalog picker answers
        label="Clauses and controls",
        help_text="ISO/IEC 42001 clauses and Annex A controls, searched by title or number; "
        "the checklist is generated from their audit questions.",
    )
    systems = systems_field("Sampled AI systems")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirements"].queryset = assessable()  # type: ignore[attr-defined]
        self.fields["requirements"].widget = requirement_picker(
            self.organisation, multiple=True, framework_key="iso42001"
        )
        self.fields["requirements"].error_messages["invalid_choice"] = (
            "%(value)s is not an ISO/IEC 42001 clause or control; pick one from the search."
        )
        self.fields["programme"].queryset = AuditProgramme.objects.filter(  # type: ignore[attr-defined]
            organisation=self.organisation
        )


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
    requirement = forms.ModelChoiceField(
        RequirementNode.objects.none(),
        required=False,
        to_field_name="urn",  # what the catalog picker answers
        widget=Picker(
            reverse_lazy("catalog:pick"), placeholder="Search requirements by title or clause"
        ),
        help_text="One of the clauses and controls this audit covers.",
    )
    system = forms.ModelChoiceField(AISystem.objects.none(), required=False, label="AI system")
    evidence_reviewed = forms.CharField(required=False, widget=TEXT)
    evidence = PickedRecords(
        EvidenceItem.objects.none(), required=False, label="Evidence items reviewed"
    )
    owner = user_field("Owner of the nonconformity (if one is raised)")
    due_date = forms.DateField(required=False, widget=DATE)

    def __init__(self, *args: Any, audit: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = audit.requirements.all() if audit is not None else assessable()
        self.fields["requirement"].queryset = qs  # type: ignore[attr-defined]
        self.fields["requirement"].widget.labels = lambda urns: {
            n.urn: f"{n.ref_id} {n.title}" for n in qs.filter(urn__in=urns)
        }
        items = EvidenceItem.objects.filter(organisation=self.organisation, is_retired=False)
        self.fields["evidence"].queryset = items  # type: ignore[attr-defined]
        self.fields["evidence"].widget = evidence_picker(items, multiple=True)


class SampleForm(forms.Form):
    size = forms.IntegerField(min_value=1, max_value=100)
    seed = forms.IntegerField(required=False, help_text="Leave empty for a random draw.")


class ReportForm(forms.Form):
    conclusion = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))
