"""Access checks of the reports routes (collected by the role matrix).

Certification packs are built and downloaded by those who may see the audit trail (admins, AIMS
managers, internal and external auditors), as evidence packs are; staff and contributors may not.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.urls import reverse

from aimwell.reports.models import CertificationPack
from aimwell.testing import AUDIT_VIEWERS, Check


def setup(ctx: dict[str, Any]) -> None:
    # setup() runs for every route of every app, so the stored pack is a stand-in row with a
    # tiny file rather than a real build (test_pack.py builds real ones).
    pack = CertificationPack(
        organisation=ctx["org"],
        created_by_label="test",
        sha256="0" * 64,
        size=3,
        pdf_sha256="1" * 64,
        xlsx_sha256="2" * 64,
        index_sha256="3" * 64,
        evidence_count=0,
        readiness_score=0.0,
        build_seconds=0.0,
    )
    pack.file.save(f"{ctx['org'].pk}/access-check.zip", ContentFile(b"zip"), save=False)
    pack.save()
    ctx["certification_pack"] = pack


def _p(c: dict[str, Any]) -> str:
    return str(c["certification_pack"].pk)


WEB: dict[str, Check | str] = {
    "reports:home": Check("GET", lambda c: reverse("reports:home"), AUDIT_VIEWERS, False),
    "reports:build": Check(
        "POST", lambda c: reverse("reports:build"), AUDIT_VIEWERS, False, ok=302
    ),
    "reports:download": Check(
        "GET", lambda c: reverse("reports:download", args=[_p(c)]), AUDIT_VIEWERS, True
    ),
}

API: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/reports/certification-packs"): Check(
        "GET", lambda c: "/api/v1/reports/certification-packs", AUDIT_VIEWERS, False
    ),
    ("POST", "/api/v1/reports/certification-packs"): Check(
        "POST", lambda c: "/api/v1/reports/certification-packs", AUDIT_VIEWERS, False, ok=201
    ),
    ("GET", "/api/v1/reports/certification-packs/{pack_id}/download"): Check(
        "GET",
        lambda c: f"/api/v1/reports/certification-packs/{_p(c)}/download",
        AUDIT_VIEWERS,
        True,
    ),
}
