"""Controlled documents (ISO/IEC 42001 clause 7.5): versions with a lifecycle, approvals by the
role each type requires, review cycles, and staff acknowledgements of published versions.

A document is the lasting identity (title, owner, type, requirements it satisfies); its text lives
in numbered versions. A version moves draft -> in review -> approved -> published -> superseded (or
retired); once published its text never changes, so every version stays readable as it was.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from aimwell.core.models import OrganisationScopedModel, OrganisationScopedQuerySet


class DocumentType(models.TextChoices):
    POLICY = "policy", "Policy"
    PROCEDURE = "procedure", "Procedure"
    PLAN = "plan", "Plan"
    RECORD = "record", "Record"
    TEMPLATE = "template", "Template"


class Classification(models.TextChoices):
    PUBLIC = "public", "Public"
    INTERNAL = "internal", "Internal"
    CONFIDENTIAL = "confidential", "Confidential"
    RESTRICTED = "restricted", "Restricted"


class Approver(models.TextChoices):
    """Who must approve a version before it can be published."""

    TOP_MANAGEMENT = "top_management", "Top management"
    AIMS_MANAGER = "aims_manager", "An AIMS manager"
    OWNER_OR_MANAGER = "owner_or_manager", "The owner or an AIMS manager"


# What each document type requires by default; a document may be stricter (the AI policy needs
# top management whatever its type says).
DEFAULT_APPROVER: dict[str, str] = {
    DocumentType.POLICY: Approver.TOP_MANAGEMENT,
    DocumentType.PROCEDURE: Approver.AIMS_MANAGER,
    DocumentType.PLAN: Approver.AIMS_MANAGER,
    DocumentType.RECORD: Approver.OWNER_OR_MANAGER,
    DocumentType.TEMPLATE: Approver.AIMS_MANAGER,
}


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"
    RETIRED = "retired", "Retired"


WORKING_STATUSES = (VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.APPROVED)
FROZEN_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED, VersionStatus.RETIRED)
# Classifications staff may read once published.
STAFF_CLASSIFICATIONS = (Classification.PUBLIC, Classification.INTERNAL)


def _membership_of(user: Any, organisation: Any) -> Any:
    from aimwell.accounts.access import active_membership

    if organisation is None:
        return None
    return active_membership(user, organisation.pk)


def _reads_all(user: Any, organisation: Any) -> bool:
    from aimwell.accounts.roles import Capability, can

    return can(_membership_of(user, organisation), Capability.READ_ALL)


class DocumentQuerySet(OrganisationScopedQuerySet):
    def visible_to(self, user: Any, organisation: Any | None = None) -> DocumentQuerySet:
        """Readers see every document; staff only published ones of public/internal class."""
        qs: Any = super().visible_to(user, organisation)
        if organisation is not None and not _reads_all(user, organisation):
            qs = qs.filter(
                published_version__isnull=False, classification__in=STAFF_CLASSIFICATIONS
            )
        return qs

    def with_related(self) -> DocumentQuerySet:
        return self.select_related(
            "owner",
            "published_version__approved_by",
            "working_version__approved_by",
        )


class Document(OrganisationScopedModel):
    reference = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    doc_type = models.CharField(max_length=20, choices=DocumentType.choices)
    classification = models.CharField(
        max_length=20, choices=Classification.choices, default=Classification.INTERNAL
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approver = models.CharField(max_length=20, choices=Approver.choices)
    template_key = models.CharField(max_length=60, blank=True)
    requirements = models.ManyToManyField(
        "catalog.RequirementNode", blank=True, related_name="documents"
    )
    review_interval_months = models.PositiveSmallIntegerField(default=12)
    next_review_date = models.DateField(null=True, blank=True)
    # Roles asked to read and accept each published version (empty: no acknowledgement needed).
    acknowledgement_roles = models.JSONField(default=list, blank=True)
    published_version = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    working_version = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_retired = models.BooleanField(default=False)

    objects = DocumentQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["reference", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="document_reference_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def is_owned_by(self, user_id: object) -> bool:
        return self.owner_id is not None and self.owner_id == user_id

    @property
    def status(self) -> str:
        """The document's state as a whole: retired, its working version's, or published."""
        if self.is_retired:
            return VersionStatus.RETIRED
        if self.working_version_id is not None and self.published_version_id is None:
            return self.working_version.status  # type: ignore[union-attr]
        if self.published_version_id is not None:
            return VersionStatus.PUBLISHED
        return VersionStatus.DRAFT

    @property
    def status_label(self) -> str:
        return VersionStatus(self.status).label

    @property
    def review_overdue(self) -> bool:
        return (
            not self.is_retired
            and self.published_version_id is not None
            and self.next_review_date is not None
            and self.next_review_date < timezone.localdate()
        )

    @property
    def review_due_soon(self) -> bool:
        if self.review_overdue or self.next_review_date is None or self.is_retired:
            return False
        return self.next_review_date <= timezone.localdate() + dt.timedelta(days=30)


class VersionQuerySet(OrganisationScopedQuerySet):
    def visible_to(self, user: Any, organisation: Any | None = None) -> VersionQuerySet:
        """Staff read the current published version of documents they may see, nothing else."""
        qs: Any = super().visible_to(user, organisation)
        if organisation is not None and not _reads_all(user, organisation):
            qs = qs.filter(
                status=VersionStatus.PUBLISHED,
                document__classification__in=STAFF_CLASSIFICATIONS,
                document__is_retired=False,
            )
        return qs


class DocumentVersion(OrganisationScopedModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    body = models.TextField(blank=True)
    change_summary = models.CharField(max_length=300, blank=True)
    # Optimistic lock: every saved edit of a draft increments it; a save based on an older value
    # is refused as a conflict.
    lock_version = models.PositiveIntegerField(default=1)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.CharField(max_length=500, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # SHA-256 of the body, fixed at publication: the immutable text can be checked at any time.
    body_sha256 = models.CharField(max_length=64, blank=True)

    objects = VersionQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="version_number_per_doc")
        ]

    def __str__(self) -> str:
        return f"{self.document.reference} v{self.number}"

    def is_owned_by(self, user_id: object) -> bool:
        return self.document.is_owned_by(user_id)

    @property
    def status_label(self) -> str:
        return VersionStatus(self.status).label

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT


class DraftConflict(OrganisationScopedModel):
    """A save refused because someone else saved the draft first; the rejected text is kept."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="conflicts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    based_on_lock_version = models.PositiveIntegerField()
    current_lock_version = models.PositiveIntegerField()
    body = models.TextField(blank=True)
    resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"conflict on {self.version} by {self.author}"

    def is_owned_by(self, user_id: object) -> bool:
        return self.author_id == user_id


class Acknowledgement(OrganisationScopedModel):
    """A member has read and accepted one published version."""

    version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="one_ack_per_version_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} acknowledged {self.version}"
