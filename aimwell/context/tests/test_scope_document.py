"""Approving a new AIMS scope version publishes the matching version of the scope document."""

from __future__ import annotations

import pytest

from aimwell.context.services import scope
from aimwell.documents import services as documents
from aimwell.documents.models import Document, VersionStatus
from aimwell.notifications.inbox import inbox_for

pytestmark = pytest.mark.usefixtures("catalog")


@pytest.fixture
def scope_doc(org, admin, manager):
    """REC-01 made from the scope template and published at v1 (approved by top management)."""
    document = documents.create_from_template(org, "aims-scope", actor=admin.user)
    version = document.working_version
    documents.submit_for_review(version, actor=admin.user)
    documents.approve(version, membership=manager.membership, actor=manager.user)
    documents.publish(version, actor=admin.user)
    return document


def _approve_new_scope(org, membership, text):
    draft = scope.start_draft(org, actor=membership.user)
    scope.update_draft(draft, actor=membership.user, text=text, change_note="New system in scope")
    return scope.approve_draft(draft, membership=membership, actor=membership.user)


def test_approving_a_scope_version_publishes_the_scope_document(org, manager, scope_doc):
    # The manager is top management, whom the scope document's approval rule asks for.
    approved = _approve_new_scope(org, manager.membership, "# Scope\n\nCredit scoring only.\n")
    document = Document.objects.get(pk=scope_doc.pk)
    published = document.published_version
    assert published.number == 2 and published.status == VersionStatus.PUBLISHED
    assert published.body == approved.text == "# Scope\n\nCredit scoring only.\n"
    assert published.approved_by == manager.user
    assert published.change_summary == f"AIMS scope v{approved.number} approved"
    assert document.versions.get(number=1).status == VersionStatus.SUPERSEDED
    # The next scope version moves the document again.
    _approve_new_scope(org, manager.membership, "# Scope\n\nCredit scoring and fraud.\n")
    document.refresh_from_db()
    assert document.published_version.number == 3
    assert document.published_version.body == "# Scope\n\nCredit scoring and fraud.\n"


def test_an_approver_outside_the_documents_rule_leaves_it_for_top_management(
    org, admin, manager, scope_doc
):
    # The admin may approve the scope (AIMS managers and admins) but is not top management.
    _approve_new_scope(org, admin.membership, "# Scope\n\nEverything.\n")
    document = Document.objects.get(pk=scope_doc.pk)
    assert document.published_version.number == 1
    waiting = document.working_version
    assert waiting.status == VersionStatus.IN_REVIEW and waiting.body == "# Scope\n\nEverything.\n"
    titles = [i.title for i in inbox_for(manager.membership).items]
    assert f"Approve {document.reference} {document.title} v2" in titles
    assert f"Approve {document.reference} {document.title} v2" not in [
        i.title for i in inbox_for(admin.membership).items
    ]


def test_without_a_scope_document_the_scope_is_approved_alone(org, manager):
    approved = _approve_new_scope(org, manager.membership, "# Scope\n\nAlone.\n")
    assert approved.is_approved
    assert not Document.objects.filter(organisation=org).exists()
