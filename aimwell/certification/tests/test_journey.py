"""The certification journey on the demo organisation: stage 1 with a finding, its corrective
action closed, stage 2, the certificate, and the surveillance audit planned a year on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from aimwell.accounts.models import Membership
from aimwell.certification import services
from aimwell.certification.choices import AuditKind
from aimwell.certification.models import Engagement, ExternalAudit, ExternalFinding
from aimwell.certification.services import CertificationError, add_months
from aimwell.controls.readiness import compute
from aimwell.improvement import services as improvement


def _client(org, email: str) -> tuple[Client, object]:
    member = Membership.objects.select_related("user").get(organisation=org, user__email=email)
    client = Client()
    client.force_login(member.user)
    return client, member.user


def test_demo_journey_to_certificate_and_surveillance(demo_org):
    from aimwell.demo import load_demo

    org = demo_org
    project = services.project_of(org)
    assert project is not None and project.body_chosen and project.applied_on
    stage1 = ExternalAudit.objects.get(project=project, kind=AuditKind.STAGE_1)
    assert stage1.status == "planned"
    engagement = Engagement.objects.get(audit=stage1)
    assert engagement.membership.user.email == "auditor@certbody.example"
    assert engagement.membership.expires_at == engagement.ends_at
    counts = [m.objects.filter(organisation=org).count() for m in (ExternalAudit, Engagement)]
    load_demo()  # idempotent
    assert counts == [
        m.objects.filter(organisation=org).count() for m in (ExternalAudit, Engagement)
    ]

    client, manager = _client(org, "aims.manager@meridian.example")
    _, ceo = _client(org, "ceo@meridian.example")
    _, owner = _client(org, "credit.owner@meridian.example")
    page = client.get(f"/certification/audits/{stage1.pk}/")
    assert page.status_code == 200 and "Final checks" in page.content.decode()

    services.start_audit(stage1, actor=manager)
    finding = services.record_finding(
        stage1, actor=manager, grade="major", title="No AI risk criteria", owner=owner
    )
    nc = finding.nonconformity
    assert nc is not None and nc.source == "external_audit" and finding.is_open
    services.complete_audit(stage1, actor=manager, outcome="ready")

    stage2 = services.plan_audit(
        project,
        actor=manager,
        kind=AuditKind.STAGE_2,
        planned_start=stage1.planned_start + dt.timedelta(days=40),
        planned_end=stage1.planned_start + dt.timedelta(days=42),
    )
    services.complete_audit(stage2, actor=manager, outcome="recommended")
    with pytest.raises(CertificationError, match="Major findings are still open"):
        services.record_certificate(
            project, actor=manager, number="C-1", issued_on=dt.date(2026, 3, 1), scope="AIMS"
        )

    # Close the nonconformity the operations way: correction, root cause, action, verification.
    improvement.record_correction(nc, actor=owner, correction="Criteria drafted.")
    improvement.record_root_cause(nc, actor=owner, root_cause="Nobody owned the method.")
    action = improvement.add_corrective_action(
        nc, actor=manager, title="Approve the risk method", owner=owner, due_date=None
    )
    improvement.complete_action(action, actor=owner)
    nc.refresh_from_db()
    improvement.verify_effectiveness(nc, actor=ceo, result="effective", notes="Method in use.")
    improvement.close_nonconformity(nc, actor=manager)
    finding = ExternalFinding.objects.select_related("nonconformity").get(pk=finding.pk)
    assert finding.state == "closed"

    issued = dt.date(2026, 3, 1)
    certificate = services.record_certificate(
        project, actor=manager, number="CAC-42001-1", issued_on=issued, scope="AIMS of Meridian"
    )
    assert certificate.expires_on == dt.date(2029, 3, 1)
    surveillance = ExternalAudit.objects.get(project=project, kind=AuditKind.SURVEILLANCE_1)
    assert surveillance.planned_start == add_months(issued, 12) == dt.date(2027, 3, 1)
    assert ExternalAudit.objects.get(project=project, kind="surveillance_2").planned_start == (
        dt.date(2028, 3, 1)
    )
    recert = ExternalAudit.objects.get(project=project, kind="recertification")
    assert recert.planned_start == dt.date(2028, 12, 1) and recert.cycle == 2

    stage7 = compute(org, with_trend=False).stages[6]
    assert stage7.percent == 100.0 and "next surveillance planned" in stage7.detail
    home = client.get("/certification/").content.decode()
    assert "CAC-42001-1" in home and "Surveillance 1" in home


def test_add_months_clips_to_the_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 2, 29), 12) == dt.date(2029, 2, 28)
    assert add_months(dt.date(2026, 11, 15), 33) == dt.date(2029, 8, 15)


@pytest.mark.django_db
def test_certificate_needs_a_completed_stage_2(org, manager):
    project = services.get_or_create_project(org, actor=manager.user)
    with pytest.raises(CertificationError, match="completed stage 2"):
        services.record_certificate(
            project, actor=manager.user, number="X", issued_on=dt.date(2026, 1, 1), scope="All"
        )
    response = manager.api(
        "POST",
        "/api/v1/certification/certificates",
        {"number": "X", "issued_on": "2026-01-01", "scope": "All"},
    )
    assert response.status_code == 400 and "stage 2" in response.json()["message"]
