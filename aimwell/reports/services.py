"""Building the certification pack: gather, render, package, store, and record the pack's SHA-256
in the audit trail. The page, the API and the CLI all call `build_certification_pack`."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from aimwell.accounts.models import Organisation
from aimwell.core.audit import record_for
from aimwell.core.errors import DomainError
from aimwell.evidence import packfmt
from aimwell.reports import builders, packfile
from aimwell.reports.data import PackData, gather
from aimwell.reports.models import CertificationPack


class ReportsError(DomainError):
    """A pack cannot be built; the message says why and what to do."""


@dataclass
class Built:
    """The files of one pack and how long each took (the benchmark prints these)."""

    data: PackData
    pdf: bytes
    xlsx: bytes
    index: bytes
    zip: bytes
    manifest: dict[str, Any]
    timings: dict[str, float]


def _label(actor: Any) -> str:
    if getattr(actor, "is_authenticated", False):
        return str(getattr(actor, "email", actor))
    return str(actor)


def build_files(organisation: Organisation, *, actor: Any, pack_id: str = "") -> Built:
    """Every file of the pack in memory; reads only, writes nothing."""
    try:
        key = packfmt.organisation_key(str(organisation.pk))
    except packfmt.PackKeyError as exc:
        raise ReportsError(str(exc)) from exc
    timings: dict[str, float] = {}
    started = time.perf_counter()
    data = gather(organisation, generated_by=_label(actor))
    timings["data"] = time.perf_counter() - started
    mark = time.perf_counter()
    pdf = builders.pack_pdf(data)
    timings["pdf"] = time.perf_counter() - mark
    mark = time.perf_counter()
    xlsx = builders.pack_xlsx(data)
    timings["xlsx"] = time.perf_counter() - mark
    index = builders.evidence_csv(data)
    zip_bytes, manifest = packfile.write_pack(
        {packfile.PDF: pdf, packfile.XLSX: xlsx, packfile.INDEX: index},
        pack_id=pack_id or str(uuid.uuid4()),
        metadata={
            "organisation": {"id": str(organisation.pk), "name": organisation.name},
            "created_at": data.generated_at.isoformat(),
            "created_by": data.generated_by,
            "readiness_score": data.readiness_score,
            "evidence_items": data.evidence_count,
        },
        key=key,
    )
    timings["total"] = time.perf_counter() - started
    return Built(data, pdf, xlsx, index, zip_bytes, manifest, timings)


def build_certification_pack(organisation: Organisation, *, actor: Any) -> CertificationPack:
    """Build the pack, store the zip, and record its checksums in the audit trail."""
    pack_id = uuid.uuid4()
    built = build_files(organisation, actor=actor, pack_id=str(pack_id))
    digest = packfile.sha256(built.zip)
    with transaction.atomic():
        pack = CertificationPack(
            id=pack_id,
            organisation=organisation,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            created_by_label=built.data.generated_by[:200],
            sha256=digest,
            size=len(built.zip),
            pdf_sha256=packfile.sha256(built.pdf),
            xlsx_sha256=packfile.sha256(built.xlsx),
            index_sha256=packfile.sha256(built.index),
            evidence_count=built.data.evidence_count,
            readiness_score=built.data.readiness_score,
            build_seconds=round(built.timings["total"], 3),
        )
        pack.file.save(f"{organisation.pk}/{pack_id}.zip", ContentFile(built.zip), save=False)
        pack.save()
        record_for(
            pack,
            actor=actor,
            action="certification_pack.built",
            changes={
                "sha256": [None, digest],
                "pack.pdf": [None, pack.pdf_sha256],
                "pack.xlsx": [None, pack.xlsx_sha256],
                "evidence-index.csv": [None, pack.index_sha256],
            },
        )
    return pack


def read_pack(pack: CertificationPack) -> bytes:
    with pack.file.storage.open(pack.file.name, "rb") as handle:
        return handle.read()
