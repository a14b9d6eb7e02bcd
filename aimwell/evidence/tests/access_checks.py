"""Access checks of the evidence routes (collected by the role matrix).

Evidence is read by every role but staff; writes are the AIMS managers' (or the owner's); packs
are exported by those who may see the audit trail. Repeated calls are idempotent, so each allowed
role gets the same success in turn."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aimwell.evidence import services
from aimwell.evidence.services.packs import build_pack
from aimwell.testing import AUDIT_VIEWERS, MANAGERS, READERS, Check

CONTRIBUTORS = {"admin", "aims_manager", "contributor"}
REQUESTERS = {"admin", "aims_manager", "internal_auditor"}
# The body of a check sees only the role; it reads the ids made by setup() from here.
_IDS: dict[str, str] = {}


def setup(ctx: dict[str, Any]) -> None:
    org = ctx["org"]
    everyone = ctx["everyone"]
    item = services.add_file(
        org,
        title="Model validation report",
        data=b"metric,value\nauc,0.81\n",
        file_name="validation.csv",
        validity_days=365,
        requirement_urns=["iso42001:2023:A.6.2.4"],
        actor="test",
    )
    other = services.add_link(
        org, title="Monitoring dashboard", url="https://dash.example/credit", actor="test"
    )
    req = services.request_evidence(
        org,
        title="Latest drift report",
        requested_from=everyone["contributor"].user,
        due_date=dt.date.today() + dt.timedelta(days=14),
        actor=everyone["aims_manager"].user,
    )
    pack = build_pack(org, scope="aims", actor="test")
    ctx.update(evidence=item, evidence_link_item=other, evidence_request=req, pack=pack)
    _IDS["evidence"] = str(item.pk)
    _IDS["document"] = str(ctx["doc_review"].pk) if "doc_review" in ctx else ""


def _e(ctx: dict[str, Any]) -> str:
    return str(ctx["evidence"].pk)


def _upload(role: str) -> dict[str, Any]:
    return {
        "file": SimpleUploadedFile(f"{role}.txt", b"training completions\n", "text/plain"),
        "title": f"Evidence of {role}",
    }


WEB: dict[str, Check | str] = {
    "evidence:home": Check("GET", lambda c: reverse("evidence:home"), READERS, object=False),
    "evidence:add": Check("GET", lambda c: reverse("evidence:add"), CONTRIBUTORS, object=False),
    "evidence:pick": Check(
        "GET", lambda c: reverse("evidence:pick") + "?q=report", READERS, object=False
    ),
    "evidence:pick-target": Check(
        "GET",
        lambda c: reverse("evidence:pick-target") + "?target_type=inventory.aisystem&q=a",
        CONTRIBUTORS,
        object=False,
    ),
    "evidence:requests": Check(
        "GET", lambda c: reverse("evidence:requests"), READERS, object=False
    ),
    "evidence:request-action": Check(
        "POST",
        lambda c: reverse("evidence:request-action", args=[c["evidence_request"].pk, "cancel"]),
        MANAGERS,
        object=True,
        ok=302,
    ),
    "evidence:packs": Check(
        "GET", lambda c: reverse("evidence:packs"), AUDIT_VIEWERS, object=False
    ),
    "evidence:pack-download": Check(
        "GET",
        lambda c: reverse("evidence:pack-download", args=[c["pack"].pk]),
        AUDIT_VIEWERS,
        object=True,
    ),
    "evidence:detail": Check(
        "GET", lambda c: reverse("evidence:detail", args=[_e(c)]), READERS, object=True
    ),
    "evidence:download": Check(
        "GET", lambda c: reverse("evidence:download", args=[_e(c)]), READERS, object=True
    ),
    "evidence:edit": Check(
        "GET", lambda c: reverse("evidence:edit", args=[_e(c)]), MANAGERS, object=True
    ),
    "evidence:verify": Check(
        "POST", lambda c: reverse("evidence:verify", args=[_e(c)]), READERS, object=True, ok=302
    ),
    "evidence:retire": Check(
        "POST", lambda c: reverse("evidence:retire", args=[_e(c)]), MANAGERS, object=True, ok=302
    ),
    "evidence:link-add": Check(
        "POST",
        lambda c: reverse("evidence:link-add", args=[_e(c)]),
        MANAGERS,
        object=True,
        ok=302,
        body=lambda role: {"target_type": "documents.document", "target_id": _IDS["document"]},
    ),
    "evidence:link-remove": Check(
        "POST",
        lambda c: reverse("evidence:link-remove", args=[_e(c), _e(c)]),
        MANAGERS,
        object=True,
        ok=302,
    ),
}


API: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/evidence"): Check("GET", lambda c: "/api/v1/evidence", READERS, object=False),
    ("POST", "/api/v1/evidence"): Check(
        "POST", lambda c: "/api/v1/evidence", CONTRIBUTORS, object=False, ok=201, body=_upload
    ),
    ("POST", "/api/v1/evidence/links"): Check(
        "POST",
        lambda c: "/api/v1/evidence/links",
        CONTRIBUTORS,
        object=False,
        ok=201,
        body=lambda role: {"title": f"Ticket of {role}", "url": "https://tickets.example/1"},
    ),
    ("GET", "/api/v1/evidence/freshness"): Check(
        "GET", lambda c: "/api/v1/evidence/freshness", READERS, object=False
    ),
    ("GET", "/api/v1/evidence/requests"): Check(
        "GET", lambda c: "/api/v1/evidence/requests", READERS, object=False
    ),
    ("POST", "/api/v1/evidence/requests"): Check(
        "POST",
        lambda c: "/api/v1/evidence/requests",
        REQUESTERS,
        object=False,
        ok=201,
        body=lambda role: {
            "title": f"Asked by {role}",
            "requested_from_email": "owner@test.example",
            "due_date": (dt.date.today() + dt.timedelta(days=7)).isoformat(),
        },
    ),
    ("POST", "/api/v1/evidence/requests/{request_id}/fulfil"): Check(
        "POST",
        lambda c: f"/api/v1/evidence/requests/{c['evidence_request'].pk}/fulfil",
        CONTRIBUTORS,
        object=True,
        body=lambda role: {"evidence_id": _IDS["evidence"]},
    ),
    ("POST", "/api/v1/evidence/requests/{request_id}/cancel"): Check(
        "POST",
        lambda c: f"/api/v1/evidence/requests/{c['evidence_request'].pk}/cancel",
        MANAGERS,
        object=True,
    ),
    ("GET", "/api/v1/evidence/packs"): Check(
        "GET", lambda c: "/api/v1/evidence/packs", AUDIT_VIEWERS, object=False
    ),
    ("POST", "/api/v1/evidence/packs"): Check(
        "POST",
        lambda c: "/api/v1/evidence/packs",
        AUDIT_VIEWERS,
        object=False,
        ok=201,
        body=lambda role: {"scope": "framework", "value": "iso42001:2023"},
    ),
    ("GET", "/api/v1/evidence/packs/public-key"): Check(
        "GET", lambda c: "/api/v1/evidence/packs/public-key", READERS, object=False
    ),
    ("GET", "/api/v1/evidence/packs/{pack_id}/download"): Check(
        "GET",
        lambda c: f"/api/v1/evidence/packs/{c['pack'].pk}/download",
        AUDIT_VIEWERS,
        object=True,
    ),
    ("GET", "/api/v1/evidence/{evidence_id}"): Check(
        "GET", lambda c: f"/api/v1/evidence/{_e(c)}", READERS, object=True
    ),
    ("PATCH", "/api/v1/evidence/{evidence_id}"): Check(
        "PATCH",
        lambda c: f"/api/v1/evidence/{_e(c)}",
        MANAGERS,
        object=True,
        body=lambda role: {"validity_days": 180},
    ),
    ("GET", "/api/v1/evidence/{evidence_id}/download"): Check(
        "GET", lambda c: f"/api/v1/evidence/{_e(c)}/download", READERS, object=True
    ),
    ("POST", "/api/v1/evidence/{evidence_id}/verify"): Check(
        "POST", lambda c: f"/api/v1/evidence/{_e(c)}/verify", READERS, object=True
    ),
    ("POST", "/api/v1/evidence/{evidence_id}/retire"): Check(
        "POST", lambda c: f"/api/v1/evidence/{_e(c)}/retire", MANAGERS, object=True
    ),
    ("POST", "/api/v1/evidence/{evidence_id}/links"): Check(
        "POST",
        lambda c: f"/api/v1/evidence/{_e(c)}/links",
        MANAGERS,
        object=True,
        ok=201,
        body=lambda role: {"target_type": "documents.document", "target_id": _IDS["document"]},
    ),
    ("DELETE", "/api/v1/evidence/{evidence_id}/links/{link_id}"): Check(
        "DELETE",
        lambda c: f"/api/v1/evidence/{_e(c)}/links/{_e(c)}",
        MANAGERS,
        object=True,
        ok=204,
    ),
}
