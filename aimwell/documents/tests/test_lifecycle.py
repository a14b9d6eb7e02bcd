"""The document lifecycle: versions, approvals by the right authority, publication,
acknowledgements, concurrent edits and the mandatory-documents checklist."""

from __future__ import annotations

import datetime as dt

import pytest

from aimwell.core.models import AuditEvent
from aimwell.documents import services
from aimwell.documents.models import DocumentVersion, VersionStatus
from aimwell.documents.querysets import checklist, checklist_summary, pending_acknowledgements
from aimwell.evidence.models import EvidenceItem


@pytest.fixture
def policy(catalog, org, admin, manager):
    return services.create_from_template(org, "ai-policy", actor=admin.user)


def publish(version, *, submitter, approver):
    services.submit_for_review(version, actor=submitter.user)
    services.approve(version, membership=approver.membership, actor=approver.user)
    return services.publish(version, actor=submitter.user)


def test_template_fills_in_live_data(policy, org, manager):
    body = policy.working_version.body
    assert org.name in body
    assert manager.user.display_name in body  # top management
    assert "{{" not in body and "{%" not in body
    assert {n.urn for n in policy.requirements.all()} >= {
        "iso42001:2023:5.2",
        "iso42001:2023:A.2.2",
    }
    assert policy.approver == "top_management"


def test_every_template_renders(catalog, org, admin):
    from aimwell.documents.doc_templates import TEMPLATES

    for template in TEMPLATES:
        document = services.create_from_template(org, template.key, actor=admin.user)
        assert document.working_version.body.startswith("#"), template.key
        assert "{{" not in document.working_version.body, template.key


def test_approval_by_a_role_without_the_authority_is_refused(policy, admin, contributor, manager):
    version = policy.working_version
    services.submit_for_review(version, actor=admin.user)
    # An admin and a contributor are not top management: the AI policy is refused to them.
    for actor in (admin, contributor):
        with pytest.raises(services.ApprovalRefused, match="top management"):
            services.approve(version, membership=actor.membership, actor=actor.user)
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW
    services.approve(version, membership=manager.membership, actor=manager.user)
    version.refresh_from_db()
    assert version.status == VersionStatus.APPROVED and version.approved_by == manager.user


def test_submitter_cannot_approve_their_own_submission(policy, manager):
    version = policy.working_version
    services.submit_for_review(version, actor=manager.user)
    with pytest.raises(services.ApprovalRefused, match="submitted"):
        services.approve(version, membership=manager.membership, actor=manager.user)


def test_procedure_needs_an_aims_manager(catalog, org, admin, contributor, internal_auditor):
    doc = services.create_from_template(org, "document-control", actor=admin.user)
    version = doc.working_version
    services.submit_for_review(version, actor=contributor.user)
    for actor in (contributor, internal_auditor):
        with pytest.raises(services.ApprovalRefused, match="AIMS manager"):
            services.approve(version, membership=actor.membership, actor=actor.user)
    services.approve(version, membership=admin.membership, actor=admin.user)


def test_new_version_keeps_old_one_and_resets_acknowledgements(policy, admin, manager, staff):
    v1 = publish(policy.working_version, submitter=admin, approver=manager)
    v1_text, v1_hash = v1.body, v1.body_sha256
    assert pending_acknowledgements(staff.membership) == [v1]
    services.acknowledge(v1, membership=staff.membership, actor=staff.user)
    assert pending_acknowledgements(staff.membership) == []

    v2 = services.start_new_version(policy, actor=admin.user, change_summary="Add section 9")
    result = services.save_draft(
        v2, body=v1_text + "\n## 9. New section\n", based_on=v2.lock_version, actor=admin.user
    )
    assert result.conflict is None
    publish(v2, submitter=admin, approver=manager)

    v1.refresh_from_db()
    assert v1.status == VersionStatus.SUPERSEDED
    assert v1.body == v1_text and v1.body_sha256 == v1_hash  # unchanged and still readable
    v2.refresh_from_db()
    assert v2.status == VersionStatus.PUBLISHED and v2.number == 2
    policy.refresh_from_db()
    assert policy.published_version == v2
    # Acknowledgements are per version: staff must accept version 2 again.
    assert pending_acknowledgements(staff.membership) == [v2]
    assert v1.acknowledgements.count() == 1 and v2.acknowledgements.count() == 0


def test_published_version_cannot_be_edited(policy, admin, manager):
    v1 = publish(policy.working_version, submitter=admin, approver=manager)
    with pytest.raises(services.DocumentError, match="only a draft"):
        services.save_draft(v1, body="rewritten", based_on=v1.lock_version, actor=admin.user)
    v1.refresh_from_db()
    assert v1.body != "rewritten"


def test_concurrent_edit_second_writer_gets_a_conflict_and_both_texts_survive(
    policy, admin, manager
):
    version = policy.working_version
    base = version.lock_version
    first = services.save_draft(
        version, body="Text of the first writer", based_on=base, actor=admin.user
    )
    assert first.conflict is None
    stale = DocumentVersion.objects.get(pk=version.pk)
    second = services.save_draft(
        stale, body="Text of the second writer", based_on=base, actor=manager.user
    )
    assert second.conflict is not None
    version.refresh_from_db()
    assert version.body == "Text of the first writer"
    assert second.conflict.body == "Text of the second writer"
    assert second.conflict.author == manager.user
    assert AuditEvent.objects.filter(action="document.edit_conflict").exists()


def test_publication_records_evidence(policy, admin, manager):
    publish(policy.working_version, submitter=admin, approver=manager)
    record = EvidenceItem.objects.get(source="documents.publication")
    assert record.kind == "record" and len(record.sha256) == 64
    assert record.links.get().target_id == policy.pk
    assert record.requirements.filter(urn="iso42001:2023:5.2").exists()


def test_checklist_states(policy, org, admin, manager):
    rows = {r.node.urn: r for r in checklist(org)}
    assert rows["iso42001:2023:5.2"].state == "draft"
    assert rows["iso42001:2023:4.3"].state == "missing"
    assert rows["iso42001:2023:4.3"].template.key == "aims-scope"
    publish(policy.working_version, submitter=admin, approver=manager)
    assert {r.node.urn: r for r in checklist(org)}["iso42001:2023:5.2"].state == "published"
    policy.refresh_from_db()
    policy.next_review_date = dt.date(2020, 1, 1)
    policy.save()
    assert {r.node.urn: r for r in checklist(org)}["iso42001:2023:5.2"].state == "review_overdue"
    assert policy.review_overdue
    summary = checklist_summary(org)
    assert summary["total"] == 19 and summary["counts"]["review_overdue"] == 1


def test_return_to_draft_and_retire(policy, admin, manager):
    version = policy.working_version
    services.submit_for_review(version, actor=admin.user)
    services.reject(version, actor=manager.user, note="Section 3 needs work")
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT and version.approval_note
    publish(version, submitter=admin, approver=manager)
    services.retire(policy, actor=admin.user, reason="replaced")
    policy.refresh_from_db()
    version.refresh_from_db()
    assert policy.is_retired and version.status == VersionStatus.RETIRED
    with pytest.raises(services.DocumentError):
        services.start_new_version(policy, actor=admin.user)


def test_markdown_is_sanitised():
    from aimwell.core.markdown import render_markdown

    html = render_markdown("# T\n<script>alert(1)</script>\n[x](javascript:alert(1)) **b**")
    assert "<script>" not in html and 'href="javascript' not in html
    assert "<h1>T</h1>" in html and "<strong>b</strong>" in html


def test_pdf_renders(policy):
    from aimwell.documents.rendering import version_pdf

    pdf = version_pdf(policy.working_version)
    assert pdf.startswith(b"%PDF")
