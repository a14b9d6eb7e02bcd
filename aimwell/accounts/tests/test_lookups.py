"""A person named by email must be an active member of the organisation: every API that takes an
owner's email answers 400 with the same message, and nothing is written."""

from __future__ import annotations

import pytest

from aimwell.accounts.lookups import NotAMember, member_user
from aimwell.documents.models import Document
from aimwell.inventory.models import AISystem


def test_member_user_finds_members_without_case_and_refuses_others(org, manager, outsider):
    assert member_user(org, None) is None and member_user(org, "") is None
    assert member_user(org, manager.user.email.upper()) == manager.user
    assert member_user(org.pk, manager.user.email) == manager.user
    with pytest.raises(NotAMember, match="is not a member of this organisation"):
        member_user(org, outsider.user.email)


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/ai-systems", {"name": "Pricing engine", "purpose": "Set prices."}),
        ("/api/v1/documents", {"title": "Model card policy", "doc_type": "policy"}),
    ],
)
def test_api_refuses_an_owner_who_is_not_a_member(org, manager, outsider, url, body):
    before = (AISystem.objects.count(), Document.objects.count())
    response = manager.api("POST", url, {**body, "owner_email": outsider.user.email})
    assert response.status_code == 400, response.content
    assert response.json()["message"] == (
        f"{outsider.user.email} is not a member of this organisation."
    )
    assert (AISystem.objects.count(), Document.objects.count()) == before
