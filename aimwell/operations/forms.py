"""Form pieces shared by the operations apps: fields whose people and AI systems come from one
organisation, and the catalog nodes an audit or nonconformity may cite."""

from __future__ import annotations

from typing import Any

from django import forms

from aimwell.accounts.models import Membership, User
from aimwell.accounts.pickers import member_picker
from aimwell.accounts.roles import Role
from aimwell.catalog.models import RequirementNode
from aimwell.core.widgets import PickedRecords
from aimwell.inventory.models import AISystem
from aimwell.inventory.pickers import system_picker

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
            # A single choice, or several picked (PickedRecords), is searched by name.
            picked = not isinstance(field, forms.ModelMultipleChoiceField) or isinstance(
                field, PickedRecords
            )
            several = isinstance(field, PickedRecords)
            if model is User:
                field.queryset = members(organisation)
                field.label_from_instance = member_label  # type: ignore[method-assign,assignment]
                if picked:
                    field.widget = member_picker(field.queryset, multiple=several)
            elif model is AISystem:
                field.queryset = systems(organisation)
                if picked:
                    field.widget = system_picker(field.queryset, multiple=several)


def member_label(user: Any) -> str:
    return f"{user.display_name} ({user.email})"


def user_field(label: str, required: bool = False) -> forms.ModelChoiceField[Any]:
    return forms.ModelChoiceField(User.objects.none(), label=label, required=required)


def systems_field(label: str = "AI systems") -> forms.ModelMultipleChoiceField[Any]:
    """Several AI systems, each searched by name (OrgForm sets the picker and the queryset)."""
    return PickedRecords(AISystem.objects.none(), label=label, required=False)
