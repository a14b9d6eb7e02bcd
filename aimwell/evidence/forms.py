"""Forms of the evidence pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone

from aimwell.accounts.models import Membership, User
from aimwell.accounts.pickers import member_picker
from aimwell.accounts.roles import Role
from aimwell.catalog.pickers import requirement_picker
from aimwell.catalog.querysets import node_by_urn
from aimwell.core.widgets import Picker
from aimwell.documents.forms import split_urns
from aimwell.evidence.models import PackScope
from aimwell.inventory.models import AISystem
from aimwell.inventory.pickers import system_picker


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("file", "Upload a file"), ("link", "Link to evidence kept elsewhere")],
        initial="file",
    )
    title = forms.CharField(max_length=200, required=False, help_text="Defaults to the file name.")
    file = forms.FileField(required=False)
    url = forms.URLField(label="URL", required=False, max_length=500)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    effective_date = forms.DateField(
        initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    validity_days = forms.IntegerField(
        label="Valid for (days)",
        required=False,
        min_value=1,
        max_value=3660,
        help_text="After this, the evidence shows as stale until it is renewed. Empty: no expiry.",
    )
    requirements = forms.CharField(
        required=False,
        widget=Picker(
            reverse_lazy("catalog:pick"),
            multiple=True,
            placeholder="Search requirements by title or clause",
        ),
        help_text="Pick each requirement this evidence supports.",
    )

    def __init__(self, *args: Any, organisation: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if organisation is not None:  # the requirements chosen show by title when sent back
            self.fields["requirements"].widget = requirement_picker(organisation, multiple=True)

    def clean_requirements(self) -> list[str]:
        return split_urns(self.cleaned_data["requirements"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == "file" and not data.get("file"):
            self.add_error("file", "Choose a file to upload.")
        if data.get("kind") == "link":
            if not data.get("url"):
                self.add_error("url", "Give the link.")
            if not data.get("title"):
                self.add_error("title", "A link needs a title.")
        return data


class EvidenceEditForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    effective_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    validity_days = forms.IntegerField(
        label="Valid for (days)", required=False, min_value=1, max_value=3660
    )
    requirements = forms.CharField(
        required=False, help_text="Pick each requirement this evidence supports."
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The requirements already linked are shown by title, never as bare URNs.
        self.fields["requirements"].widget = requirement_picker(organisation, multiple=True)

    def clean_requirements(self) -> list[str]:
        return split_urns(self.cleaned_data["requirements"])


class LinkForm(forms.Form):
    target_type = forms.ChoiceField(label="Link to")
    target_id = forms.UUIDField(
        label="Record",
        widget=Picker(
            reverse_lazy("evidence:pick-target"),
            include="[name='target_type']",
            placeholder="Search records of that type by name",
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from aimwell.evidence.links import registered

        self.fields["target_type"].choices = [(k, v.title) for k, v in registered().items()]  # type: ignore[attr-defined]


# Those who may add evidence, so fulfil a request.
ASKABLE = [Role.ADMIN, Role.AIMS_MANAGER, Role.CONTRIBUTOR]


class RequestForm(forms.Form):
    title = forms.CharField(max_length=200)
    requested_from = forms.ModelChoiceField(
        User.objects.none(),
        label="Ask",
        error_messages={
            "invalid_choice": "Pick a member of this organisation who may add evidence "
            "(an admin, AIMS manager or contributor)."
        },
    )
    due_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    requirement = forms.CharField(
        required=False, max_length=150, help_text="The requirement the evidence should support."
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        askable = Membership.objects.active().filter(organisation=organisation, role__in=ASKABLE)
        people = User.objects.filter(pk__in=askable.values("user_id")).order_by("full_name")
        self.fields["requested_from"].queryset = people  # type: ignore[attr-defined]
        self.fields["requested_from"].widget = member_picker(people, roles=ASKABLE)
        self.fields["requirement"].widget = requirement_picker(organisation)

    def clean_requirement(self) -> str:
        urn = self.cleaned_data["requirement"].strip()
        if urn and node_by_urn(self.organisation, urn) is None:
            raise forms.ValidationError(
                "No such requirement in this organisation's catalogs; pick one from the search."
            )
        return urn


class PackForm(forms.Form):
    scope = forms.ChoiceField(choices=PackScope.choices, initial=PackScope.AIMS)
    framework = forms.ChoiceField(
        label="Framework", required=False, help_text="For a pack of one framework."
    )
    system = forms.ModelChoiceField(
        AISystem.objects.none(),
        label="AI system",
        required=False,
        help_text="For a pack of one AI system.",
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from aimwell.catalog.querysets import frameworks_for

        self.fields["framework"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (fw.urn, fw.name) for fw in frameworks_for(organisation)
        ]
        # Searched by name: an organisation's systems outgrow a select.
        systems = AISystem.objects.filter(organisation_id=organisation.pk)
        self.fields["system"].queryset = systems  # type: ignore[attr-defined]
        self.fields["system"].widget = system_picker(systems)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scope = data.get("scope")
        if scope == PackScope.FRAMEWORK and not data.get("framework"):
            self.add_error("framework", "Choose the framework.")
        if scope == PackScope.SYSTEM and not data.get("system"):
            self.add_error("system", "Choose the AI system.")
        value_of_scope = {
            PackScope.FRAMEWORK: data.get("framework"),
            PackScope.SYSTEM: str(data["system"].pk) if data.get("system") else "",
        }
        data["value"] = (value_of_scope.get(scope) if scope else "") or ""
        return data
