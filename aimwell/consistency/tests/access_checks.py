"""Access checks of the pre-audit check routes (collected by the role matrix). Members who read
the whole AIMS see it (not staff, not external auditors); AIMS managers and admins acknowledge."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from aimwell.consistency.models import Acknowledgement
from aimwell.testing import MANAGERS, Check

VIEWERS = {"admin", "aims_manager", "contributor", "internal_auditor"}


def _ack(c: dict[str, Any]) -> str:
    """A fresh acknowledgement for every call: withdrawing deletes it."""
    ack = Acknowledgement.objects.create(
        organisation=c["org"],
        finding_key=f"system-without-owner:{Acknowledgement.objects.count()}",
        rule_key="system-without-owner",
        message="m",
        reason="r",
        acknowledged_by_label="test",
    )
    return str(ack.pk)


WEB: dict[str, Check | str] = {
    "consistency:check": Check("GET", lambda c: reverse("consistency:check"), VIEWERS, False),
    "consistency:acknowledge": Check(
        "POST",
        lambda c: reverse("consistency:acknowledge"),
        MANAGERS,
        False,
        body=lambda role: {"finding": "system-without-owner:none", "reason": "r"},
        ok=302,
    ),
    "consistency:withdraw": Check(
        "POST",
        lambda c: reverse("consistency:withdraw", args=[_ack(c)]),
        MANAGERS,
        True,
        ok=302,
    ),
}

API: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/pre-audit-check"): Check(
        "GET", lambda c: "/api/v1/pre-audit-check", VIEWERS, False
    ),
    ("GET", "/api/v1/pre-audit-check/rules"): Check(
        "GET", lambda c: "/api/v1/pre-audit-check/rules", VIEWERS, False
    ),
    ("GET", "/api/v1/pre-audit-check/acknowledgements"): Check(
        "GET", lambda c: "/api/v1/pre-audit-check/acknowledgements", VIEWERS, False
    ),
    ("POST", "/api/v1/pre-audit-check/acknowledgements"): Check(
        "POST",
        lambda c: "/api/v1/pre-audit-check/acknowledgements",
        MANAGERS,
        False,
        body=lambda role: {"finding": "system-without-owner:none", "reason": "r"},
        ok=400,
    ),
    ("DELETE", "/api/v1/pre-audit-check/acknowledgements/{acknowledgement_id}"): Check(
        "DELETE",
        lambda c: f"/api/v1/pre-audit-check/acknowledgements/{_ack(c)}",
        MANAGERS,
        True,
        ok=204,
    ),
}
