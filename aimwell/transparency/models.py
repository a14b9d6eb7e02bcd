"""System cards and their published versions, the organisation's public transparency page, and
the throttle of the public concern form."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from aimwell.core.models import OrganisationScopedModel


class PolicySource(models.TextChoices):
    NONE = "none", "Do not show a policy summary"
    DOCUMENT = "document", "The published AI policy from the documents"
    TEXT = "text", "A summary written here"


class TransparencySettings(OrganisationScopedModel):
    """The organisation's opt-in public page: off until a manager turns it on."""

    AUDIT_FIELDS = (
        "enabled",
        "slug",
        "public_name",
        "contact",
        "introduction",
        "policy_source",
        "policy_document",
        "policy_text",
        "accept_concerns",
    )

    enabled = models.BooleanField(default=False)
    # Globally unique: it is the address of the public page, /public/<slug>/.
    slug = models.SlugField(max_length=60, unique=True)
    public_name = models.CharField(max_length=200, blank=True)
    contact = models.TextField(blank=True, help_text="How people can reach the organisation.")
    introduction = models.TextField(blank=True, help_text="Markdown shown at the top.")
    principles = models.ManyToManyField("governance.Principle", blank=True, related_name="+")
    policy_source = models.CharField(
        max_length=10, choices=PolicySource.choices, default=PolicySource.NONE
    )
    policy_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    policy_text = models.TextField(blank=True)
    accept_concerns = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="transparency_settings_per_org")
        ]

    def __str__(self) -> str:
        return f"Public page /public/{self.slug}/"


class SystemCard(OrganisationScopedModel):
    """The card of one AI system: what the card adds to the inventory, and whether its published
    version appears on the public page."""

    AUDIT_FIELDS = ("slug", "limitations", "is_public")

    system_path = "system"  # what narrows a guest (core.guests)
    system = models.OneToOneField(
        "inventory.AISystem", on_delete=models.CASCADE, related_name="transparency_card"
    )
    slug = models.SlugField(max_length=80)
    limitations = models.TextField(
        blank=True, help_text="Known limitations, in words for the people the system affects."
    )
    is_public = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="card_slug_per_org")
        ]

    def __str__(self) -> str:
        return f"Card of {self.system}"

    def is_owned_by(self, user_id: Any) -> bool:
        return bool(self.system.is_owned_by(user_id))


class CardVersion(OrganisationScopedModel):
    """An immutable published snapshot of a card: its content, Markdown and content hash."""

    system_path = "card__system"  # what narrows a guest (core.guests)
    card = models.ForeignKey(SystemCard, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    markdown = models.TextField()
    sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["card", "number"], name="card_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.card.system} card v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("A published card version never changes; publish a new one.")
        super().save(*args, **kwargs)


class PublicSubmission(models.Model):
    """One attempt on the public concern form, by a hashed client address: the rate limit counts
    these rows. Kept in the database (not the per-process cache) so every worker process shares
    the count; rows older than the window are deleted as new ones arrive."""

    client = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.client[:8]} at {self.created_at:%Y-%m-%d %H:%M}"
