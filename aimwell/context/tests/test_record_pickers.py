"""The governance forms name people and AI systems with pickers: a role's holders, a body's
members, a meeting's attendees are searched by name and sent as membership ids; another
organisation's membership or system is refused and nothing is saved."""

from __future__ import annotations

import pytest

from aimwell.context.forms import IssueForm
from aimwell.governance.forms import AIMSRoleForm
from aimwell.governance.models import AIMSRole
from aimwell.risks.tests import factories

pytestmark = pytest.mark.django_db


def test_a_roles_holders_are_picked_and_another_organisations_refused(
    org, manager, contributor, outsider
):
    form = AIMSRoleForm(organisation=org)
    html = str(form["holders"])
    assert 'hx-get="/members/pick/?ids=membership"' in html and 'type="checkbox"' not in html
    body = {"name": "Model owner", "responsibilities": "r", "authorities": "a"}
    mixed = f"{contributor.membership.pk} {outsider.membership.pk}"
    refused = AIMSRoleForm({**body, "holders": mixed}, organisation=org)
    assert not refused.is_valid() and list(refused.errors) == ["holders"]
    assert AIMSRole.objects.count() == 0
    form = AIMSRoleForm({**body, "holders": str(contributor.membership.pk)}, organisation=org)
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["holders"]) == [contributor.membership]
    shown = str(AIMSRoleForm(organisation=org, initial={"holders": [contributor.membership]}))
    assert "Contributor (Contributor)" in shown


def test_an_issues_systems_are_picked_from_this_organisation(org, other_org):
    ours = factories.system(org, "Credit scoring")
    theirs = factories.system(other_org, "Their scoring")
    body = {"title": "t", "kind": "internal", "category": "other", "description": "d"}
    form = IssueForm({**body, "systems": f"{ours.pk} {theirs.pk}"}, organisation=org)
    assert "systems" in form.errors
    form = IssueForm({**body, "systems": str(ours.pk)}, organisation=org)
    assert "systems" not in form.errors
