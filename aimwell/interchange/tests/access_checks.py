"""Access checks of the OSCAL routes (collected by the role matrix).

The documents hold the whole AIMS, so they need READ_ALL; a guest (external auditor) passes the
scope gate only with an engagement over every area (as the matrix's guest has), because /oscal/
belongs to no single area. The outsider gets their own organisation's documents, never `org`'s."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aimwell.testing import MANAGERS, READERS, Check

OSCAL_READERS = READERS


def _ssp(role: str) -> dict[str, Any]:
    del role
    document = (
        b'{"system-security-plan": {"control-implementation": {"implemented-requirements": '
        b'[{"uuid": "7f1c3c52-0d3b-4a53-9d7e-3c1c1c1c1c1c", "control-id": "a.2.2"}]}}}'
    )
    return {"file": SimpleUploadedFile("ssp.json", document)}


WEB: dict[str, Check | str] = {
    "interchange:oscal": Check(
        "GET", lambda c: reverse("interchange:oscal", args=["ssp"]), OSCAL_READERS, object=False
    ),
}

API: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/oscal/{kind}"): Check(
        "GET", lambda c: "/api/v1/oscal/poam", OSCAL_READERS, object=False
    ),
    ("GET", "/api/v1/isms/coverage"): Check(
        "GET", lambda c: "/api/v1/isms/coverage", OSCAL_READERS, object=False
    ),
    ("POST", "/api/v1/isms/import"): Check(
        "POST",
        lambda c: "/api/v1/isms/import",
        MANAGERS,
        object=False,
        body=lambda role: {
            "file": SimpleUploadedFile("isms.csv", b"Control,Applicable,Status\n5.15,yes,partial\n")
        },
    ),
    ("POST", "/api/v1/oscal/ssp/import"): Check(
        "POST", lambda c: "/api/v1/oscal/ssp/import", MANAGERS, object=False, body=_ssp
    ),
}
