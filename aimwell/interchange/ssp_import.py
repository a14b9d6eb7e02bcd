"""Reading an OSCAL SSP back: its control implementations (the control, status, applicability,
owner and justification) as plain records, for the SoA of an organisation.

Our own SSP exports carry the SoA's words in our namespace (`implementation-status`,
`applicability`, `control-ref` props; the organisation's justification in `remarks`); an SSP from
another tool gives the control id, the OSCAL implementation state of its by-components and their
descriptions, which map onto the nearest SoA status.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aimwell.catalog.formats.oscal import AIMWELL_NS
from aimwell.core.limits import nul_paths

MAX_BYTES = 10 * 1024 * 1024
# OSCAL implementation state -> our SoA status (planned and alternative have no better match).
STATUS_FROM_STATE = {
    "implemented": "implemented",
    "partial": "partial",
    "planned": "planned",
    "alternative": "partial",
}


class SSPFormatError(ValueError):
    pass


@dataclass(frozen=True)
class ControlImplementation:
    control_id: str
    control_ref: str | None
    own_title: str | None  # set for the organisation's own (non-Annex A) controls
    status: str
    applicable: bool
    justification: str
    owner_emails: tuple[str, ...]


def _ours(props: list[Any], name: str) -> str | None:
    for p in props:
        if isinstance(p, dict) and p.get("name") == name and p.get("ns") == AIMWELL_NS:
            value = p.get("value")
            return value if isinstance(value, str) else None
    return None


def parse_ssp(content: bytes) -> list[ControlImplementation]:
    if len(content) > MAX_BYTES:
        raise SSPFormatError("The file is larger than 10 MB.")
    try:
        doc = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SSPFormatError(f"The file is not OSCAL JSON: {exc}") from exc
    found = nul_paths(doc)  # PostgreSQL cannot store the character
    if found:
        raise SSPFormatError(f"{found[0]} holds a NUL character (\\x00); remove it.")
    ssp = doc.get("system-security-plan") if isinstance(doc, dict) else None
    if not isinstance(ssp, dict):
        raise SSPFormatError("Expected an OSCAL SSP: a JSON object with 'system-security-plan'.")
    implementation = ssp.get("control-implementation")
    requirements = (
        implementation.get("implemented-requirements") if isinstance(implementation, dict) else None
    )
    if not isinstance(requirements, list):
        raise SSPFormatError("The SSP has no control-implementation/implemented-requirements.")
    emails = _party_emails(ssp.get("metadata"))
    out: list[ControlImplementation] = []
    for index, item in enumerate(requirements):
        where = f"implemented-requirements[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("control-id"), str):
            raise SSPFormatError(f"{where} has no control-id.")
        raw_props = item.get("props")
        props: list[Any] = raw_props if isinstance(raw_props, list) else []
        if _ours(props, "placeholder") == "true":
            continue
        by_components = [b for b in item.get("by-components") or [] if isinstance(b, dict)]
        states = [
            b["implementation-status"].get("state")
            for b in by_components
            if isinstance(b.get("implementation-status"), dict)
        ]
        status = _ours(props, "implementation-status")
        if status is None:
            status = next(
                (STATUS_FROM_STATE[s] for s in states if s in STATUS_FROM_STATE), "planned"
            )
        applicability = _ours(props, "applicability")
        remarks = item.get("remarks")
        justification = remarks if isinstance(remarks, str) else ""
        if not justification and _ours(props, "implementation-status") is None:
            justification = "\n\n".join(
                b["description"] for b in by_components if isinstance(b.get("description"), str)
            )
        owners: list[str] = []
        for role in item.get("responsible-roles") or []:
            if isinstance(role, dict):
                owners.extend(emails.get(u, "") for u in role.get("party-uuids") or [])
        out.append(
            ControlImplementation(
                control_id=item["control-id"],
                control_ref=_ours(props, "control-ref"),
                own_title=_ours(props, "control-title") if _ours(props, "own-control") else None,
                status=status,
                applicable=applicability != "not-applicable",
                justification=justification,
                owner_emails=tuple(e for e in owners if e),
            )
        )
    return out


def _party_emails(metadata: Any) -> dict[str, str]:
    parties = metadata.get("parties") if isinstance(metadata, dict) else None
    out = {}
    for party in parties or []:
        if isinstance(party, dict) and party.get("email-addresses"):
            out[str(party.get("uuid"))] = str(party["email-addresses"][0]).lower()
    return out
