"""Write a git-ignored .env with fresh random secrets when none exists (used by `make run`)."""

import secrets
import sys
from pathlib import Path

path = Path(sys.argv[1] if len(sys.argv) > 1 else ".env")
if path.exists():
    sys.exit(0)
path.write_text(
    "# Written by `make run`; keep it private. See .env.example for every variable.\n"
    f"AIMWELL_SECRET_KEY={secrets.token_urlsafe(50)}\n"
    f"AIMWELL_AUDIT_KEY={secrets.token_urlsafe(50)}\n"
    f"AIMWELL_ADMIN_PASSWORD={secrets.token_urlsafe(12)}\n"
    f"AIMWELL_DEMO_PASSWORD={secrets.token_urlsafe(12)}\n",
    encoding="utf-8",
)
path.chmod(0o600)
print(f"Wrote {path} with new random secrets.")
