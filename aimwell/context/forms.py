"""Forms of the context pages. They validate input and hand cleaned values to the services;
they never save. Choices of people, systems and nodes are limited to the organisation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy

from aimwell.accounts.models import Membership, Organisation, User
from aimwell.accounts.pickers import member_picker, memberships_picker
from aimwell.catalog.querysets import node_by_urn
from aimwell.context.models import (
    ContextIssue,
    InterestedParty,
    LegalRequirement,
    Objective,
)
from aimwell.core.widgets import PickedRecords, Picker
from aimwell.inventory.models import AISystem
from aimwell.inventory.pickers import system_picker


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.display_name} ({obj.role_label})"


class MembersChoice(PickedRecords):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.display_name} ({obj.role_label})"


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


DATE = forms.DateInput(attrs={"type": "date"})


class OrgForm(forms.ModelForm):
    """A model form whose people, systems and catalog nodes come from one organisation."""

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        members = Membership.objects.active().filter(organisation=organisation)
        members = members.select_related("user").order_by("user__full_name", "user__email")
        for name, field in list(self.fields.items()):
            model_field = self._meta.model._meta.get_field(name)
            target = getattr(model_field, "related_model", None)
            if target is None:
                continue
            label = target._meta.label_lower
            kwargs_: dict[str, Any] = {
                "required": field.required,
                "label": field.label,
                "help_text": field.help_text,
                "initial": field.initial,
            }
            # People and AI systems are searched by name (pickers), never listed in full; the
            # field's queryset still refuses another organisation's.
            if label == "accounts.user":
                users = User.objects.filter(memberships__in=members).order_by("full_name", "email")
                users = users.distinct()
                self.fields[name] = UserChoice(users, widget=member_picker(users), **kwargs_)
            elif label == "accounts.membership":
                many = model_field.many_to_many
                cls = MembersChoice if many else MemberChoice
                widget = memberships_picker(members, multiple=many)
                self.fields[name] = cls(members, widget=widget, **kwargs_)
            elif label == "inventory.aisystem":
                systems = AISystem.objects.filter(organisation=organisation).order_by("name")
                widget = system_picker(systems, multiple=True)
                self.fields[name] = PickedRecords(systems, widget=widget, **kwargs_)
            elif any(f.name == "organisation" for f in target._meta.fields):
                # Another record of the organisation (e.g. a decision's meeting).
                self.fields[name].queryset = target._default_manager.filter(  # type: ignore[attr-defined]
                    organisation=organisation
                )
        if "catalog_nodes" in self.fields:
            del self.fields["catalog_nodes"]
            initial = ""
            if self.instance.pk:
                initial = " ".join(n.urn for n in self.instance.catalog_nodes.all())
            self.fields["catalog_urns"] = forms.CharField(
                required=False,
                label="Catalog requirements",
                initial=initial,
                widget=Picker(
                    reverse_lazy("catalog:pick"),
                    multiple=True,
                    placeholder="Search requirements by title or clause",
                ),
                help_text="Pick each requirement from the catalog.",
            )

    def clean_catalog_urns(self) -> list[Any]:
        nodes = []
        for urn in self.cleaned_data["catalog_urns"].replace(",", "\n").split():
            node = node_by_urn(self.organisation, urn.strip())
            if node is None:
                raise forms.ValidationError(f"No catalog requirement {urn!r}.")
            nodes.append(node)
        return nodes

    def values(self) -> dict[str, Any]:
        """Cleaned values named as the service expects them."""
        data = dict(self.cleaned_data)
        if "catalog_urns" in data:
            data["catalog_nodes"] = data.pop("catalog_urns")
        return data


class IssueForm(OrgForm):
    class Meta:
        model = ContextIssue
        fields = ["title", "kind", "category", "description", "effect", "owner", "is_active",
                  "last_reviewed", "systems"]  # fmt: skip
        widgets = {"last_reviewed": DATE}


class PartyForm(OrgForm):
    class Meta:
        model = InterestedParty
        fields = ["name", "kind", "category", "needs", "is_requirement", "how_addressed", "owner",
                  "last_reviewed", "systems"]  # fmt: skip
        widgets = {"last_reviewed": DATE}


class LegalForm(OrgForm):
    url = forms.URLField(required=False, max_length=500, assume_scheme="https", label="Link")

    class Meta:
        model = LegalRequirement
        fields = ["name", "kind", "jurisdiction", "reference", "url", "summary", "owner",
                  "is_active", "last_reviewed", "catalog_nodes"]  # fmt: skip
        widgets = {"last_reviewed": DATE}


class ObjectiveForm(OrgForm):
    class Meta:
        model = Objective
        fields = ["title", "description", "owner", "target_date", "status"]
        widgets = {"target_date": DATE}


class AIRoleForm(forms.Form):
    declared = forms.BooleanField(required=False, label="The organisation plays this role")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ApplicabilityForm(forms.Form):
    system = forms.ModelChoiceField(AISystem.objects.none(), label="AI system")
    note = forms.CharField(required=False, max_length=500, label="How it applies")

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        systems = AISystem.objects.filter(organisation=organisation).order_by("name")
        self.fields["system"].queryset = systems  # type: ignore[attr-defined]
        self.fields["system"].widget = system_picker(systems)


class ScopeDraftForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 28}), max_length=50_000)
    change_note = forms.CharField(
        required=False, max_length=500, help_text="What changed and why, for the version history."
    )
