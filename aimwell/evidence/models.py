"""Evidence: uploaded files, links and records produced by Aimwell itself, each with a SHA-256,
an effective date and a validity period; evidence requests; and exported evidence packs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from aimwell.core.models import OrganisationScopedModel, OrganisationScopedQuerySet
from aimwell.evidence.storage import evidence_storage

SOON_DAYS = 30


# The link type of AI systems (see `aimwell.evidence.links`).
SYSTEM_LINK = "inventory.aisystem"


class EvidenceKind(models.TextChoices):
    FILE = "file", "Uploaded file"
    LINK = "link", "Link"
    RECORD = "record", "Aimwell record"


def _today() -> dt.date:
    return timezone.localdate()


class EvidenceQuerySet(OrganisationScopedQuerySet):
    def stale(self, on: dt.date | None = None) -> EvidenceQuerySet:
        return self.filter(valid_until__lt=on or _today())

    def current(self, on: dt.date | None = None) -> EvidenceQuerySet:
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on or _today()))

    def live(self) -> EvidenceQuerySet:
        return self.filter(is_retired=False)


def upload_path(instance: EvidenceItem, filename: str) -> str:
    return f"evidence/{instance.organisation_id}/{instance.pk}/{filename}"


class EvidenceItem(OrganisationScopedModel):
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(
        upload_to=upload_path, storage=evidence_storage, blank=True, max_length=300
    )
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    url = models.URLField(max_length=500, blank=True)
    # For records produced by Aimwell: which feature produced it (e.g. documents.publication).
    source = models.CharField(max_length=60, blank=True)
    effective_date = models.DateField()
    validity_days = models.PositiveIntegerField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    requirements = models.ManyToManyField(
        "catalog.RequirementNode", blank=True, related_name="evidence_items"
    )
    is_retired = models.BooleanField(default=False)
    last_verified_at = models.DateTimeField(null=True, blank=True)
    last_verified_ok = models.BooleanField(null=True, blank=True)

    objects = EvidenceQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["-effective_date", "title"]
        indexes = [models.Index(fields=["organisation", "valid_until"])]

    def __str__(self) -> str:
        return self.title

    def is_owned_by(self, user_id: object) -> bool:
        return self.owner_id is not None and self.owner_id == user_id

    @classmethod
    def guest_visible(cls, system_ids: frozenset[str]) -> Q:
        """Evidence linked to AI systems is seen by a guest only when one of them is in their
        audit (core.guests); evidence linked to no AI system is not narrowed."""
        links = EvidenceLink._base_manager.filter(target_type=SYSTEM_LINK)
        outside = links.exclude(target_id__in=system_ids).values("evidence_id")
        inside = links.filter(target_id__in=system_ids).values("evidence_id")
        return ~Q(pk__in=outside) | Q(pk__in=inside)

    @property
    def is_stale(self) -> bool:
        return self.valid_until is not None and self.valid_until < _today()

    @property
    def expires_soon(self) -> bool:
        return (
            not self.is_stale
            and self.valid_until is not None
            and self.valid_until <= _today() + dt.timedelta(days=SOON_DAYS)
        )

    @property
    def freshness(self) -> str:
        if self.is_stale:
            return "stale"
        if self.expires_soon:
            return "expiring"
        return "current"


class EvidenceLink(OrganisationScopedModel):
    """A link from evidence to an object of another app (an AI system, a document, a risk, an
    audit...), by type label and id; the type is validated through `aimwell.evidence.links`."""

    evidence = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="links")
    target_type = models.CharField(max_length=60)
    target_id = models.UUIDField()
    target_label = models.CharField(max_length=300)

    class Meta:
        ordering = ["target_type", "target_label"]
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "target_type", "target_id"], name="one_link_per_target"
            )
        ]
        indexes = [models.Index(fields=["organisation", "target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.target_type}:{self.target_label}"

    @classmethod
    def guest_visible(cls, system_ids: frozenset[str]) -> Q:
        """A guest sees links to the AI systems of their audit and links to other objects."""
        return ~Q(target_type=SYSTEM_LINK) | Q(target_id__in=system_ids)

    def is_owned_by(self, user_id: object) -> bool:
        return self.evidence.is_owned_by(user_id)


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    FULFILLED = "fulfilled", "Fulfilled"
    CANCELLED = "cancelled", "Cancelled"


class EvidenceRequest(OrganisationScopedModel):
    """Someone asks an owner for evidence by a due date."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    requested_from = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField()
    requirement = models.ForeignKey(
        "catalog.RequirementNode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    evidence = models.ForeignKey(
        EvidenceItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "due_date"]

    def __str__(self) -> str:
        return self.title

    def is_owned_by(self, user_id: object) -> bool:
        return self.requested_from_id == user_id

    @property
    def is_overdue(self) -> bool:
        return self.status == RequestStatus.OPEN and self.due_date < _today()


class PackScope(models.TextChoices):
    AIMS = "aims", "Whole AIMS"
    FRAMEWORK = "framework", "One framework"
    SYSTEM = "system", "One AI system"


class EvidencePack(OrganisationScopedModel):
    """An exported pack; its own SHA-256 is also in the audit trail."""

    scope = models.CharField(max_length=10, choices=PackScope.choices)
    scope_value = models.CharField(max_length=100, blank=True)
    scope_label = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="packs/", storage=evidence_storage, max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    evidence_count = models.PositiveIntegerField()
    document_count = models.PositiveIntegerField()
    stale_count = models.PositiveIntegerField(default=0)
    public_key = models.CharField(max_length=64)
    audit_head_seq = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Evidence pack {self.scope_label} ({self.created_at:%Y-%m-%d %H:%M})"

    def is_owned_by(self, user_id: object) -> bool:
        return False

    @property
    def file_name(self) -> str:
        return f"evidence-pack-{self.created_at:%Y%m%d-%H%M%S}-{str(self.pk)[:8]}.zip"


def visible_links(user: Any, organisation: Any) -> Any:
    return EvidenceLink.objects.visible_to(user, organisation)
