"""Forms of the governance pages: the registers' forms build on the context `OrgForm` (people
and records of one organisation); they validate and hand cleaned values to the services."""

from __future__ import annotations

from typing import Any

from django import forms

from aimwell.accounts.models import Membership, Organisation
from aimwell.accounts.pickers import memberships_picker
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
from aimwell.inventory.pickers import system_picker


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
    """One cell of the RACI matrix: an AI system (searched by name, as an organisation's systems
    outgrow a select) or one of the fixed AIMS processes, a member, and a letter."""

    system = forms.ModelChoiceField(AISystem.objects.none(), label="AI system", required=False)
    process = forms.ChoiceField(label="or AIMS process", required=False)
    member = MemberChoice(Membership.objects.none(), label="Person")
    letter = forms.ChoiceField(choices=[("", "(remove)"), *Raci.choices], required=False)
    note = forms.CharField(required=False, max_length=300)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        systems = AISystem.objects.filter(organisation=organisation)
        system = self.fields["system"]
        system.queryset = systems  # type: ignore[attr-defined]
        system.widget = system_picker(systems)
        self.fields["process"].choices = [  # type: ignore[attr-defined]
            ("", "(an AI system)"),
            *((p.value, p.label) for p in AIMSProcess),
        ]
        members = Membership.objects.active().filter(organisation=organisation)
        member = self.fields["member"]
        member.queryset = members.select_related("user")  # type: ignore[attr-defined]
        member.widget = memberships_picker(members)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("system")) == bool(cleaned.get("process")):
            raise forms.ValidationError("Choose either an AI system or an AIMS process.")
        return cleaned

    def subject_values(self) -> dict[str, Any]:
        if self.cleaned_data.get("system"):
            return {"system": self.cleaned_data["system"]}
        return {"process": self.cleaned_data["process"]}
