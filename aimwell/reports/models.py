"""A built certification pack: the zip in the project's storage, its checksums, who built it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aimwell.core.models import OrganisationScopedModel
from aimwell.evidence.storage import evidence_storage


class CertificationPack(OrganisationScopedModel):
    """One build of the stage-1 certification pack; its SHA-256 is also in the audit trail."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_label = models.CharField(max_length=200, blank=True)
    file = models.FileField(
        upload_to="certification-packs/", storage=evidence_storage, max_length=300
    )
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    pdf_sha256 = models.CharField(max_length=64)
    xlsx_sha256 = models.CharField(max_length=64)
    index_sha256 = models.CharField(max_length=64)
    evidence_count = models.PositiveIntegerField()
    readiness_score = models.FloatField()
    build_seconds = models.FloatField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Certification pack {self.created_at:%Y-%m-%d %H:%M}"

    def is_owned_by(self, user_id: object) -> bool:
        return False

    @property
    def file_name(self) -> str:
        return f"certification-pack-{self.created_at:%Y%m%d-%H%M%S}-{str(self.pk)[:8]}.zip"

    @property
    def built_by(self) -> str:
        if self.created_by is not None:
            return str(self.created_by.display_name)
        return self.created_by_label or "Aimwell"
