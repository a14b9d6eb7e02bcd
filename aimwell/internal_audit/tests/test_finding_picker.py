"""An internal audit finding names its requirement with the catalog picker (by title or clause,
never a select of codes); only a requirement the audit covers may be posted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aimwell.internal_audit import services as audits
from aimwell.internal_audit.models import Finding
from aimwell.operations.tests.factories import node, planned_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(org, internal_auditor, catalog):
    audit = planned_audit(org, internal_auditor)
    return audits.start_audit(audit, actor=internal_auditor.user)


def _post(actor, audit, requirement: str):
    return actor.post(
        reverse("internal_audit:audit-step", args=[audit.pk, "finding"]),
        {
            "kind": "observation",
            "title": "Unclear owner",
            "description": "Nobody signs off.",
            "requirement": requirement,
        },
    )


def test_the_finding_form_searches_the_catalog(internal_auditor, audit):
    page = internal_auditor.client.get(reverse("internal_audit:audit", args=[audit.pk]))
    html = page.content.decode()
    assert '<select name="requirement"' not in html
    assert f'hx-get="{reverse("catalog:pick")}"' in html


def test_a_finding_cites_a_requirement_the_audit_covers(internal_auditor, audit):
    assert _post(internal_auditor, audit, node("A.6.2.6").urn).status_code == 302
    finding = Finding.objects.get(audit=audit, title="Unclear owner")
    assert finding.requirement == node("A.6.2.6")


def test_a_requirement_outside_the_audit_is_refused(internal_auditor, audit):
    _post(internal_auditor, audit, node("9.2").urn)
    assert not Finding.objects.filter(audit=audit).exists()
