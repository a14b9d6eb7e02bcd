"""Write or check the list of pre-audit check rules in docs/pre-audit-check.md.

python scripts/pre_audit_rules.py write   # regenerate the list from the registry
python scripts/pre_audit_rules.py check   # exit 1 when the file is out of date
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "pre-audit-check.md"


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aimwell.test_settings")
    import django

    django.setup()
    from aimwell.consistency.docs import with_rules

    current = DOC.read_text(encoding="utf-8")
    wanted = with_rules(current)
    if sys.argv[1:] == ["write"]:
        DOC.write_text(wanted, encoding="utf-8")
        return 0
    if wanted != current:
        print(f"{DOC} is out of date: run python scripts/pre_audit_rules.py write")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
