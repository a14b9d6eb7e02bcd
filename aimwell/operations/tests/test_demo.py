"""The demo runs one full cycle and is idempotent."""

from __future__ import annotations

from aimwell.competence.models import TrainingRecord
from aimwell.improvement.models import Nonconformity
from aimwell.incidents.models import Concern, Incident
from aimwell.internal_audit.models import Audit
from aimwell.management_review.models import ManagementReview
from aimwell.objectives.models import AIObjective


def test_demo_runs_a_full_cycle_twice_without_duplicates(demo_org):
    from aimwell.demo import load_demo

    org = demo_org
    audit = Audit.objects.get(organisation=org, title="AI life cycle and monitoring audit")
    assert audit.status == "reported" and audit.findings.count() == 4
    closed = Nonconformity.objects.get(finding__audit=audit, severity="major")
    assert closed.status == "closed" and closed.verification_result == "effective"
    held = ManagementReview.objects.get(organisation=org, title="Management review H1")
    assert held.status == "held" and held.inputs["audits"]["reported"] == 1
    assert held.actions.count() == 2
    serious = Incident.objects.get(organisation=org, is_serious=True)
    assert serious.report_deadline is not None and serious.nonconformities.count() == 1
    counts = [
        model.objects.filter(organisation=org).count()
        for model in (
            Audit,
            Nonconformity,
            ManagementReview,
            AIObjective,
            TrainingRecord,
            Incident,
            Concern,
        )
    ]
    load_demo()
    assert counts == [
        model.objects.filter(organisation=org).count()
        for model in (
            Audit,
            Nonconformity,
            ManagementReview,
            AIObjective,
            TrainingRecord,
            Incident,
            Concern,
        )
    ]


def test_demo_pages_render_for_the_admin(demo_org):
    from django.test import Client

    from aimwell.accounts.models import Membership

    org = demo_org
    admin = Membership.objects.get(organisation=org, role="admin").user
    client = Client()
    client.force_login(admin)
    session = client.session
    session["aimwell_organisation_id"] = str(org.pk)
    session.save()
    urls = ["/operations/", "/operations/training/matrix/"]
    for model, prefix in (
        (Audit, "audits"),
        (Nonconformity, "nonconformities"),
        (ManagementReview, "reviews"),
        (Incident, "incidents"),
        (Concern, "concerns"),
        (AIObjective, "objectives"),
    ):
        urls.append(f"/operations/{prefix}/")
        urls += [
            f"/operations/{prefix}/{pk}/"
            for pk in model.objects.filter(organisation=org).values_list("pk", flat=True)
        ]
    audit = Audit.objects.get(organisation=org, title="AI life cycle and monitoring audit")
    urls.append(f"/operations/audits/{audit.pk}/report/")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    home = client.get("/operations/").content.decode()
    assert "Overdue" in home and "Approve and publish the incident procedure" in home
    review = ManagementReview.objects.get(organisation=org, title="Management review H1")
    page = client.get(f"/operations/reviews/{review.pk}/").content.decode()
    assert "Status of actions from previous management reviews" in page
