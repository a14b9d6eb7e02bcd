"""Prediction logs uploaded for monitors: streamed to disk under the data directory in chunks,
refused as soon as they pass the size limit (the partial file is removed), never held in memory."""

from __future__ import annotations

import hashlib
import re
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from aimwell.config import env_int, env_str
from aimwell.core.errors import DomainError

ALLOWED_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".parquet", ".pq")
CHUNK = 1024 * 1024


class UploadError(DomainError):
    """An upload that cannot be accepted; the message is for the user."""


@dataclass(frozen=True)
class StoredLog:
    path: Path
    name: str
    size: int
    sha256: str

    def discard(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)


def max_log_bytes() -> int:
    return env_int("AIMWELL_MONITORING_MAX_LOG_MB", 1024) * 1024 * 1024


def logs_dir() -> Path:
    return Path(settings.DATA_DIR) / "monitoring"


def safe_name(name: str) -> str:
    base = Path(name or "log.csv").name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "log.csv"
    if not cleaned.lower().endswith(ALLOWED_SUFFIXES):
        raise UploadError(
            f"{base} is not a prediction log: upload a CSV or Parquet file "
            f"({', '.join(ALLOWED_SUFFIXES)})."
        )
    return cleaned[-150:]


def too_large(size: int, limit: int) -> UploadError:
    return UploadError(
        f"The log is larger than the limit of {limit / 1048576:.0f} MB "
        "(AIMWELL_MONITORING_MAX_LOG_MB); split it by period or point the monitor at its path.",
        status=413,
    )


def store(
    organisation_id: object,
    chunks: Iterable[bytes],
    file_name: str,
    *,
    limit: int | None = None,
    declared_size: int | None = None,
) -> StoredLog:
    """Write the chunks to a new file; refuse (and remove it) once `limit` bytes are passed."""
    limit = max_log_bytes() if limit is None else limit
    name = safe_name(file_name)
    if declared_size is not None and declared_size > limit:
        raise too_large(declared_size, limit)
    folder = logs_dir() / str(organisation_id) / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("wb") as out:
            for chunk in chunks:
                if not chunk:
                    continue
                size += len(chunk)
                if size > limit:
                    raise too_large(size, limit)
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if size == 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise UploadError(f"{name} is empty (0 bytes).")
    return StoredLog(path, name, size, digest.hexdigest())


def read_chunks(stream: object, size: int = CHUNK) -> Iterable[bytes]:
    """Chunks of a file-like object (an uploaded file or the request body)."""
    read = stream.read  # type: ignore[attr-defined]
    while True:
        chunk = read(size)
        if not chunk:
            return
        yield chunk


REMOTE_SCHEMES = ("s3", "s3a", "gs", "gcs", "r2", "az", "azure", "abfss", "hf")


def allowed_roots() -> list[Path]:
    extra = env_str("AIMWELL_MONITORING_LOG_ROOTS", "")
    roots = [Path(settings.DATA_DIR)] + [Path(p) for p in extra.split(",") if p.strip()]
    return [r.resolve() for r in roots]


def check_location(location: str) -> None:
    """A log location a user may name: an object-store URL, or a path under the data directory
    (or AIMWELL_MONITORING_LOG_ROOTS); other server paths and web URLs are refused."""
    if not location:
        return
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", location)
    if match:
        if match.group(1).lower() in REMOTE_SCHEMES:
            return
        raise UploadError(
            f"{match.group(1)}:// locations are not accepted; use an object-store URL "
            f"({', '.join(s + '://' for s in REMOTE_SCHEMES)}) or upload the log."
        )
    path = Path(location.split("*", 1)[0]).resolve()
    if not any(path == root or root in path.parents for root in allowed_roots()):
        raise UploadError(
            "Logs on the server must be under the data directory or AIMWELL_MONITORING_LOG_ROOTS."
        )
