"""The certification project's documents and an audit's AI systems are picked by name: the
document search offers only what the member may read in this organisation, and the forms refuse
another organisation's document or system."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from aimwell.certification.forms import AuditForm, ProjectForm
from aimwell.certification.models import CertificationProject
from aimwell.documents import services as documents
from aimwell.risks.tests import factories

pytestmark = pytest.mark.django_db


def _offered(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'data-value="([^"]+)"', response.content.decode())


def _doc(org, title):
    return documents.create_document(org, title=title, doc_type="policy", actor="t")


def test_the_document_search_offers_this_organisations_documents_only(
    org, other_org, manager, staff, outsider
):
    ours = _doc(org, "AI policy")
    _doc(org, "Risk procedure")
    theirs = _doc(other_org, "AI policy elsewhere")
    url = reverse("documents:pick") + "?q=policy"
    assert _offered(manager.client.get(url)) == [str(ours.pk)]
    assert _offered(outsider.client.get(url)) == [str(theirs.pk)]
    assert _offered(staff.client.get(url)) == []  # a draft is not for staff to read


def test_the_projects_documents_are_picked_and_foreign_ones_refused(org, other_org, manager):
    ours, theirs = _doc(org, "AI policy"), _doc(other_org, "Their policy")
    page = manager.client.get(reverse("certification:project")).content.decode()
    assert 'hx-get="/documents/pick/"' in page and f'value="{ours.pk}"' not in page
    body = {"body_name": "CertCo", "submitted_documents": f"{ours.pk} {theirs.pk}"}
    refused = manager.post(reverse("certification:project"), body)
    assert refused.status_code == 200 and "submitted_documents" in refused.context["form"].errors
    assert not CertificationProject.objects.filter(organisation=org).exists()
    form = ProjectForm(
        {"body_name": "CertCo", "submitted_documents": str(ours.pk)}, organisation=org
    )
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["submitted_documents"]) == [ours]


def test_an_audits_systems_in_scope_are_picked_from_this_organisation(org, other_org):
    ours = factories.system(org, "Credit scoring")
    theirs = factories.system(other_org, "Their scoring")
    base = {"kind": "stage_1", "planned_start": "2026-01-05", "planned_end": "2026-01-06"}
    form = AuditForm({**base, "systems": f"{ours.pk} {theirs.pk}"}, organisation=org)
    assert not form.is_valid() and list(form.errors) == ["systems"]
    form = AuditForm({**base, "systems": str(ours.pk)}, organisation=org)
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["systems"]) == [ours]
    shown = str(AuditForm(organisation=org, initial={"systems": [ours]})["systems"])
    assert 'hx-get="/ai-systems/pick/"' in shown and "Credit scoring" in shown
