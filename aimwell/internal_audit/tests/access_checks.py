"""Access checks of the internal audits routes (collected by the role matrix). The objects they use
are made once for all operations apps by `aimwell.operations.tests.access_checks.setup`."""

from __future__ import annotations

from django.urls import reverse

from aimwell.operations.tests.access_checks import (
    AUDIT_WRITERS,
    api_get,
    api_path,
    assessed_audit,
    email_of,
    new_audit,
    page_check,
    post_check,
)
from aimwell.testing import READERS, Check

API: dict[tuple[str, str], Check] = {
    # Programmes and audits
    ("GET", api_path("/audit-programmes")): api_get("/audit-programmes", READERS),
    ("POST", api_path("/audit-programmes")): Check(
        "POST",
        lambda c: api_path("/audit-programmes"),
        AUDIT_WRITERS,
        object=False,
        ok=201,
        body=lambda role: {
            "title": f"Programme {role}",
            "cycle_start": "2026-01-01",
            "cycle_end": "2026-12-31",
        },
    ),
    ("GET", api_path("/audit-programmes/{programme_id}")): api_get(
        "/audit-programmes/{pk}", READERS, "ops_programme"
    ),
    ("PATCH", api_path("/audit-programmes/{programme_id}")): Check(
        "PATCH",
        lambda c: api_path(f"/audit-programmes/{c['ops_programme'].pk}"),
        AUDIT_WRITERS,
        object=True,
        body=lambda role: {"objectives": f"Cover everything ({role})"},
    ),
    ("GET", api_path("/audits")): api_get("/audits", READERS),
    ("POST", api_path("/audits")): Check(
        "POST",
        lambda c: api_path("/audits"),
        AUDIT_WRITERS,
        object=False,
        ok=201,
        body=lambda role, c: {
            "title": f"Audit by {role}",
            "scope": "Monitoring",
            "planned_start": "2026-03-01",
            "planned_end": "2026-03-02",
            "lead_auditor_email": email_of(c, role, "internal_auditor"),
            "requirement_urns": ["iso42001:2023:9.1"],
        },
    ),
    ("GET", api_path("/audits/{audit_id}")): api_get("/audits/{pk}", READERS, "ops_audit"),
    ("PATCH", api_path("/audits/{audit_id}")): Check(
        "PATCH",
        lambda c: api_path(f"/audits/{c['ops_audit'].pk}"),
        AUDIT_WRITERS,
        object=True,
        body=lambda role: {"criteria": f"ISO/IEC 42001 ({role})"},
    ),
    ("POST", api_path("/audits/{audit_id}/start")): Check(
        "POST",
        lambda c: api_path(f"/audits/{new_audit(c, started=False).pk}/start"),
        AUDIT_WRITERS,
        object=True,
    ),
    ("POST", api_path("/audits/{audit_id}/sample")): Check(
        "POST",
        lambda c: api_path(f"/audits/{c['ops_audit'].pk}/sample"),
        AUDIT_WRITERS,
        object=True,
        body=lambda role: {"size": 1, "seed": 3},
    ),
    ("PATCH", api_path("/audits/{audit_id}/checklist/{item_id}")): Check(
        "PATCH",
        lambda c: api_path(f"/audits/{c['ops_audit'].pk}/checklist/{c['ops_item'].pk}"),
        AUDIT_WRITERS,
        object=True,
        body=lambda role: {"result": "conforming", "notes": role},
    ),
    ("POST", api_path("/audits/{audit_id}/findings")): Check(
        "POST",
        lambda c: api_path(f"/audits/{c['ops_audit'].pk}/findings"),
        AUDIT_WRITERS,
        object=True,
        ok=201,
        body=lambda role: {"kind": "observation", "title": f"Note {role}", "description": "d"},
    ),
    ("POST", api_path("/audits/{audit_id}/report")): Check(
        "POST",
        lambda c: api_path(f"/audits/{assessed_audit(c).pk}/report"),
        AUDIT_WRITERS,
        object=True,
        body=lambda role: {"conclusion": "Conforming"},
    ),
    ("GET", api_path("/findings")): api_get("/findings", READERS),
}

WEB: dict[str, Check | str] = {
    "internal_audit:programmes": page_check("internal_audit:programmes", READERS),
    "internal_audit:programme": page_check("internal_audit:programme", READERS, "ops_programme"),
    "internal_audit:audits": page_check("internal_audit:audits", READERS),
    "internal_audit:audit-new": page_check("internal_audit:audit-new", AUDIT_WRITERS),
    "internal_audit:audit": page_check("internal_audit:audit", READERS, "ops_audit"),
    "internal_audit:audit-report": page_check("internal_audit:audit-report", READERS, "ops_audit"),
    "internal_audit:audit-edit": page_check(
        "internal_audit:audit-edit", AUDIT_WRITERS, "ops_audit"
    ),
    "internal_audit:audit-report-pdf": page_check(
        "internal_audit:audit-report-pdf", READERS, "ops_audit"
    ),
    "internal_audit:audit-assess": post_check(
        lambda c: reverse(
            "internal_audit:audit-assess", args=[c["ops_audit"].pk, c["ops_item"].pk]
        ),
        AUDIT_WRITERS,
        lambda role: {"result": "conforming", "notes": role},
    ),
    "internal_audit:audit-step": post_check(
        lambda c: reverse("internal_audit:audit-step", args=[c["ops_audit"].pk, "sample"]),
        AUDIT_WRITERS,
        lambda role: {"size": 1},
    ),
}
