"""`make fuzz`: schemathesis against a live server. Every operation of the committed OpenAPI
document, called with generated valid and invalid input as an AIMS manager of a test
organisation, must answer no server error, only documented status codes with bodies that match
the document, and refuse what the document says is invalid.

Not yet part of `make test`: a whole run takes longer than the suite can spare (the coverage
phase alone ran past 15 minutes on two busy cores; `AIMWELL_FUZZ_PHASES=fuzzing` runs the
fuzzing phase alone, 97 s), and the last runs still found server errors, each fixed since with
a test of its own (tests/test_api_input_types.py). It joins `make test` once a run is green and
short.

Bounded: a fixed seed (the same cases on every run; set AIMWELL_FUZZ_SEED to explore others),
three fuzzed examples per operation on top of schemathesis's coverage cases, one client
(SQLite's in-memory test database takes one writer at a time), a 15-minute limit. Left out, and
why:
- the two operations that build a whole signed pack (evidence pack, certification pack): each
  takes seconds of PDF work per call; their own tests cover them;
- `DELETE /tokens/{token_id}`: it would revoke the token this run authenticates with.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from aimwell.accounts import services

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "docs" / "openapi.json"
LEFT_OUT = r"^/api/v1/(evidence/packs|reports/certification-packs|tokens/\{token_id\})$"
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
]


def run_schemathesis(base_url: str, secret: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    command = [
        str(Path(sys.executable).with_name("st")),
        "run",
        str(SCHEMA),
        "--url",
        base_url,
        "--header",
        f"Authorization: Bearer {secret}",
        "--phases",
        os.environ.get("AIMWELL_FUZZ_PHASES", "coverage,fuzzing"),
        "--max-examples",
        "3",
        "--workers",
        "1",
        "--seed",
        os.environ.get("AIMWELL_FUZZ_SEED", "1"),
        "--checks",
        ",".join(CHECKS),
        "--exclude-path-regex",
        LEFT_OUT,
        "--request-timeout",
        "30",
        "--no-color",
    ]
    # In a folder of its own: schemathesis replays the failures it keeps in its working folder.
    try:
        return subprocess.run(
            command, capture_output=True, text=True, timeout=900, check=False, cwd=workdir
        )
    except subprocess.TimeoutExpired as stopped:  # show what it found before the limit
        partial = stopped.stdout.decode() if isinstance(stopped.stdout, bytes) else stopped.stdout
        raise AssertionError(f"schemathesis ran past 15 minutes:\n{partial or ''}") from None


def test_every_operation_keeps_to_the_document(
    live_server: Any, catalog: None, manager: Any, tmp_path: Path
):
    _, secret = services.create_api_token(manager.membership, name="schemathesis", actor="test")
    started = time.monotonic()
    result = run_schemathesis(live_server.url, secret, tmp_path)
    took = time.monotonic() - started
    output = result.stdout + result.stderr
    summary = output[output.find("SUMMARY") :] if "SUMMARY" in output else output[-3000:]
    assert result.returncode == 0, output[-20000:]
    tested = re.search(r"Tested: (\d+)", output)
    assert tested is not None and int(tested.group(1)) >= 340, summary
    print(f"schemathesis: {tested.group(1)} operations in {took:.0f} s\n{summary}")
