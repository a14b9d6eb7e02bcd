"""Acknowledge a finding of the pre-audit check with a reason, or withdraw the acknowledgement.
AIMS managers (and admins) only; both are recorded in the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction

from aimwell.accounts.models import Membership
from aimwell.accounts.roles import Capability, can
from aimwell.consistency import engine
from aimwell.consistency.models import Acknowledgement
from aimwell.core.audit import record_for
from aimwell.core.errors import DomainError
from aimwell.core.writes import save_new


class ConsistencyError(DomainError):
    pass


def _forget_counts(organisation: Any) -> None:
    """The dashboard keeps its count of open findings for a few minutes: drop it."""
    cache.delete(f"consistency:open:{organisation.pk}")


def _require_manager(membership: Membership | None) -> None:
    if membership is None or not can(membership, Capability.MANAGE_AIMS):
        raise ConsistencyError("Only an AIMS manager may acknowledge a finding.")


def find(organisation: Any, finding_key: str) -> engine.Finding:
    rule_key = finding_key.split(":", 1)[0]
    try:
        report = engine.run(organisation, only=[rule_key])
    except KeyError as exc:
        raise ConsistencyError("No such finding: it may have been fixed already.") from exc
    for finding in report.findings:
        if finding.key == finding_key:
            return finding
    raise ConsistencyError("No such finding: it may have been fixed already.")


@transaction.atomic
def acknowledge(
    organisation: Any, finding_key: str, *, reason: str, actor: Any, membership: Membership | None
) -> Acknowledgement:
    """Accept a current finding as it stands, saying why. It stays listed, marked acknowledged,
    and no longer fails `aimwell check` or weighs on readiness."""
    _require_manager(membership)
    reason = reason.strip()
    if not reason:
        raise ConsistencyError("Say why the finding is acknowledged.", field="reason")
    if len(reason) > 2000:
        raise ConsistencyError("Keep the reason under 2,000 characters.", field="reason")
    finding = find(organisation, finding_key)
    if finding.acknowledgement is not None:
        raise ConsistencyError("This finding is already acknowledged.")
    ack = Acknowledgement(
        organisation=organisation,
        finding_key=finding.key,
        rule_key=finding.rule.key,
        message=finding.message,
        reason=reason,
        acknowledged_by=actor if getattr(actor, "is_authenticated", False) else None,
        acknowledged_by_label=str(getattr(actor, "email", None) or actor)[:200],
    )
    _forget_counts(organisation)
    save_new(
        ack,
        actor=actor,
        action="consistency.acknowledged",
        fields=Acknowledgement.AUDIT_FIELDS,
        error=ConsistencyError,
    )
    return ack


@transaction.atomic
def withdraw(ack: Acknowledgement, *, actor: Any, membership: Membership | None) -> None:
    """Withdraw an acknowledgement: the finding counts again."""
    _require_manager(membership)
    _forget_counts(ack.organisation)
    record_for(
        ack,
        actor=actor,
        action="consistency.acknowledgement_withdrawn",
        changes={"finding_key": [ack.finding_key, None], "reason": [ack.reason, None]},
    )
    ack.delete()
