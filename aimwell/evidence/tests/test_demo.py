"""The demo organisation gets its policy set and evidence, and loading twice changes nothing."""

from aimwell.core import audit
from aimwell.core.models import AuditEvent
from aimwell.demo import load_demo
from aimwell.documents.models import Document
from aimwell.documents.querysets import checklist_summary, pending_acknowledgements
from aimwell.evidence.models import EvidenceItem, EvidenceRequest


def test_demo_policy_set_and_evidence_idempotent(demo_org):
    org = demo_org
    state = (Document.objects.count(), EvidenceItem.objects.count(), AuditEvent.objects.count())
    load_demo()
    assert state == (
        Document.objects.count(),
        EvidenceItem.objects.count(),
        AuditEvent.objects.count(),
    )
    policy = Document.objects.get(organisation=org, template_key="ai-policy")
    assert policy.published_version.approved_by.email == "ceo@meridian.example"
    assert policy.published_version.acknowledgements.count() == 2
    # Publication is dated when it happens, so no demo document is overdue for a review that
    # would fall before its own publication (the pre-audit check would find it).
    assert not any(d.review_overdue for d in Document.objects.filter(organisation=org))
    assert {d.status for d in Document.objects.filter(organisation=org)} >= {
        "published",
        "in_review",
        "draft",
    }
    summary = checklist_summary(org)
    # What is not a published document is held as records in its register (9.2.2, 9.3.3, 10.2…)
    # or still in draft or review; nothing is missing.
    assert summary["counts"]["missing"] == 0 and summary["counts"]["published"] > 0
    assert summary["counts"]["held"] > 0
    assert EvidenceItem.objects.filter(organisation=org).stale().count() >= 2
    assert EvidenceRequest.objects.filter(organisation=org, status="open").exists()
    from aimwell.accounts.models import Membership

    lukas = Membership.objects.get(organisation=org, user__email="staff@meridian.example")
    assert pending_acknowledgements(lukas) == []  # acknowledged both policies addressed to staff
    assert audit.verify_organisation(org.id)[1] is None
