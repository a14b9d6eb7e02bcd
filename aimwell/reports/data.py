"""The data of the stage-1 certification pack, gathered from every app's querysets and read-side
helpers (never their views). The result is plain sections of tables and sanitised HTML, which the
PDF and the xlsx builders turn into bytes.

A fixed number of queries whatever the size of the AIMS: every list here is one query (with its
joins or prefetches), and the shared helpers reused from other apps (SoA rows, readiness, the
documents checklist, the training matrix, the risk register export) are fixed-count themselves.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from aimwell.accounts.models import Organisation
from aimwell.catalog.models import RequirementNode

POLICY_URN = "iso42001:2023:5.2"


@dataclass
class Table:
    """Rows under headers; `pdf_columns` picks the columns narrow enough for a printed page
    (the workbook always carries every column)."""

    title: str
    headers: Sequence[str]
    rows: list[list[Any]]
    pdf_columns: Sequence[int] | None = None
    empty: str = "Nothing recorded yet."

    def _columns(self) -> Sequence[int]:
        return self.pdf_columns if self.pdf_columns is not None else range(len(self.headers))

    @property
    def pdf_headers(self) -> list[str]:
        return [self.headers[i] for i in self._columns()]

    @property
    def pdf_rows(self) -> list[list[Any]]:
        columns = self._columns()
        return [[_breakable(_text(row[i])) for i in columns] for row in self.rows]


@dataclass
class Section:
    key: str
    title: str
    source: str  # where in Aimwell the section comes from
    summary: str = ""
    facts: list[tuple[str, Any]] = field(default_factory=list)
    html: str = ""  # sanitised HTML (scope statement, AI policy)
    tables: list[Table] = field(default_factory=list)
    number: int = 0


@dataclass
class PackData:
    organisation: Organisation
    generated_at: dt.datetime
    generated_by: str
    sections: list[Section]
    evidence: Table
    readiness_score: float

    @property
    def evidence_count(self) -> int:
        return len(self.evidence.rows)


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value.tzinfo else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


_LONG_TOKEN = re.compile(r"\S{28,}")


def _breakable(text: str) -> str:
    """Zero-width spaces inside long unbroken tokens (hashes, ids, URLs) so a table cell can wrap
    them; CSS `overflow-wrap: anywhere` does the same but makes WeasyPrint's layout 3x slower."""
    return _LONG_TOKEN.sub(
        lambda m: "\u200b".join(m.group(0)[i : i + 16] for i in range(0, len(m.group(0)), 16)),
        text,
    )


def _who(user: Any) -> str:
    return user.display_name if user is not None else ""


# Sections ---------------------------------------------------------------------------------------


def _scope(org: Organisation) -> Section:
    from aimwell.context.models import ScopeVersion
    from aimwell.core.markdown import render_markdown
    from aimwell.inventory.models import AISystem

    versions = list(
        ScopeVersion.objects.filter(organisation=org)
        .select_related("approved_by")
        .order_by("-number")[:20]
    )
    approved = next((v for v in versions if v.status == "approved"), None)
    shown = approved or (versions[0] if versions else None)
    systems = list(
        AISystem.objects.filter(organisation=org).select_related("owner").order_by("name")
    )
    in_scope = [s for s in systems if s.in_scope]
    facts: list[tuple[str, Any]] = [
        ("Scope version", f"v{shown.number} ({shown.get_status_display()})" if shown else None),
        (
            "Approved",
            f"{_who(shown.approved_by)} on {_text(shown.approved_at)}"
            if shown and shown.approved_by
            else "not approved",
        ),
        ("AI systems in scope", f"{len(in_scope)} of {len(systems)} registered"),
    ]
    rows = [
        [
            s.name,
            "yes" if s.in_scope else "no",
            s.get_lifecycle_stage_display(),
            s.get_eu_role_display() or "",
            s.risk_class,
            _who(s.owner),
            s.purpose,
        ]
        for s in systems
    ]
    headers = (
        "AI system",
        "In scope",
        "Life cycle",
        "EU AI Act role",
        "Risk class",
        "Owner",
        "Purpose",
    )
    return Section(
        "scope",
        "Scope of the AI management system",
        "Context: AIMS scope and the AI system inventory",
        "The approved scope statement and the AI systems it covers."
        if approved
        else "No approved scope statement yet: the latest draft is shown.",
        facts=facts,
        html=render_markdown(shown.text) if shown else "",
        tables=[Table("AI systems", headers, rows, pdf_columns=(0, 1, 2, 3, 4, 5))],
    )


def _policy(org: Organisation) -> Section:
    from aimwell.core.markdown import render_markdown
    from aimwell.documents.models import Document

    document = (
        Document.objects.filter(organisation=org, is_retired=False, published_version__isnull=False)
        .filter(Q(template_key="ai-policy") | Q(requirements__urn=POLICY_URN))
        .select_related("published_version__approved_by", "owner")
        .order_by("reference")
        .first()
    )
    if document is None:
        return Section(
            "policy",
            "AI policy",
            "Documents: the published AI policy",
            "No AI policy is published yet: write one from the template and have top management "
            "approve it.",
        )
    version = document.published_version
    assert version is not None  # filtered above
    facts = [
        ("Document", f"{document.reference} {document.title}"),
        ("Version", f"v{version.number}, published {_text(version.published_at)}"),
        (
            "Approved by",
            f"{_who(version.approved_by)} on {_text(version.approved_at)}"
            if version.approved_by
            else "not recorded",
        ),
        ("Owner", _who(document.owner)),
        ("Next review", document.next_review_date),
        ("SHA-256 of the text", version.body_sha256),
    ]
    return Section(
        "policy",
        "AI policy",
        "Documents: the published AI policy",
        "The AI policy as published, with its approval.",
        facts=facts,
        html=render_markdown(version.body),
    )


def _roles(org: Organisation) -> Section:
    from aimwell.accounts.models import Membership
    from aimwell.governance import raci
    from aimwell.governance.models import AIMSRole, OversightBody

    roles = list(
        AIMSRole.objects.filter(organisation=org)
        .prefetch_related(Prefetch("holders", queryset=Membership.objects.select_related("user")))
        .order_by("name")
    )
    role_rows = [
        [
            r.name,
            ", ".join(m.user.display_name for m in r.holders.all()),
            r.responsibilities,
            r.authorities,
        ]
        for r in roles
    ]
    raci_rows: list[list[Any]] = []
    for axis, label in (("processes", "AIMS process"), ("systems", "AI system")):
        matrix = raci.matrix(org, axis)
        names = {str(m.pk): m.user.display_name for m in matrix.members}
        for row in matrix.rows:
            letters: dict[str, list[str]] = {"R": [], "A": [], "C": [], "I": []}
            for member_id, letter in row.cells.items():
                letters.setdefault(letter, []).append(names.get(member_id, "?"))
            raci_rows.append(
                [
                    label,
                    row.label,
                    *(", ".join(sorted(letters[k])) for k in "RACI"),
                    "yes" if row.has_accountable else "no",
                ]
            )
    bodies = list(
        OversightBody.objects.filter(organisation=org, is_active=True)
        .select_related("chair__user")
        .prefetch_related(Prefetch("members", queryset=Membership.objects.select_related("user")))
        .order_by("name")
    )
    body_rows = [
        [
            b.name,
            b.get_kind_display(),
            b.chair.user.display_name if b.chair else "",
            ", ".join(m.user.display_name for m in b.members.all()),
            b.meeting_frequency,
            b.terms_of_reference,
        ]
        for b in bodies
    ]
    unowned = sum(1 for r in raci_rows if r[-1] == "no")
    return Section(
        "roles",
        "Roles, responsibilities and authorities",
        "Context: governance (AIMS roles, RACI, oversight bodies)",
        f"{len(roles)} AIMS roles, {len(bodies)} oversight bodies; {unowned} RACI rows have "
        "nobody accountable.",
        tables=[
            Table("AIMS roles", ("Role", "Held by", "Responsibilities", "Authorities"), role_rows),
            Table(
                "RACI",
                (
                    "Axis",
                    "Process or system",
                    "Responsible",
                    "Accountable",
                    "Consulted",
                    "Informed",
                    "Has accountable",
                ),
                raci_rows,
            ),
            Table(
                "Oversight bodies",
                ("Body", "Kind", "Chair", "Members", "Meets", "Terms of reference"),
                body_rows,
                pdf_columns=(0, 1, 2, 3, 4),
            ),
        ],
    )


def _method(org: Organisation) -> Section:
    from aimwell.risks.querysets import current_method

    method = current_method(org)
    if method is None:
        return Section(
            "method",
            "Risk method",
            "Risks: the current risk method",
            "No risk method is published yet.",
        )
    scale_rows = [
        ["Likelihood", s.get("value"), s.get("label"), s.get("description", "")]
        for s in method.likelihood_scale
    ] + [
        ["Consequence", s.get("value"), s.get("label"), s.get("description", "")]
        for s in method.consequence_scale
    ]
    bands = [[b.get("name"), b.get("min")] for b in method.bands]
    dimensions = [[d.get("label"), d.get("description", "")] for d in method.dimensions]
    return Section(
        "method",
        "Risk method",
        "Risks: the current risk method",
        "The criteria every risk in the register is assessed under.",
        facts=[
            ("Method", f"{method.name} v{method.version}"),
            ("Description", method.description),
            ("Acceptance threshold", f"residual level {method.acceptance_threshold} or below"),
            ("Review interval", f"{method.review_interval_days} days"),
        ],
        tables=[
            Table("Scales", ("Scale", "Value", "Label", "Meaning"), scale_rows),
            Table("Bands", ("Band", "From level"), bands),
            Table("Consequence dimensions", ("Dimension", "Meaning"), dimensions),
        ],
    )


def _risks(org: Organisation) -> Section:
    from aimwell.risks import exports

    register = exports.register_rows(org)
    actions = exports.action_rows(org)
    open_risks = sum(1 for r in register if r[21] != "Closed")
    overdue = sum(1 for a in actions if a[5])
    return Section(
        "risks",
        "Risk register and treatment plan",
        "Risks: the register, treatments and selected controls",
        f"{len(register)} risks ({open_risks} not closed); {len(actions)} treatment actions, "
        f"{overdue} overdue.",
        tables=[
            Table(
                "Risk register",
                exports.REGISTER_HEADERS,
                register,
                pdf_columns=(0, 1, 2, 11, 12, 13, 15, 17, 20, 21),
            ),
            Table("Treatment plan", exports.ACTION_HEADERS, actions),
        ],
    )


def _impact(org: Organisation) -> Section:
    from aimwell.impact_assessments.querysets import assessments_qs

    items = list(assessments_qs(org))
    rows = [
        [
            a.reference,
            a.title,
            a.system.name if a.system_id else "",
            a.get_status_display(),
            a.approved_by_label,
            a.approved_at,
            a.next_review_date,
            ", ".join(r["label"] for r in a.significant_areas()),
            a.fria_required,
            a.dpia_required,
            a.overall_residual,
        ]
        for a in items
    ]
    headers = (
        "Reference",
        "Title",
        "AI system",
        "Status",
        "Approved by",
        "Approved at",
        "Next review",
        "Significant impacts",
        "FRIA required",
        "DPIA required",
        "Overall residual impact",
    )
    return Section(
        "impact",
        "AI system impact assessments",
        "Risks: impact assessments",
        f"{len(items)} impact assessments.",
        tables=[Table("Impact assessments", headers, rows, pdf_columns=(0, 1, 2, 3, 4, 6, 7))],
    )


def _soa(org: Organisation) -> Section:
    from aimwell.controls import exports

    rows = exports.soa_table(org)
    applicable = sum(1 for r in rows if str(r[3]).startswith("Applicable"))
    return Section(
        "soa",
        "Statement of Applicability",
        "Controls: the Statement of Applicability",
        f"{len(rows)} controls, {applicable} applicable.",
        tables=[
            Table(
                "Statement of Applicability",
                exports.SOA_HEADERS,
                rows,
                pdf_columns=(0, 1, 3, 4, 8, 9, 10),
            )
        ],
    )


def _objectives(org: Organisation) -> Section:
    from aimwell.objectives.models import AIObjective

    items = list(
        AIObjective.objects.filter(organisation=org)
        .select_related("owner", "annex_c")
        .prefetch_related("systems")
        .order_by("due_date", "title")
    )
    rows = [
        [
            o.title,
            o.measure,
            o.baseline,
            f"{o.get_direction_display()} {o.target:g} {o.unit}".strip(),
            o.latest_value,
            o.latest_on,
            o.get_status_display(),
            _who(o.owner),
            o.due_date,
            ", ".join(s.name for s in o.systems.all()),
            o.annex_c.ref_id if o.annex_c else "",
        ]
        for o in items
    ]
    headers = (
        "Objective",
        "Measure",
        "Baseline",
        "Target",
        "Latest value",
        "Measured on",
        "Status",
        "Owner",
        "Due",
        "AI systems",
        "Annex C",
    )
    return Section(
        "objectives",
        "AI objectives",
        "Operations: AI objectives and their measurements",
        f"{len(items)} AI objectives.",
        tables=[Table("AI objectives", headers, rows, pdf_columns=(0, 1, 3, 4, 6, 7, 8))],
    )


def _training(org: Organisation) -> Section:
    from aimwell.competence.querysets import training_matrix

    matrix = training_matrix(org)
    role_rows = [
        [r["role"], r["members"], r["with_gaps"], r["gaps"]] for r in matrix["by_role"].values()
    ]
    per_course: dict[Any, dict[str, int]] = {}
    for person in matrix["rows"]:
        for state in person.courses:
            counts = per_course.setdefault(state.course.pk, {})
            counts[state.state] = counts.get(state.state, 0) + 1
    course_rows = [
        [
            c.title,
            c.validity_months,
            ", ".join(c.roles or []) or "everyone",
            *(
                per_course.get(c.pk, {}).get(k, 0)
                for k in ("valid", "expired", "failed", "missing")
            ),
        ]
        for c in matrix["courses"]
    ]
    people = len(matrix["rows"])
    complete = sum(1 for p in matrix["rows"] if not p.gaps)
    return Section(
        "training",
        "Competence and training records",
        "Operations: courses, training records and the training matrix",
        f"{complete} of {people} members have every required course valid.",
        tables=[
            Table("Training by role", ("Role", "Members", "Members with gaps", "Gaps"), role_rows),
            Table(
                "Training by course",
                (
                    "Course",
                    "Valid for (months)",
                    "Required for",
                    "Valid",
                    "Expired",
                    "Failed",
                    "Missing",
                ),
                course_rows,
            ),
        ],
    )


def _documents(org: Organisation) -> Section:
    from aimwell.documents.querysets import checklist

    rows = [
        [
            r.node.ref_id,
            r.node.title,
            r.label,
            ", ".join(f"{d.reference} {d.title}" for d in r.documents),
            r.records.label if r.records else "",
        ]
        for r in checklist(org)
    ]
    done = sum(1 for r in rows if r[2] == "Published")
    held = sum(1 for r in rows if r[4])
    return Section(
        "documents",
        "Mandatory documented information",
        "Documents: the checklist of required documented information",
        f"{done} of {len(rows)} required items have a current published document; {held} are "
        "held as records in their register.",
        tables=[
            Table(
                "Checklist",
                ("Clause", "Requirement", "State", "Documents", "Records held"),
                rows,
            )
        ],
    )


def _audits(org: Organisation) -> Section:
    from aimwell.internal_audit.models import Audit, AuditProgramme, Finding

    programmes = list(
        AuditProgramme.objects.filter(organisation=org)
        .select_related("owner")
        .annotate(audit_count=Count("audits"))
        .order_by("-cycle_start")
    )
    audits = list(
        Audit.objects.filter(organisation=org)
        .select_related("programme", "lead_auditor")
        .annotate(finding_count=Count("findings"))
        .order_by("planned_start", "reference")
    )
    findings = list(
        Finding.objects.filter(organisation=org)
        .select_related("audit", "requirement", "system", "nonconformity")
        .order_by("audit__reference", "reference")
    )
    return Section(
        "audits",
        "Internal audit programme and results",
        "Operations: audit programmes, audits, checklists and findings",
        f"{len(programmes)} programmes, {len(audits)} audits, {len(findings)} findings.",
        tables=[
            Table(
                "Audit programmes",
                ("Programme", "From", "To", "Owner", "Audits", "Objectives"),
                [
                    [
                        p.title,
                        p.cycle_start,
                        p.cycle_end,
                        _who(p.owner),
                        p.audit_count,
                        p.objectives,
                    ]
                    for p in programmes
                ],
            ),
            Table(
                "Audits",
                (
                    "Reference",
                    "Title",
                    "Programme",
                    "Lead auditor",
                    "Planned start",
                    "Planned end",
                    "Status",
                    "Findings",
                    "Reported on",
                    "Conclusion",
                ),
                [
                    [
                        a.reference,
                        a.title,
                        a.programme.title if a.programme else "",
                        _who(a.lead_auditor),
                        a.planned_start,
                        a.planned_end,
                        a.get_status_display(),
                        a.finding_count,
                        a.reported_on,
                        a.conclusion,
                    ]
                    for a in audits
                ],
                pdf_columns=(0, 1, 3, 4, 6, 7, 9),
            ),
            Table(
                "Findings",
                (
                    "Reference",
                    "Audit",
                    "Kind",
                    "Title",
                    "Requirement",
                    "AI system",
                    "Nonconformity",
                ),
                [
                    [
                        f.reference,
                        f.audit.reference,
                        f.get_kind_display(),
                        f.title,
                        f.requirement.ref_id if f.requirement else "",
                        f.system.name if f.system else "",
                        _nc_reference(f),
                    ]
                    for f in findings
                ],
            ),
        ],
    )


def _nc_reference(finding: Any) -> str:
    nc = getattr(finding, "nonconformity", None)
    return nc.reference if nc is not None else ""


def _reviews(org: Organisation) -> Section:
    from aimwell.management_review.models import ManagementReview

    reviews = list(
        ManagementReview.objects.filter(organisation=org)
        .select_related("chair")
        .annotate(action_count=Count("actions"))
        .order_by("-planned_on")
    )
    rows = [
        [
            r.title,
            r.planned_on,
            r.held_on,
            _who(r.chair),
            r.get_status_display(),
            r.action_count,
            r.conclusions,
            r.decisions,
        ]
        for r in reviews
    ]
    return Section(
        "review",
        "Management review",
        "Operations: management reviews, their inputs, decisions and actions",
        f"{len(reviews)} management reviews, {sum(1 for r in reviews if r.held_on)} held.",
        tables=[
            Table(
                "Management reviews",
                (
                    "Review",
                    "Planned",
                    "Held",
                    "Chair",
                    "Status",
                    "Actions",
                    "Conclusions",
                    "Decisions",
                ),
                rows,
            )
        ],
    )


def _improvement(org: Organisation) -> Section:
    from aimwell.improvement.models import Action, Nonconformity

    today = timezone.localdate()
    ncs = list(
        Nonconformity.objects.filter(organisation=org)
        .select_related("owner", "requirement")
        .order_by("-raised_on", "-reference")
    )
    actions = list(
        Action.objects.filter(organisation=org)
        .select_related("owner", "nonconformity", "review")
        .order_by("due_date", "title")
    )
    nc_rows = [
        [
            n.reference,
            n.title,
            n.get_source_display(),
            n.get_severity_display(),
            n.requirement.ref_id if n.requirement else "",
            _who(n.owner),
            n.raised_on,
            n.due_date,
            n.get_status_display(),
            n.is_overdue(today),
            n.root_cause,
            n.get_verification_result_display() if n.verification_result else "",
            n.closed_on,
        ]
        for n in ncs
    ]
    action_rows = [
        [
            a.nonconformity.reference if a.nonconformity else (a.review.title if a.review else ""),
            a.title,
            _who(a.owner),
            a.due_date,
            a.get_status_display(),
            a.is_overdue(today),
            a.completed_on,
        ]
        for a in actions
    ]
    open_ncs = sum(1 for n in ncs if n.status != "closed")
    return Section(
        "improvement",
        "Nonconformities and corrective actions",
        "Operations: nonconformities and actions",
        f"{len(ncs)} nonconformities ({open_ncs} not closed), {len(actions)} actions.",
        tables=[
            Table(
                "Nonconformities",
                (
                    "Reference",
                    "Title",
                    "Source",
                    "Severity",
                    "Requirement",
                    "Owner",
                    "Raised",
                    "Due",
                    "Status",
                    "Overdue",
                    "Root cause",
                    "Effective",
                    "Closed",
                ),
                nc_rows,
                pdf_columns=(0, 1, 2, 3, 4, 5, 7, 8, 11),
            ),
            Table(
                "Corrective and review actions",
                ("For", "Action", "Owner", "Due", "Status", "Overdue", "Completed"),
                action_rows,
            ),
        ],
    )


def _inconsistencies(org: Organisation) -> tuple[Section, dict[str, int] | None]:
    """The pre-audit check's findings, open and acknowledged (empty when the records agree), and
    the counts readiness weighs."""
    from aimwell.consistency import engine

    report = engine.run(org)
    rows = [
        [
            f.rule.clause,
            f.severity.label,
            f.message,
            "; ".join(r.label for r in f.records),
            "open"
            if f.acknowledgement is None
            else f"acknowledged by {f.acknowledgement.acknowledged_by_label}: "
            f"{f.acknowledgement.reason}",
        ]
        for f in report.findings
    ]
    counts = report.counts()
    summary = (
        f"{counts['major']} major, {counts['minor']} minor and {counts['observation']} "
        f"observations open; {counts['acknowledged']} acknowledged ({len(report.rules)} rules)."
        if rows
        else f"None: the {len(report.rules)} rules of the pre-audit check find no contradiction."
    )
    section = Section(
        "inconsistencies",
        "Known inconsistencies",
        "Pre-audit check: contradictions Aimwell finds in its own records",
        summary,
        tables=[
            Table(
                "Findings",
                ("Clause", "Severity", "Finding", "Records", "Status"),
                rows,
                empty="No known inconsistency.",
            )
        ],
    )
    return section, engine.weighed_counts(report)


def _readiness(
    org: Organisation, finding_counts: dict[str, int] | None = None
) -> tuple[Section, float]:
    from aimwell.controls import exports, readiness

    report = readiness.compute(org, with_trend=False, finding_counts=finding_counts)
    components = [
        [c.label, c.weight, round(c.share, 3), c.points, c.explanation] for c in report.components
    ]
    stages = [
        [s.number, s.title, "not tracked" if s.percent is None else f"{s.percent:g}%", s.detail]
        for s in report.stages
    ]
    counts = report.counts
    return Section(
        "readiness",
        "Readiness and gap analysis",
        "Controls: certification readiness and the gap analysis",
        f"Readiness score {report.score} / 100 ({readiness.FORMULA}); {counts['ready']} items "
        f"ready, {counts['partial']} partial, {counts['gap']} gaps.",
        tables=[
            Table("Readiness score", ("Part", "Weight", "Share", "Points", "Basis"), components),
            Table("Stages", ("Stage", "Title", "Progress", "Detail"), stages),
            Table(
                "Gap analysis",
                exports.GAP_HEADERS,
                exports.gap_table(report),
                pdf_columns=(0, 1, 3, 5, 10, 11),
            ),
        ],
    ), report.score


EVIDENCE_HEADERS = (
    "Evidence id",
    "Title",
    "Kind",
    "Linked requirements",
    "Effective date",
    "Valid until",
    "Status",
    "File name",
    "SHA-256",
)


def evidence_index(org: Organisation) -> Table:
    """Every evidence item with its requirements, validity, file and SHA-256 (retired ones are
    listed as retired: an auditor may still be shown them)."""
    from aimwell.evidence.models import EvidenceItem

    nodes = RequirementNode.objects.only("id", "urn", "ref_id", "position").order_by("position")
    items = (
        EvidenceItem.objects.filter(organisation=org)
        .prefetch_related(Prefetch("requirements", queryset=nodes))
        .order_by("effective_date", "title", "pk")
    )
    rows = []
    for item in items:
        status = "retired" if item.is_retired else item.freshness
        rows.append(
            [
                str(item.pk),
                item.title,
                item.get_kind_display(),
                ", ".join(n.urn for n in item.requirements.all()),
                item.effective_date,
                item.valid_until,
                status,
                item.file_name or item.url,
                item.sha256,
            ]
        )
    return Table("Evidence index", EVIDENCE_HEADERS, rows, pdf_columns=(1, 3, 5, 6, 7, 8))


def _lifecycle(org: Organisation) -> list[Section]:
    from aimwell.lifecycle.report import sections

    return sections(org)


def gather(organisation: Organisation, *, generated_by: str = "") -> PackData:
    """Everything the pack shows, in the order of the PDF and the workbook."""
    from aimwell.reports.eu_ai_act_section import eu_ai_act_section

    inconsistencies, finding_counts = _inconsistencies(organisation)
    readiness_section, score = _readiness(organisation, finding_counts)
    sections = [
        _scope(organisation),
        _policy(organisation),
        _roles(organisation),
        _method(organisation),
        _risks(organisation),
        _impact(organisation),
        _soa(organisation),
        eu_ai_act_section(organisation),
        _objectives(organisation),
        _training(organisation),
        _documents(organisation),
        _audits(organisation),
        _reviews(organisation),
        _improvement(organisation),
        *_lifecycle(organisation),
        inconsistencies,
        readiness_section,
    ]
    for number, section in enumerate(sections, start=1):
        section.number = number
    return PackData(
        organisation=organisation,
        generated_at=timezone.now(),
        generated_by=generated_by,
        sections=sections,
        evidence=evidence_index(organisation),
        readiness_score=score,
    )
