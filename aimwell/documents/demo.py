"""Demo data: Meridian Lending's policy set from our templates, in every state of the lifecycle.

The AI policy and several procedures are published (the AI policy approved by the CEO, who is top
management) and acknowledged by some members; others are in review or draft, so the checklist
shows work to do. (Publication is dated when it happens, so no document is shown overdue for a
review that falls before its own publication.)
Idempotent: a template already instantiated is left alone.
"""

from __future__ import annotations

from typing import Any

from aimwell.accounts.models import Membership
from aimwell.documents import services
from aimwell.documents.models import Document

CEO = "ceo@meridian.example"
AIMS_MANAGER = "aims.manager@meridian.example"
# template key -> (target state, who acknowledges a published version)
POLICY_SET: list[tuple[str, str, list[str]]] = [
    ("ai-policy", "published", ["staff@meridian.example", "credit.owner@meridian.example"]),
    ("aims-scope", "published", []),
    ("roles-responsibilities", "published", ["credit.owner@meridian.example"]),
    ("risk-management", "published", []),
    ("document-control", "published", []),
    ("responsible-use", "published", ["staff@meridian.example"]),
    ("impact-assessment", "in_review", []),
    ("ai-objectives", "in_review", []),
    ("incident-response", "draft", []),
    ("data-governance", "draft", []),
    ("ai-lifecycle", "draft", []),
]


def _memberships(org: Any) -> dict[str, Membership]:
    return {
        m.user.email: m
        for m in Membership.objects.active().select_related("user").filter(organisation=org)
    }


def _policy_set(result: Any) -> None:
    from aimwell.demo import demo_organisation

    org = demo_organisation()
    members = _memberships(org)
    ceo, manager = members.get(CEO), members.get(AIMS_MANAGER)
    if ceo is None or manager is None:
        return
    existing = set(Document.objects.filter(organisation=org).values_list("template_key", flat=True))
    for key, state, readers in POLICY_SET:
        if key in existing:
            continue
        document = services.create_from_template(org, key, actor=manager.user)
        result.created.append(f"document {document}")
        if state == "draft":
            continue
        version = document.working_version
        assert version is not None, "a document made from a template has a working version"
        services.submit_for_review(version, actor=manager.user)
        if state == "in_review":
            continue
        services.approve(version, membership=ceo, actor=ceo.user, note="Approved for Meridian.")
        services.publish(version, actor=manager.user)
        document.refresh_from_db()
        for email in readers:
            reader = members.get(email)
            if reader is not None and document.published_version is not None:
                services.acknowledge(
                    document.published_version, membership=reader, actor=reader.user
                )


STEPS = [_policy_set]
