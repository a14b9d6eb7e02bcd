"""Write or check the committed OpenAPI schema (docs/openapi.json).

`check` fails when the API changed without the schema file being regenerated and reviewed:
run `make openapi`, read the diff, commit it.
"""

from __future__ import annotations

import difflib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "docs" / "openapi.json"


def current_schema() -> str:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aimwell.test_settings")
    import django

    django.setup()
    from aimwell.api import api

    return (
        json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), indent=2, sort_keys=True) + "\n"
    )


def main(mode: str) -> int:
    schema = current_schema()
    if mode == "write":
        SCHEMA.write_text(schema, encoding="utf-8")
        print(f"Wrote {SCHEMA.relative_to(ROOT)}")
        return 0
    committed = SCHEMA.read_text(encoding="utf-8") if SCHEMA.exists() else ""
    if committed == schema:
        print("OpenAPI schema matches docs/openapi.json")
        return 0
    sys.stdout.writelines(
        difflib.unified_diff(
            committed.splitlines(True), schema.splitlines(True), "docs/openapi.json", "current"
        )
    )
    print("\nThe API changed: run `make openapi`, review the diff and commit docs/openapi.json.")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "check"))
