"""schemathesis against a live server. Every operation of the committed OpenAPI document, called
with generated valid and invalid input as an AIMS manager of a test organisation, must answer no
server error, only documented status codes and content types with bodies that match the
document, and refuse what the document says is invalid.

Two runs of the same test:
- `make test` (scripts/test.sh) runs the bounded one, the defaults here: the fuzzing phase, a
  fixed seed (the same cases on every run), three generated cases per operation, a 5-minute
  limit (about 90 s of requests on two cores).
- `make fuzz` explores further: schemathesis's coverage phase too (boundary values and
  deliberately invalid input for every parameter, a few thousand cases that take well over ten
  minutes), with more cases per operation. Set AIMWELL_FUZZ_SEED to draw other cases,
  AIMWELL_FUZZ_PHASES, AIMWELL_FUZZ_EXAMPLES and AIMWELL_FUZZ_LIMIT (seconds) to change the run.

Before the run the test creates, through the API, one AI system, audit, objective and
nonconformity, and gives their ids to schemathesis for every path that names one (a
`schemathesis.toml` in the run's folder): the operations on those records then reach their
validation and their writes instead of answering 404 to a random id. Every PATCH and PUT sends
`If-Match: *` for the same reason (the 428 for a missing one has tests of its own).

What its runs found is fixed, each with a test of its own (tests/test_api_input_types.py). One
client (SQLite's in-memory test database takes one writer at a time). Left out, and why:
- the two operations that build a whole signed pack (evidence pack, certification pack): each
  takes seconds of PDF work per call; their own tests cover them;
- `DELETE /tokens/{token_id}`: it would revoke the token this run authenticates with.
"""

from __future__ import annotations

import logging
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
LIMIT = int(os.environ.get("AIMWELL_FUZZ_LIMIT", "300"))
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
        # Every PATCH and PUT overwrites whatever is there (see the docstring).
        "--header",
        "If-Match: *",
        "--phases",
        os.environ.get("AIMWELL_FUZZ_PHASES", "fuzzing"),
        "--max-examples",
        os.environ.get("AIMWELL_FUZZ_EXAMPLES", "3"),
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
    # In a folder of its own: schemathesis reads its settings there (the ids of existing records)
    # and replays the failures it keeps there.
    try:
        return subprocess.run(
            command, capture_output=True, text=True, timeout=LIMIT, check=False, cwd=workdir
        )
    except subprocess.TimeoutExpired as stopped:  # show what it found before the limit
        partial = stopped.stdout.decode() if isinstance(stopped.stdout, bytes) else stopped.stdout
        raise AssertionError(f"schemathesis ran past {LIMIT} s:\n{partial or ''}") from None


def existing_records(manager: Any) -> dict[str, str]:
    """One record of the kinds most paths name, created through the API: path parameter -> id."""
    bodies = {
        "system_id": ("/api/v1/ai-systems", {"name": "Credit scoring", "purpose": "Score loans"}),
        "audit_id": (
            "/api/v1/audits",
            {
                "title": "Internal audit",
                "scope": "The whole AIMS",
                "planned_start": "2027-03-01",
                "planned_end": "2027-03-05",
                "lead_auditor_email": manager.user.email,
            },
        ),
        "objective_id": ("/api/v1/objectives", {"title": "Fewer complaints"}),
        "nc_id": (
            "/api/v1/nonconformities",
            {"title": "Late review", "description": "Missed", "source": "audit"},
        ),
    }
    ids = {}
    for parameter, (url, body) in bodies.items():
        response = manager.api("POST", url, body)
        assert response.status_code == 201, response.content
        ids[parameter] = response.json()["id"]
    return ids


def test_every_operation_keeps_to_the_document(
    live_server: Any, catalog: None, manager: Any, tmp_path: Path
):
    _, secret = services.create_api_token(manager.membership, name="schemathesis", actor="test")
    records = existing_records(manager)
    (tmp_path / "schemathesis.toml").write_text(
        "[parameters]\n" + "".join(f'"path.{name}" = "{id_}"\n' for name, id_ in records.items())
    )
    # Thousands of refused requests (4xx) are the point of the run; a server error still logs.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    started = time.monotonic()
    result = run_schemathesis(live_server.url, secret, tmp_path)
    took = time.monotonic() - started
    output = result.stdout + result.stderr
    summary = output[output.find("SUMMARY") :] if "SUMMARY" in output else output[-3000:]
    assert result.returncode == 0, output[-20000:]
    tested = re.search(r"Tested: (\d+)", output)
    assert tested is not None and int(tested.group(1)) >= 340, summary
    print(f"schemathesis: {tested.group(1)} operations in {took:.0f} s\n{summary}")
