"""OSCAL assessment plan, assessment results and plan of action and milestones (POA&M) of an
organisation's AIMS, from its internal audits, external (certification) audits, findings,
nonconformities, corrective actions and risk treatment actions.

- assessment-plan: one task per internal and external audit (dates, scope, lead auditor, the
  AI systems sampled and, for external audits, the auditors' samples), the requirements they
  review, and the sampled systems as assessment subjects (components of the SSP).
- assessment-results: one result per audit that has started, with each finding (target: the
  requirement, satisfied or not) and an observation of what the auditor examined.
- POA&M: one item per open nonconformity (its corrective actions as milestones with due dates)
  and per open risk with open treatment actions (the actions as milestones).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from aimwell.interchange.oscal_common import (
    People,
    control_id,
    day_end,
    day_start,
    document_href,
    one_line,
    prop,
    resource,
    stable_uuid,
    text,
    timestamp,
)

NC_FINDING_KINDS = ("major_nc", "minor_nc")
NC_GRADES = ("major", "minor")


def _internal_audits(organisation: Any) -> list[Any]:
    from aimwell.internal_audit.models import Audit

    return list(
        Audit.objects.filter(organisation_id=organisation.pk)
        .exclude(status="cancelled")
        .select_related("lead_auditor")
        .prefetch_related("requirements", "sampled_systems", "findings__requirement")
        .order_by("planned_start", "reference")
    )


def _external_audits(organisation: Any) -> list[Any]:
    from aimwell.certification.models import ExternalAudit

    return list(
        ExternalAudit.objects.filter(organisation_id=organisation.pk)
        .exclude(status="cancelled")
        .prefetch_related("systems", "findings__requirement", "engagements__samples")
        .order_by("planned_start")
    )


def _external_title(audit: Any) -> str:
    return one_line(audit.title or f"{audit.get_kind_display()} (cycle {audit.cycle})")


def _timing(start: date, end: date) -> dict[str, Any]:
    return {"within-date-range": {"start": day_start(start), "end": day_end(max(start, end))}}


def _subjects(system_ids: Iterable[Any]) -> list[dict[str, Any]]:
    ids = sorted({str(pk) for pk in system_ids})
    if not ids:
        return [{"type": "component", "include-all": {}}]
    return [
        {
            "type": "component",
            "include-subjects": [
                {"subject-uuid": stable_uuid("component", pk), "type": "component"} for pk in ids
            ],
        }
    ]


def _reviewed(refs: Iterable[str]) -> dict[str, Any]:
    ids = sorted({control_id(ref) for ref in refs})
    if not ids:
        return {"control-selections": [{"include-all": {}}]}
    return {"control-selections": [{"include-controls": [{"control-id": i} for i in ids]}]}


def _document_resource(kind: str, organisation: Any, title: str) -> dict[str, Any]:
    return resource(
        kind,
        organisation,
        title,
        document_href(kind, organisation),
        f"application/oscal.{kind}+json",
    )


def _internal_task(audit: Any, people: People) -> dict[str, Any]:
    task: dict[str, Any] = {
        "uuid": stable_uuid("task", audit.pk),
        "type": "action",
        "title": one_line(f"{audit.reference} {audit.title}"),
        "description": text(audit.scope, "Internal audit."),
        "props": [
            prop("audit-kind", "internal"),
            prop("audit-status", audit.status),
            *(prop("process", p) for p in audit.processes),
        ],
        "timing": _timing(audit.planned_start, audit.planned_end),
        "subjects": _subjects(s.pk for s in audit.sampled_systems.all()),
    }
    lead = people.party(audit.lead_auditor_id)
    if lead:
        task["responsible-roles"] = [{"role-id": "assessor", "party-uuids": [lead]}]
    if audit.criteria:
        task["remarks"] = f"Criteria: {audit.criteria}"
    return task


def _external_task(audit: Any, people: People) -> dict[str, Any]:
    systems = [] if audit.all_systems else [s.pk for s in audit.systems.all()]
    task: dict[str, Any] = {
        "uuid": stable_uuid("task", audit.pk),
        "type": "action",
        "title": _external_title(audit),
        "description": text(audit.scope or audit.plan, "Certification audit."),
        "props": [
            prop("audit-kind", "external"),
            prop("audit-stage", audit.kind),
            prop("audit-status", audit.status),
            *(prop("area", a) for a in audit.areas),
            *(
                prop("sample", f"{sample.object_type}: {sample.label}")
                for engagement in audit.engagements.all()
                for sample in engagement.samples.all()
            ),
        ],
        "timing": _timing(audit.planned_start, audit.planned_end),
        "subjects": _subjects(systems),
    }
    if audit.lead_auditor:
        party = people.external(f"auditor:{audit.lead_auditor}", audit.lead_auditor, "person")
        task["responsible-roles"] = [{"role-id": "assessor", "party-uuids": [party]}]
    return task


def build_assessment_plan(organisation: Any, *, at: datetime | None = None) -> dict[str, Any]:
    people = People(organisation)
    internal = _internal_audits(organisation)
    external = _external_audits(organisation)
    tasks = [_internal_task(a, people) for a in internal]
    tasks.extend(_external_task(a, people) for a in external)
    refs = [r.ref_id for a in internal for r in a.requirements.all()]
    sampled = [s.pk for a in internal for s in a.sampled_systems.all()]
    sampled += [s.pk for a in external if not a.all_systems for s in a.systems.all()]
    ssp = _document_resource("ssp", organisation, f"{organisation.name}: SSP")
    plan: dict[str, Any] = {
        "uuid": stable_uuid("assessment-plan", organisation.pk),
        "metadata": {},
        "import-ssp": {"href": f"#{ssp['uuid']}"},
        "reviewed-controls": {
            "description": "The requirements the internal audit programme samples; certification "
            "audits review the whole AIMS.",
            **_reviewed(refs),
        },
        "assessment-subjects": _subjects(sampled),
        "back-matter": {"resources": [ssp]},
    }
    if tasks:
        plan["tasks"] = tasks
    plan["metadata"] = people.metadata(
        f"{organisation.name}: AIMS audit plan",
        at=at,
        remarks=f"{len(internal)} internal and {len(external)} external audit(s).",
    )
    return {"assessment-plan": plan}


def _finding(
    source: Any, title: str, requirement: Any, is_nc: bool, kind: str, observed: str, when: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    observation: dict[str, Any] = {
        "uuid": stable_uuid("observation", source.pk),
        "description": text(observed, "Recorded by the auditor."),
        "methods": ["EXAMINE"],
        "collected": when,
    }
    finding: dict[str, Any] = {
        "uuid": stable_uuid("finding", source.pk),
        "title": one_line(title),
        "description": text(source.description, one_line(title)),
        "props": [prop("finding-kind", kind)],
        "target": {
            "type": "objective-id",
            "target-id": control_id(requirement.ref_id) if requirement else "aims",
            "status": {"state": "not-satisfied" if is_nc else "satisfied"},
        },
        "related-observations": [{"observation-uuid": observation["uuid"]}],
    }
    if requirement is not None:
        finding["props"].append(prop("requirement", requirement.urn))
    return finding, observation


def _internal_result(audit: Any) -> dict[str, Any]:
    start = day_start(audit.planned_start)
    findings, observations = [], []
    for f in audit.findings.all():
        finding, observation = _finding(
            f,
            f"{f.reference} {f.title}",
            f.requirement,
            f.kind in NC_FINDING_KINDS,
            f.kind,
            f.evidence_reviewed,
            start,
        )
        if f.system_id:
            observation["subjects"] = [
                {"subject-uuid": stable_uuid("component", f.system_id), "type": "component"}
            ]
        findings.append(finding)
        observations.append(observation)
    result: dict[str, Any] = {
        "uuid": stable_uuid("result", audit.pk),
        "title": one_line(f"{audit.reference} {audit.title}"),
        "description": text(audit.conclusion or audit.scope, "Internal audit."),
        "start": start,
        "props": [prop("audit-kind", "internal"), prop("audit-status", audit.status)],
        "reviewed-controls": _reviewed(r.ref_id for r in audit.requirements.all()),
    }
    if audit.reported_on or audit.status == "reported":
        result["end"] = day_end(audit.reported_on or audit.planned_end)
    if observations:
        result["observations"] = observations
        result["findings"] = findings
    return result


def _external_result(audit: Any) -> dict[str, Any]:
    start = day_start(audit.planned_start)
    findings, observations = [], []
    for f in audit.findings.all():
        finding, observation = _finding(
            f,
            f"{f.reference} {f.title}",
            f.requirement,
            f.grade in NC_GRADES,
            f.grade,
            f.description,
            start,
        )
        findings.append(finding)
        observations.append(observation)
    result: dict[str, Any] = {
        "uuid": stable_uuid("result", audit.pk),
        "title": _external_title(audit),
        "description": text(audit.outcome_notes or audit.scope, "Certification audit."),
        "start": start,
        "props": [prop("audit-kind", "external"), prop("audit-stage", audit.kind)],
        "reviewed-controls": _reviewed([]),
    }
    if audit.outcome:
        result["props"].append(prop("outcome", audit.outcome))
    if audit.completed_on:
        result["end"] = day_end(audit.completed_on)
    if observations:
        result["observations"] = observations
        result["findings"] = findings
    return result


def build_assessment_results(organisation: Any, *, at: datetime | None = None) -> dict[str, Any]:
    people = People(organisation)
    results = [_internal_result(a) for a in _internal_audits(organisation) if a.status != "planned"]
    results.extend(
        _external_result(a) for a in _external_audits(organisation) if a.status != "planned"
    )
    if not results:
        results = [
            {
                "uuid": stable_uuid("result", organisation.pk),
                "title": "No audit has started",
                "description": "No internal or external audit has started yet.",
                "start": timestamp(at),
                "reviewed-controls": _reviewed([]),
            }
        ]
    plan = _document_resource("assessment-plan", organisation, f"{organisation.name}: audit plan")
    document = {
        "uuid": stable_uuid("assessment-results", organisation.pk),
        "metadata": people.metadata(f"{organisation.name}: AIMS audit results", at=at),
        "import-ap": {"href": f"#{plan['uuid']}"},
        "results": results,
        "back-matter": {"resources": [plan]},
    }
    return {"assessment-results": document}


def _milestones(actions: Iterable[Any], source: str) -> list[dict[str, Any]]:
    tasks = []
    for action in actions:
        task: dict[str, Any] = {
            "uuid": stable_uuid("milestone", action.pk),
            "type": "milestone",
            "title": one_line(action.title),
            "props": [prop("action-status", action.status), prop("action-source", source)],
        }
        if action.due_date:
            task["timing"] = {"on-date": {"date": day_end(action.due_date)}}
        if action.description:
            task["description"] = action.description
        tasks.append(task)
    return tasks


def _nc_risk(nc: Any, people: People) -> dict[str, Any]:
    actions = [a for a in nc.actions.all() if a.status != "cancelled"]
    risk: dict[str, Any] = {
        "uuid": stable_uuid("poam-risk", nc.pk),
        "title": one_line(f"{nc.reference} {nc.title}"),
        "description": text(nc.description, nc.title),
        "statement": text(nc.root_cause, "Root cause not analysed yet."),
        "props": [
            prop("item-kind", "nonconformity"),
            prop("source", nc.source),
            prop("severity", nc.severity),
            prop("nc-status", nc.status),
        ],
        "status": "open" if nc.status == "open" else "remediating",
    }
    if nc.due_date:
        risk["deadline"] = day_end(nc.due_date)
    if actions:
        risk["remediations"] = [
            {
                "uuid": stable_uuid("remediation", nc.pk),
                "lifecycle": "planned",
                "title": "Corrective actions",
                "description": text(nc.correction, "Corrective actions for the nonconformity."),
                "tasks": _milestones(actions, "corrective-action"),
            }
        ]
    owner = people.party(nc.owner_id)
    if owner:
        risk["origins"] = [{"actors": [{"type": "party", "actor-uuid": owner}]}]
    return risk


def _treatment_risk(risk_row: Any, actions: list[Any], people: People) -> dict[str, Any]:
    dues = [a.due_date for a in actions if a.due_date]
    risk: dict[str, Any] = {
        "uuid": stable_uuid("poam-risk", risk_row.pk),
        "title": one_line(f"{risk_row.reference} {risk_row.title}"),
        "description": text(risk_row.description, risk_row.title),
        "statement": text(risk_row.treatment_plan, "Treatment plan not written yet."),
        "props": [
            prop("item-kind", "risk-treatment"),
            prop("risk-status", risk_row.status),
            prop("inherent-level", risk_row.inherent_level),
        ],
        "status": "remediating",
        "remediations": [
            {
                "uuid": stable_uuid("remediation", risk_row.pk),
                "lifecycle": "planned",
                "title": "Risk treatment actions",
                "description": text(risk_row.treatment_plan, "Risk treatment."),
                "tasks": _milestones(actions, "risk-treatment"),
            }
        ],
    }
    if dues:
        risk["deadline"] = day_end(max(dues))
    owner = people.party(risk_row.owner_id)
    if owner:
        risk["origins"] = [{"actors": [{"type": "party", "actor-uuid": owner}]}]
    return risk


def build_poam(organisation: Any, *, at: datetime | None = None) -> dict[str, Any]:
    from aimwell.improvement.models import Nonconformity
    from aimwell.risks.models import TreatmentAction

    people = People(organisation)
    risks = [
        _nc_risk(nc, people)
        for nc in Nonconformity.objects.filter(organisation_id=organisation.pk)
        .exclude(status="closed")
        .prefetch_related("actions")
        .order_by("reference")
    ]
    open_actions: dict[Any, list[Any]] = {}
    by_risk: dict[Any, Any] = {}
    for action in (
        TreatmentAction.objects.filter(
            organisation_id=organisation.pk, status__in=("open", "in_progress")
        )
        .exclude(risk__status="closed")
        .select_related("risk")
        .order_by("risk__reference", "due_date", "title")
    ):
        open_actions.setdefault(action.risk_id, []).append(action)
        by_risk[action.risk_id] = action.risk
    risks.extend(
        _treatment_risk(by_risk[pk], actions, people) for pk, actions in open_actions.items()
    )
    items = [
        {
            "uuid": stable_uuid("poam-item", r["uuid"]),
            "title": r["title"],
            "description": r["description"],
            "props": [p for p in r["props"] if p["name"] == "item-kind"],
            "related-risks": [{"risk-uuid": r["uuid"]}],
        }
        for r in risks
    ]
    for item, risk in zip(items, risks, strict=True):
        if "deadline" in risk:
            item["props"].append(prop("due-date", risk["deadline"][:10]))
    ssp = _document_resource("ssp", organisation, f"{organisation.name}: SSP")
    document: dict[str, Any] = {
        "uuid": stable_uuid("poam", organisation.pk),
        "metadata": {},
        "import-ssp": {"href": f"#{ssp['uuid']}"},
        "system-id": {"identifier-type": "https://aimwell.dev/ns/oscal", "id": organisation.slug},
        "poam-items": items
        or [
            {
                "uuid": stable_uuid("poam-item", organisation.pk),
                "title": "No open items",
                "description": "No open nonconformity and no open risk treatment action.",
            }
        ],
        "back-matter": {"resources": [ssp]},
    }
    if risks:
        document["risks"] = risks
    document["metadata"] = people.metadata(
        f"{organisation.name}: plan of action and milestones", at=at
    )
    return {"plan-of-action-and-milestones": document}
