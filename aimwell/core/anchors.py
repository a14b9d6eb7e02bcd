"""Anchoring the audit chain outside the database, so that restoring an older backup is detected.

The chain and its checkpoint live in the same database: a restored backup carries an older but
self-consistent chain, which `verify` alone must call intact. An anchor is the chain head
(organisation, sequence, MAC, time) signed with the audit key and appended to a witness the
database cannot roll back: one append-only JSON-lines file per organisation in a directory
(ideally on other storage: a mounted WORM bucket, a `chattr +a` directory, a log shipper), and
optionally an e-mail. `check` compares the database with every anchor: a chain shorter than the
newest anchor is a rollback, a different MAC at an anchored sequence is a divergence.

What it does not do: someone holding the audit key and write access to the witness can forge
anchors; anchors only prove what existed when one was written (work since the last anchor can
still be lost undetected). See docs/security.md.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from aimwell.core.models import AuditChainHead, AuditEvent

_SEP = "\x1f"


@dataclass(frozen=True)
class Anchor:
    organisation_id: str
    seq: int
    mac: str
    at: str
    signature: str
    file: str = ""
    line: int = 0

    def label(self) -> str:
        return f"anchor {self.file}:{self.line} (#{self.seq} at {self.at})"


@dataclass(frozen=True)
class AnchorProblem:
    anchor: Anchor | None
    reason: str

    def __str__(self) -> str:
        where = self.anchor.label() if self.anchor else "anchors"
        return f"{where}: {self.reason}"


def _sign(organisation_id: str, seq: int, mac: str, at: str) -> str:
    message = _SEP.join(("anchor", organisation_id, str(seq), mac, at))
    key = settings.AIMWELL_AUDIT_KEY.encode()
    return hmac.new(key, message.encode(), "sha256").hexdigest()


def current_anchor(organisation_id: Any, now: dt.datetime | None = None) -> Anchor:
    """The signed head of one organisation's chain as it is now."""
    head = AuditChainHead.objects.filter(organisation_id=organisation_id).first()
    seq, mac = (head.seq, head.mac) if head is not None else (0, "0" * 64)
    org = str(organisation_id)
    at = (now or timezone.now()).astimezone(dt.UTC).isoformat()
    return Anchor(org, seq, mac, at, _sign(org, seq, mac, at))


def anchor_file(directory: Path, organisation_id: Any) -> Path:
    return directory / f"{organisation_id}.jsonl"


def append(directory: Path, anchor: Anchor) -> Path:
    """Append the anchor to the organisation's file (O_APPEND, flushed to disk)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = anchor_file(directory, anchor.organisation_id)
    record = {
        "organisation": anchor.organisation_id,
        "seq": anchor.seq,
        "mac": anchor.mac,
        "at": anchor.at,
        "signature": anchor.signature,
    }
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    try:
        os.write(descriptor, (json.dumps(record, sort_keys=True) + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return path


def read(directory: Path, organisation_id: Any) -> tuple[list[Anchor], list[AnchorProblem]]:
    """The organisation's anchors, and the lines that are not valid signed anchors."""
    path = anchor_file(directory, organisation_id)
    anchors: list[Anchor] = []
    problems: list[AnchorProblem] = []
    if not path.exists():
        return anchors, problems
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip():
            continue
        try:
            raw = json.loads(text)
            anchor = Anchor(
                str(raw["organisation"]),
                int(raw["seq"]),
                str(raw["mac"]),
                str(raw["at"]),
                str(raw["signature"]),
                path.name,
                number,
            )
        except (ValueError, KeyError, TypeError):
            problems.append(AnchorProblem(None, f"{path.name}:{number} is not an anchor record"))
            continue
        expected = _sign(anchor.organisation_id, anchor.seq, anchor.mac, anchor.at)
        if anchor.organisation_id != str(organisation_id) or not hmac.compare_digest(
            expected, anchor.signature
        ):
            problems.append(
                AnchorProblem(anchor, "its signature does not match (forged or edited)")
            )
            continue
        anchors.append(anchor)
    return anchors, problems


def check(directory: Path, organisation_id: Any) -> list[AnchorProblem]:
    """How the database disagrees with the organisation's anchors (empty when it agrees)."""
    anchors, problems = read(directory, organisation_id)
    if not anchors:
        return problems
    head = AuditChainHead.objects.filter(organisation_id=organisation_id).first()
    head_seq = head.seq if head is not None else 0
    latest = max(anchors, key=lambda a: a.seq)
    if latest.seq > head_seq:
        problems.append(
            AnchorProblem(
                latest,
                f"the database's chain ends at #{head_seq}, older than this anchor: "
                "the database was rolled back (restored from an older copy) and later "
                "events are missing",
            )
        )
    macs = dict(
        AuditEvent.objects.filter(
            organisation_id=organisation_id, seq__in={a.seq for a in anchors if a.seq > 0}
        ).values_list("seq", "mac")
    )
    for anchor in sorted(anchors, key=lambda a: a.seq):
        if anchor.seq == 0 or anchor.seq > head_seq:
            continue
        if not hmac.compare_digest(macs.get(anchor.seq, ""), anchor.mac):
            problems.append(
                AnchorProblem(
                    anchor,
                    f"event #{anchor.seq} in the database differs from the anchored one: "
                    "the chain diverged (rewritten after the anchor)",
                )
            )
            break
    return problems


def email_text(anchors: list[Anchor]) -> str:
    lines = ["Aimwell audit chain anchors (keep this message; it witnesses the chain heads):", ""]
    for anchor in anchors:
        record = {
            "organisation": anchor.organisation_id,
            "seq": anchor.seq,
            "mac": anchor.mac,
            "at": anchor.at,
            "signature": anchor.signature,
        }
        lines.append(json.dumps(record, sort_keys=True))
    return "\n".join(lines) + "\n"


def anchor_all(
    directory: Path, organisation_ids: list[Any], email: str | None = None
) -> list[Anchor]:
    """Anchor every listed organisation's chain head; with `email`, also mail the lines."""
    anchors = [current_anchor(org) for org in organisation_ids]
    for anchor in anchors:
        append(directory, anchor)
    if email and anchors:
        from django.core.mail import send_mail

        send_mail(
            "Aimwell audit chain anchors",
            email_text(anchors),
            None,
            [email],
        )
    return anchors
