"""Which AIMS process each ISO/IEC 42001 clause and Annex A control belongs to, so an audit's
scope tells whose work it examines (auditors must not audit their own work, 9.2.2)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aimwell.accounts.roles import AIMSProcess

P = AIMSProcess
# Longest prefix wins: "6.1.4" before "6.1", "A.8" before "A".
PREFIXES: dict[str, AIMSProcess] = {
    "4": P.CONTEXT_AND_SCOPE,
    "5": P.LEADERSHIP_AND_POLICY,
    "6.1": P.RISK_MANAGEMENT,
    "6.1.4": P.IMPACT_ASSESSMENT,
    "6.2": P.LEADERSHIP_AND_POLICY,
    "6.3": P.LEADERSHIP_AND_POLICY,
    "7.1": P.LEADERSHIP_AND_POLICY,
    "7.2": P.COMPETENCE_AND_TRAINING,
    "7.3": P.COMPETENCE_AND_TRAINING,
    "7.4": P.LEADERSHIP_AND_POLICY,
    "7.5": P.DOCUMENT_CONTROL,
    "8": P.AI_LIFECYCLE,
    "8.2": P.RISK_MANAGEMENT,
    "8.3": P.RISK_MANAGEMENT,
    "8.4": P.IMPACT_ASSESSMENT,
    "9.1": P.MONITORING,
    "9.2": P.INTERNAL_AUDIT,
    "9.3": P.MANAGEMENT_REVIEW,
    "10": P.IMPROVEMENT,
    "A.2": P.LEADERSHIP_AND_POLICY,
    "A.3": P.LEADERSHIP_AND_POLICY,
    "A.4": P.AI_LIFECYCLE,
    "A.4.6": P.COMPETENCE_AND_TRAINING,
    "A.5": P.IMPACT_ASSESSMENT,
    "A.6": P.AI_LIFECYCLE,
    "A.7": P.DATA_GOVERNANCE,
    "A.8": P.INCIDENT_MANAGEMENT,
    "A.9": P.AI_LIFECYCLE,
    "A.10": P.SUPPLIER_MANAGEMENT,
}


def process_of(ref_id: str) -> AIMSProcess | None:
    """The process a clause or control belongs to, by its reference (e.g. "9.2.2", "A.7.4")."""
    best: tuple[int, AIMSProcess] | None = None
    for prefix, process in PREFIXES.items():
        matches = ref_id == prefix or ref_id.startswith(prefix + ".")
        if matches and (best is None or len(prefix) > best[0]):
            best = (len(prefix), process)
    return best[1] if best else None


def processes_of(nodes: Iterable[Any], explicit: Iterable[str] = ()) -> set[str]:
    """The processes an audit examines: those named, and those of its clauses and controls."""
    found = {str(p) for p in explicit}
    for node in nodes:
        process = process_of(node.ref_id)
        if process is not None:
            found.add(process.value)
    return found
