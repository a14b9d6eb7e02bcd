"""Settings for the test suite: fixed, non-secret keys and the database named by DATABASE_URL."""

import os
import tempfile

os.environ.setdefault("AIMWELL_SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("AIMWELL_AUDIT_KEY", "test-audit-key-not-for-production-0123456789")
os.environ.setdefault("AIMWELL_ENV_FILE", "/nonexistent/.env")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
# Uploads, generated logs and packs of a test run go to a throwaway folder, not ./var.
os.environ.setdefault("AIMWELL_DATA_DIR", tempfile.mkdtemp(prefix="aimwell-test-"))

from aimwell.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
