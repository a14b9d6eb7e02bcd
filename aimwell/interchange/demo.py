"""Demo data: Meridian Lending runs a certified ISO/IEC 27001 ISMS. Its 27001 Statement of
Applicability (as its ISMS tool exports it, in the common column layout) is imported as the ISMS
baseline through the product's importer, and the ISMS keeps a few evidence items of its own,
linked to the 27001 controls; the gap analysis then shows, under each ISO/IEC 42001 control, the
ISMS controls covering part of it and reuses their evidence. Idempotent: the import updates in
place (nothing changes the second time) and evidence is looked up by title."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.utils import timezone

from aimwell.accounts.models import Membership

MANAGER = "aims.manager@meridian.example"

# 27001 controls the ISMS has not fully implemented yet: ref, status, justification.
NOT_DONE: dict[str, tuple[str, str]] = {
    "5.23": ("partial", "Cloud services policy covers IaaS; the LLM vendor's terms are in review"),
    "8.12": ("planned", "Data leakage prevention for the support channel, budgeted for next year"),
    "8.28": ("partial", "Secure coding standard used by platform teams, not yet by data science"),
}
# What the ISMS SoA names as its evidence for a few controls.
NAMED_EVIDENCE: dict[str, str] = {
    "5.1": "Information security policy set v7, approved by the board",
    "5.19": "Supplier security assessment register",
    "5.24": "Incident response plan IRP-3 and the yearly exercise",
    "8.15": "Central log platform, quarterly log review",
    "8.32": "Change advisory board minutes",
}
# title, URL, days ago, validity days, 27001 controls it shows
ITEMS: list[tuple[str, str, int, int, list[str]]] = [
    (
        "Information security policy set v7",
        "https://intranet.meridian.example/isms/policies-v7",
        150,
        365,
        ["5.1"],
    ),
    (
        "Supplier security assessment register 2026",
        "https://intranet.meridian.example/isms/suppliers-2026",
        90,
        365,
        ["5.19", "5.20", "5.21", "5.22"],
    ),
    (
        "Security incident response exercise 2026",
        "https://intranet.meridian.example/isms/irp-exercise-2026",
        45,
        365,
        ["5.24", "5.26", "5.27"],
    ),
    (
        "Logging and monitoring review, last quarter",
        "https://intranet.meridian.example/isms/log-review",
        35,
        120,
        ["8.15", "8.16"],
    ),
    (
        "Change advisory board minutes, last quarter",
        "https://intranet.meridian.example/isms/cab-minutes",
        25,
        120,
        ["8.32"],
    ),
]


def isms_soa_csv() -> bytes:
    """Meridian's ISO/IEC 27001 SoA: every Annex A control applicable, implemented unless listed
    in NOT_DONE, in the column layout ISMS tools export."""
    from aimwell.catalog.models import RequirementNode
    from aimwell.interchange.services.isms import ISO27001

    refs = RequirementNode.objects.filter(
        framework__urn=ISO27001, framework__organisation__isnull=True, kind="control"
    ).values_list("ref_id", "title")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Control", "Title", "Applicable", "Status", "Justification", "Evidence"])
    for ref, title in refs:
        status, justification = NOT_DONE.get(ref, ("implemented", ""))
        writer.writerow(
            [f"A.{ref}", title, "Yes", status, justification, NAMED_EVIDENCE.get(ref, "")]
        )
    return out.getvalue().encode()


def _isms(result: Any) -> None:
    from aimwell.demo import demo_organisation
    from aimwell.evidence import services as evidence
    from aimwell.evidence.models import EvidenceItem
    from aimwell.interchange.services.isms import import_isms_soa

    org = demo_organisation()
    manager = (
        Membership.objects.active()
        .select_related("user")
        .filter(organisation=org, user__email=MANAGER)
        .first()
    )
    if manager is None:
        return
    report = import_isms_soa(org, isms_soa_csv(), "meridian-isms-soa.csv", actor=manager.user)
    if report.created:
        result.created.append(f"ISMS baseline ({report.created} ISO/IEC 27001 controls)")
    titles = set(EvidenceItem.objects.filter(organisation=org).values_list("title", flat=True))
    today = timezone.localdate()
    for title, url, days_ago, validity, refs in ITEMS:
        if title in titles:
            continue
        evidence.add_link(
            org,
            title=title,
            url=url,
            actor=manager.user,
            owner=manager.user,
            effective_date=today - dt.timedelta(days=days_ago),
            validity_days=validity,
            requirement_urns=[f"iso27001:2022:{ref}" for ref in refs],
        )
        result.created.append(f"evidence {title}")


STEPS = [_isms]
