"""Where evidence files and packs are kept: Django's storage API, local disk by default, an
S3-compatible bucket with `AIMWELL_EVIDENCE_STORAGE=s3` (needs the `s3` extra)."""

from __future__ import annotations

from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, Storage

from aimwell.config import env_int, env_str


@lru_cache(maxsize=1)
def _build() -> Storage:
    backend = env_str("AIMWELL_EVIDENCE_STORAGE", "local").lower()
    if backend == "local":
        return FileSystemStorage()  # follows settings.MEDIA_ROOT, also when tests change it
    if backend == "s3":
        try:
            from storages.backends.s3 import S3Storage
        except ImportError as exc:  # pragma: no cover - depends on the optional extra
            raise ImproperlyConfigured(
                "AIMWELL_EVIDENCE_STORAGE=s3 needs django-storages: pip install 'aimwell[s3]'."
            ) from exc
        return S3Storage(
            bucket_name=env_str("AIMWELL_S3_BUCKET"),
            endpoint_url=env_str("AIMWELL_S3_ENDPOINT_URL", "") or None,
            region_name=env_str("AIMWELL_S3_REGION", "") or None,
            access_key=env_str("AIMWELL_S3_ACCESS_KEY_ID", "") or None,
            secret_key=env_str("AIMWELL_S3_SECRET_ACCESS_KEY", "") or None,
            location=env_str("AIMWELL_S3_PREFIX", ""),
            default_acl=None,
            querystring_auth=True,
            file_overwrite=False,
        )
    raise ImproperlyConfigured(
        f"AIMWELL_EVIDENCE_STORAGE must be 'local' or 's3', got {backend!r}."
    )


def evidence_storage() -> Storage:
    """The storage of evidence files (a callable, so migrations do not record the backend)."""
    return _build()


def max_upload_bytes() -> int:
    return env_int("AIMWELL_EVIDENCE_MAX_UPLOAD_MB", 25) * 1024 * 1024
