"""Writes of the interchange app: an SSP's control implementations into the organisation's SoA,
through the controls app's own service (which records the audit trail)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from aimwell.interchange.oscal_common import control_id
from aimwell.interchange.ssp_import import SSPFormatError, parse_ssp


@dataclass
class SSPImportReport:
    applied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{len(self.applied)} control implementation(s) recorded in the SoA"
        if self.skipped:
            text += f"; {len(self.skipped)} skipped ({'; '.join(self.skipped[:10])})"
        return text + "."


def _annex_a() -> dict[str, Any]:
    from aimwell.controls.soa import annex_a_controls

    out: dict[str, Any] = {}
    for node in annex_a_controls():
        out[node.ref_id] = node
        out[control_id(node.ref_id)] = node
    return out


@transaction.atomic
def import_ssp(organisation: Any, content: bytes, *, actor: Any) -> SSPImportReport:
    """Record each control implementation of the SSP as the SoA decision of its control.

    Controls are matched by our `control-ref` prop, else by OSCAL id; owners by e-mail among the
    organisation's members. A control the catalog does not know is reported, not guessed.
    """
    from aimwell.accounts.models import Membership
    from aimwell.controls import services as controls
    from aimwell.controls.errors import ControlsError
    from aimwell.controls.models import CustomControl

    items = parse_ssp(content)
    if not items:
        raise SSPFormatError("The SSP lists no control implementation.")
    nodes = _annex_a()
    members = {
        m.user.email.lower(): m.user
        for m in Membership.objects.active()
        .filter(organisation=organisation)
        .select_related("user")
    }
    report = SSPImportReport()
    for item in items:
        node = nodes.get(item.control_ref or "") or nodes.get(item.control_id)
        custom = None
        if node is None and item.control_ref and item.own_title:
            custom = CustomControl.objects.filter(
                organisation=organisation, code=item.control_ref
            ).first()
            if custom is None:
                try:
                    custom = controls.create_custom_control(
                        organisation, actor=actor, code=item.control_ref, title=item.own_title
                    )
                except ControlsError as exc:
                    raise SSPFormatError(f"{item.control_id}: {exc}") from exc
        if node is None and custom is None:
            report.skipped.append(
                f"{item.control_id}: neither an ISO/IEC 42001 Annex A control nor an own control"
            )
            continue
        owner = next((members[e] for e in item.owner_emails if e in members), None)
        try:
            controls.decide(
                organisation,
                actor=actor,
                node=node,
                custom=custom,
                applicable=item.applicable,
                justification=item.justification,
                status=item.status,
                owner=owner,
            )
        except ControlsError as exc:
            raise SSPFormatError(f"{item.control_id}: {exc}") from exc
        report.applied.append(node.ref_id if node is not None else item.control_id)
    return report
