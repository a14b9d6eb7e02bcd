"""Forms of the governance pages: the registers' forms build on the context `OrgForm` (people
and records of one organisation); they validate and hand cleaned values to the services."""

from __future__ import annotations

from typing import Any

from django import forms

from aimwell.accounts.models import Membership, Organisation
from aimwell.accounts.roles import AIMSProcess
from aimwell.context.forms import DATE, MemberChoice, OrgForm
from aimwell.governance.choices import Raci
from aimwell.governance.models import (
    AIMSRole,
    Decision,
    LeadershipCommitment,
    Meeting,
    OversightBody,
    Principle,
)
from aimwell.inventory.models import AISystem


class PrincipleForm(OrgForm):
    class Meta:
        model = Principle
        fields = ["name", "statement", "rationale", "owner", "status", "catalog_nodes"]


class AIMSRoleForm(OrgForm):
    class Meta:
        model = AIMSRole
        fields = ["name", "responsibilities", "authorities", "holders"]


class BodyForm(OrgForm):
    class Meta:
        model = OversightBody
        fields = ["name", "kind", "terms_of_reference", "chair", "members", "meeting_frequency",
                  "is_active"]  # fmt: skip


class CommitmentForm(OrgForm):
    evidence_url = forms.URLField(
        required=False, max_length=500, assume_scheme="https", label="Evidence link"
    )

    class Meta:
        model = LeadershipCommitment
        fields = ["made_by", "made_on", "commitment", "evidence", "evidence_url"]
        widgets = {"made_on": DATE}


class MeetingForm(OrgForm):
    class Meta:
        model = Meeting
        fields = ["held_on", "title", "minutes", "attendees"]
        widgets = {"held_on": DATE}


class DecisionForm(OrgForm):
    def __init__(self, *args: Any, body: OversightBody, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = body.meetings.all()  # type: ignore[attr-defined]

    class Meta:
        model = Decision
        fields = ["text", "decided_on", "meeting", "follow_up_owner", "due_date", "status"]
        widgets = {"decided_on": DATE, "due_date": DATE, "text": forms.Textarea(attrs={"rows": 3})}


class RaciForm(forms.Form):
    subject = forms.ChoiceField(label="AI system or AIMS process")
    member = MemberChoice(Membership.objects.none(), label="Person")
    letter = forms.ChoiceField(choices=[("", "(remove)"), *Raci.choices], required=False)
    note = forms.CharField(required=False, max_length=300)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        systems = AISystem.objects.filter(organisation=organisation).order_by("name")
        self.fields["subject"].choices = [  # type: ignore[attr-defined]
            ("AI systems", [(f"system:{s.pk}", s.name) for s in systems]),
            ("AIMS processes", [(f"process:{p.value}", p.label) for p in AIMSProcess]),
        ]
        self.fields["member"].queryset = (  # type: ignore[attr-defined]
            Membership.objects.active().filter(organisation=organisation).select_related("user")
        )
        self.organisation = organisation

    def subject_values(self) -> dict[str, Any]:
        kind, _, value = self.cleaned_data["subject"].partition(":")
        if kind == "system":
            return {"system": AISystem.objects.get(organisation=self.organisation, pk=value)}
        return {"process": value}
