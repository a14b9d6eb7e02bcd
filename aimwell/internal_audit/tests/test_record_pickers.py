"""Fields that link several records are pickers too: an audit's clauses and sampled systems, a
finding's reviewed evidence, the systems of an incident. Each is searched by name; the form
still accepts only what its queryset holds, so another organisation's record, or a clause the
audit may not cover, is refused beside the field and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from aimwell.evidence import services as evidence
from aimwell.incidents.forms import IncidentForm
from aimwell.internal_audit import services
from aimwell.internal_audit.forms import AuditForm, FindingForm
from aimwell.internal_audit.models import Audit
from aimwell.risks.tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _plan(actor, **fields):
    body = {
        "title": "AIMS audit 2026",
        "scope": "The whole AIMS",
        "criteria": "ISO/IEC 42001",
        "planned_start": TODAY.isoformat(),
        "planned_end": (TODAY + dt.timedelta(days=2)).isoformat(),
        "lead_auditor": str(actor.user.pk),
        **fields,
    }
    return actor.post(reverse("internal_audit:audit-new"), body)


def test_clauses_and_systems_are_picked_and_saved(catalog, org, internal_auditor):
    ours = factories.system(org, "Credit scoring")
    page = internal_auditor.client.get(reverse("internal_audit:audit-new")).content.decode()
    assert 'hx-get="/catalog/pick/?framework=iso42001"' in page
    assert 'hx-get="/ai-systems/pick/"' in page and '<select name="requirements"' not in page
    response = _plan(
        internal_auditor,
        requirements="iso42001:2023:9.2.1 iso42001:2023:A.6.2.4",
        systems=str(ours.pk),
    )
    assert response.status_code == 302, (
        response.context["form"].errors,
        [str(m) for m in response.context["messages"]],
    )
    audit = Audit.objects.get()
    assert sorted(audit.requirements.values_list("urn", flat=True)) == [
        "iso42001:2023:9.2.1",
        "iso42001:2023:A.6.2.4",
    ]
    assert list(audit.sampled_systems.all()) == [ours]
    # The edit form shows what was picked by title and name, not by URN or id alone.
    edit = internal_auditor.client.get(reverse("internal_audit:audit-edit", args=[audit.pk]))
    html = edit.content.decode()
    assert "9.2.1 General" in html and "Credit scoring" in html


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("requirements", "eu-ai-act:2024:art-27"),  # a requirement, but not of ISO/IEC 42001
        ("requirements", "iso42001:2023:Z.99"),  # no such clause
        ("systems", "THEIRS"),  # another organisation's AI system
    ],
)
def test_a_record_outside_the_form_is_refused_and_no_audit_is_planned(
    catalog, org, other_org, internal_auditor, field, value
):
    theirs = factories.system(other_org, "Their scoring")
    response = _plan(internal_auditor, **{field: value.replace("THEIRS", str(theirs.pk))})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert Audit.objects.count() == 0


def test_a_finding_cites_only_this_organisations_evidence(catalog, org, other_org, manager):
    audit = services.create_audit(
        org,
        actor=manager.user,
        title="A",
        scope="s",
        planned_start=TODAY,
        planned_end=TODAY,
        lead_auditor=manager.user,
    )
    mine = evidence.add_link(org, title="Ours", url="https://o.example", actor="t")
    theirs = evidence.add_link(other_org, title="Theirs", url="https://t.example", actor="t")
    base = {"kind": "observation", "title": "Logs thin", "description": "d"}
    form = FindingForm(
        {**base, "evidence": f"{mine.pk} {theirs.pk}"}, organisation=org, audit=audit
    )
    assert not form.is_valid() and list(form.errors) == ["evidence"]
    form = FindingForm({**base, "evidence": str(mine.pk)}, organisation=org, audit=audit)
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["evidence"]) == [mine]
    assert 'hx-get="/evidence/pick/"' in str(form["evidence"])


def test_an_incidents_systems_are_picked_from_this_organisation(org, other_org):
    ours = factories.system(org, "Credit scoring")
    theirs = factories.system(other_org, "Their scoring")
    form = IncidentForm(organisation=org, initial={"systems": [ours]})
    html = str(form["systems"])
    assert 'class="picker-search"' in html and f'value="{ours.pk}"' in html
    assert "Credit scoring" in html and 'type="checkbox"' not in html
    posted = IncidentForm({"systems": f"{ours.pk} {theirs.pk}"}, organisation=org)
    assert "systems" in posted.errors
    assert "systems" not in IncidentForm({"systems": str(ours.pk)}, organisation=org).errors


def test_the_requirement_search_can_keep_to_one_framework(catalog, manager):
    every = manager.client.get("/catalog/pick/?q=risk").content.decode()
    iso_only = manager.client.get("/catalog/pick/?framework=iso42001&q=risk").content.decode()
    assert 'data-value="eu-ai-act:' in every
    assert 'data-value="iso42001:' in iso_only and 'data-value="eu-ai-act:' not in iso_only
    assert AuditForm  # the audit form asks for this narrowed search (see above)
