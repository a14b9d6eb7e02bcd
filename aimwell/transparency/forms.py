"""Forms of the transparency pages: the public page's settings, a card's own text, and the
public concern form (with its honeypot and size limits)."""

from __future__ import annotations

from typing import Any

from django import forms

from aimwell.core.widgets import PickedRecords
from aimwell.documents.models import Document
from aimwell.governance.models import Principle
from aimwell.incidents.choices import ConcernCategory, ConcernKind
from aimwell.inventory.models import AISystem
from aimwell.inventory.pickers import system_picker
from aimwell.transparency.models import PolicySource, SystemCard, TransparencySettings

MAX_DESCRIPTION = 5000


class SettingsForm(forms.Form):
    enabled = forms.BooleanField(
        required=False, label="Publish the transparency page (anyone can read it)"
    )
    slug = forms.SlugField(max_length=60, label="Web address: /public/<this>/")
    public_name = forms.CharField(max_length=200, required=False, label="Name shown")
    introduction = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=10000,
        help_text="Markdown. Say what the organisation uses AI for and how it governs it.",
    )  # fmt: skip
    contact = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000,
        help_text="How people can reach you about AI (an address, a team mailbox).",
    )  # fmt: skip
    principles = forms.ModelMultipleChoiceField(
        queryset=Principle.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, label="Responsible-AI principles shown",
    )  # fmt: skip
    policy_source = forms.ChoiceField(choices=PolicySource.choices, label="AI policy summary")
    policy_document = forms.ModelChoiceField(
        queryset=Document.objects.none(), required=False,
        label="Published policy shown (when you choose the documents' policy)",
    )  # fmt: skip
    policy_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=10000,
        label="Policy summary (when you write it here)", help_text="Markdown.",
    )  # fmt: skip
    public_systems = PickedRecords(
        queryset=AISystem.objects.none(), required=False,
        label="AI systems whose published card appears",
        help_text="Searched by name. Only a published card version ever appears; drafts never do.",
    )  # fmt: skip
    accept_concerns = forms.BooleanField(
        required=False, label="Let people send a concern, complaint or request for explanation"
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["principles"].queryset = Principle.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        ).filter(status="adopted")
        self.fields["policy_document"].queryset = Document.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, doc_type="policy", published_version__isnull=False
        ).order_by("reference")
        systems = AISystem.objects.filter(organisation=organisation).order_by("name")
        self.fields["public_systems"].queryset = systems  # type: ignore[attr-defined]
        self.fields["public_systems"].widget = system_picker(systems, multiple=True)

    @staticmethod
    def initial_for(current: TransparencySettings) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(current, name)
            for name in ("enabled", "slug", "public_name", "introduction", "contact")
        }
        initial.update(
            policy_source=current.policy_source,
            policy_document=current.policy_document_id,
            policy_text=current.policy_text,
            accept_concerns=current.accept_concerns,
            principles=list(current.principles.all()) if current.pk else [],
            public_systems=list(
                SystemCard.objects.filter(
                    organisation_id=current.organisation_id, is_public=True
                ).values_list("system_id", flat=True)
            ),
        )
        return initial


class CardForm(forms.Form):
    limitations = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000,
        label="Known limitations",
        help_text="In words for the people the system affects; shown on the card.",
    )  # fmt: skip
    slug = forms.SlugField(max_length=80, label="Card address on the public page")


class PublicConcernForm(forms.Form):
    """Anyone may write; everything is bounded, and `website` is a trap only robots fill in."""

    system = forms.ChoiceField(label="Which AI system is it about?")
    kind = forms.ChoiceField(choices=ConcernKind.choices, label="What are you sending?")
    category = forms.ChoiceField(choices=ConcernCategory.choices, label="What is it about?")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_DESCRIPTION}),
        max_length=MAX_DESCRIPTION, label="Your message",
        help_text="Please do not include sensitive personal details unless they are needed.",
    )  # fmt: skip
    contact_email = forms.EmailField(
        required=False, max_length=254, label="Your email (optional, to get an answer)"
    )
    website = forms.CharField(
        required=False, max_length=200, label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )  # fmt: skip

    def __init__(self, *args: Any, cards: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["system"].choices = [("", "Choose…"), *cards]  # type: ignore[attr-defined]

    @property
    def is_trap(self) -> bool:
        return bool(self.data.get("website"))
