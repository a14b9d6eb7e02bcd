"""Records held as documented information: what the standard requires to be documented exists,
as a controlled document or as records in the register that keeps them, and what is published
went through approval."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import F, Q

from aimwell.consistency.registry import Area, Context, Hit, Severity, ref, rule, url


@rule(
    "mandatory-document-missing",
    title="Required documented information neither documented nor held as records",
    clause="ISO/IEC 42001 7.5.1",
    severity=Severity.MINOR,
    area=Area.RECORDS,
    example="5.2 AI policy has no document linked to it, and no register holds it.",
    fix="Create the document from its template on the mandatory-documents checklist.",
)
def mandatory_missing(ctx: Context) -> Iterator[Hit]:
    from aimwell.documents.querysets import checklist

    for row in checklist(ctx.organisation):
        if row.state == "missing":
            yield Hit(
                row.node.ref_id,
                f"{row.node.ref_id} {row.node.title}: no document is linked to it and no register "
                "holds it as records.",
                (ref(f"{row.node.ref_id} {row.node.title}", "documents:checklist"),),
                url("documents:checklist"),
            )


@rule(
    "document-published-unapproved",
    title="Document version published without an approval",
    clause="ISO/IEC 42001 7.5.2",
    severity=Severity.MAJOR,
    area=Area.RECORDS,
    example="PRO-04 v3 is the published version but has no approver or approval date.",
    fix="Submit the version for approval; publish only approved versions.",
)
def published_unapproved(ctx: Context) -> Iterator[Hit]:
    from aimwell.documents.models import DocumentVersion

    rows = (
        DocumentVersion.objects.filter(
            organisation_id=ctx.organisation.pk,
            document__published_version__isnull=False,
            document__is_retired=False,
        )
        .filter(document__published_version=F("pk"))
        .filter(Q(approved_at__isnull=True) | Q(approved_by__isnull=True))
        .select_related("document")
    )
    for version in rows:
        document = version.document
        yield Hit(
            str(version.pk),
            f"{document.reference} v{version.number} is published but was never approved.",
            (ref(f"{document.reference} {document.title}", "documents:detail", document.pk),),
            url("documents:detail", document.pk),
        )


@rule(
    "audit-reported-outside-programme",
    title="Internal audit reported outside the audit programme",
    clause="ISO/IEC 42001 9.2.2",
    severity=Severity.OBSERVATION,
    area=Area.RECORDS,
    example="AUD-004 was reported but belongs to no audit programme, so the programme does not "
    "show it was planned.",
    fix="Attach the audit to the programme of its cycle.",
)
def outside_programme(ctx: Context) -> Iterator[Hit]:
    from aimwell.internal_audit.models import Audit

    rows = Audit.objects.filter(
        organisation_id=ctx.organisation.pk, programme__isnull=True, status="reported"
    ).only("pk", "reference")
    for audit in rows:
        yield Hit(
            str(audit.pk),
            f"{audit.reference} was reported but belongs to no audit programme.",
            (ref(audit.reference, "internal_audit:audit", audit.pk),),
            url("internal_audit:audit", audit.pk),
        )
