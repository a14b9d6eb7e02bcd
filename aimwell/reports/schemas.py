"""API schemas of reports (explicit fields, never the whole model)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema


class CertificationPackOut(Schema):
    id: uuid.UUID
    created_at: dt.datetime
    built_by: str
    sha256: str
    size: int
    pdf_sha256: str
    xlsx_sha256: str
    index_sha256: str
    evidence_count: int
    readiness_score: float
    build_seconds: float
    download_url: str

    @staticmethod
    def resolve_download_url(obj: Any) -> str:
        return f"/api/v1/reports/certification-packs/{obj.pk}/download"
