"""Access checks of the operations routes (collected by the role matrix).

Routes that consume their object (start, report, verify, close, complete, hold) get a fresh one
on every call, so each allowed role meets the state the route expects. The nonconformities that
are verified and closed belong to the staff member, so no allowed role verifies their own."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.urls import reverse

from aimwell.inventory import services as inventory
from aimwell.inventory.models import AISystem
from aimwell.operations.models import Notification
from aimwell.operations.services import (
    audits,
    improvement,
    incidents,
    objectives,
    reviews,
    training,
)
from aimwell.operations.tests.factories import node
from aimwell.testing import MANAGERS, READERS, ROLES, Check

EVERYONE = set(ROLES)
PARTICIPANTS = EVERYONE - {"external_auditor"}
AUDIT_WRITERS = MANAGERS | {"internal_auditor"}
OWNER_WRITERS = MANAGERS | {"contributor"}
TODAY = dt.date(2026, 3, 2)
_n = itertools.count(1)
API_ROOT = "/api/v1"


def _user(c: dict[str, Any], role: str) -> Any:
    return c["everyone"][role].user


def _audit(c: dict[str, Any], *, started: bool = True, **kw: Any) -> Any:
    audit = audits.create_audit(
        c["org"],
        actor="t",
        title=f"Audit {next(_n)}",
        scope="Monitoring",
        planned_start=TODAY,
        planned_end=TODAY + dt.timedelta(days=2),
        lead_auditor=_user(c, "internal_auditor"),
        requirements=[node("9.1")],
        **kw,
    )
    if started:
        audits.start_audit(audit, actor="t")
    return audit


def _assessed_audit(c: dict[str, Any]) -> Any:
    audit = _audit(c)
    for item in audit.checklist.all():
        audits.assess(item, actor="t", result="conforming")
    return audit


def _nc(c: dict[str, Any], owner: str = "contributor", state: str = "open") -> Any:
    nc = improvement.raise_nonconformity(
        c["org"],
        actor="t",
        title=f"NC {next(_n)}",
        description="d",
        source="other",
        owner=_user(c, owner),
        due_date=TODAY,
    )
    if state in ("verification", "verified"):
        improvement.record_correction(nc, actor="t", correction="fixed")
        improvement.record_root_cause(nc, actor="t", root_cause="cause")
        action = improvement.add_corrective_action(
            nc, actor="t", title="act", owner=_user(c, owner), due_date=TODAY
        )
        improvement.complete_action(action, actor="t")
        nc.refresh_from_db()
    if state == "verified":
        improvement.verify_effectiveness(nc, actor="t", result="effective", notes="ok")
    return nc


def _action(c: dict[str, Any]) -> Any:
    return improvement.add_review_action(
        c["ops_review"],
        actor="t",
        title=f"Action {next(_n)}",
        owner=_user(c, "contributor"),
        due_date=TODAY,
    )


def _review(c: dict[str, Any], *, gathered: bool = False) -> Any:
    review = reviews.plan_review(
        c["org"],
        actor="t",
        title=f"Review {next(_n)}",
        planned_on=TODAY,
        chair=_user(c, "aims_manager"),
    )
    if gathered:
        reviews.gather_inputs(review, actor="t")
    return review


def setup(ctx: dict[str, Any]) -> None:
    org = ctx["org"]
    contributor = _user(ctx, "contributor")
    system = inventory.create(
        AISystem, org, actor="t", name="Ops check system", purpose="Scoring", owner=contributor
    )
    ctx["ops_system"] = system
    ctx["ops_programme"] = audits.create_programme(
        org, actor="t", title="Cycle 2026", cycle_start=TODAY, cycle_end=TODAY.replace(year=2027)
    )
    ctx["ops_audit"] = _audit(ctx, programme=ctx["ops_programme"])
    ctx["ops_item"] = ctx["ops_audit"].checklist.first()
    ctx["ops_finding"] = audits.add_finding(
        ctx["ops_audit"],
        actor="t",
        kind="minor_nc",
        title="Gap",
        description="d",
        owner=contributor,
    )
    ctx["ops_nc"] = ctx["ops_finding"].nonconformity
    improvement.record_root_cause(ctx["ops_nc"], actor="t", root_cause="cause")
    ctx["ops_review"] = _review(ctx)
    ctx["ops_action"] = _action(ctx)
    ctx["ops_incident"] = incidents.record_incident(
        org,
        actor="t",
        title="Wrong refusals",
        description="d",
        severity="high",
        systems=[system],
        owner=contributor,
        is_serious=True,
        serious_kind="fundamental_rights",
    )
    ctx["ops_concern"], ctx["ops_code"] = incidents.report_concern(
        org, reporter=_user(ctx, "staff"), category="bias", description="Unfair refusals"
    )
    ctx["ops_objective"] = objectives.create_objective(
        org,
        actor="t",
        title="Approval parity",
        measure="ratio",
        target=0.8,
        due_date=TODAY.replace(year=2027),
        owner=contributor,
    )
    training.install_library(org, actor="t")
    ctx["ops_course"] = org_course(ctx)
    ctx["ops_notification"] = Notification.objects.create(
        organisation=org, user=_user(ctx, "admin"), kind="test", title="Hello", key="test:1"
    )


def org_course(ctx: dict[str, Any]) -> Any:
    from aimwell.operations.models import Course

    return Course.objects.get(organisation=ctx["org"], key="aims-foundations")


def _email(c: dict[str, Any], role: str, who: str) -> str:
    """A member's email, except for the outsider, whose error must not name our members."""
    return _user(c, who).email if role != "outsider" else "nobody@elsewhere.example"


def _api(path: str) -> str:
    return API_ROOT + path


def _get(path: str, allowed: set[str], key: str | None = None) -> Check:
    if key is None:
        return Check("GET", lambda c: _api(path), allowed, object=False)
    return Check("GET", lambda c: _api(path.format(pk=c[key].pk)), allowed, object=True)


API: dict[tuple[str, str], Check] = {
    # Programmes and audits
    ("GET", _api("/audit-programmes")): _get("/audit-programmes", READERS),
    ("POST", _api("/audit-programmes")): Check(
        "POST",
        lambda c: _api("/audit-programmes"),
        AUDIT_WRITERS,
        object=False,
        ok=201,
        body=lambda role: {
            "title": f"Programme {role}",
            "cycle_start": "2026-01-01",
            "cycle_end": "2026-12-31",
        },
    ),
    ("GET", _api("/audit-programmes/{programme_id}")): _get(
        "/audit-programmes/{pk}", READERS, "ops_programme"
    ),
    ("PATCH", _api("/audit-programmes/{programme_id}")): Check(
        "PATCH",
        lambda c: _api(f"/audit-programmes/{c['ops_programme'].pk}"),
        AUDIT_WRITERS,
        object=True,
        body=lambda role: {"objectives": f"Cover everything ({role})"},
    ),
    ("GET", _api("/audits")): _get("/audits", READERS),
    ("POST", _api("/audits")): Check(
        "POST",
        lambda c: _api("/audits"),
        AUDIT_WRITERS,
        object=False,
        ok=201,
        body=lambda role, c: {
            "title": f"Audit by {role}",
            "scope": "Monitoring",
            "planned_start": "2026-03-01",
            "planned_end": "2026-03-02",
            "lead_auditor_email": _email(c, role, "internal_auditor"),
            "requirement_urns": ["iso42001:2023:9.1"],
        },
    ),
    ("GET", _api("/audits/{audit_id}")): _get("/audits/{pk}", READERS, "ops_audit"),
    ("PATCH", _api("/audits/{audit_id}")): Check(
        "PATCH",
        lambda c: _api(f"/audits/{c['ops_audit'].pk}"),
        AUDIT_WRITERS,
        object=True,
        body=lambda role: {"criteria": f"ISO/IEC 42001 ({role})"},
    ),
    ("POST", _api("/audits/{audit_id}/start")): Check(
        "POST",
        lambda c: _api(f"/audits/{_audit(c, started=False).pk}/start"),
        AUDIT_WRITERS,
        object=True,
    ),
    ("POST", _api("/audits/{audit_id}/sample")): Check(
        "POST",
        lambda c: _api(f"/audits/{c['ops_audit'].pk}/sample"),
        AUDIT_WRITERS,
        object=True,
        body=lambda role: {"size": 1, "seed": 3},
    ),
    ("PATCH", _api("/audits/{audit_id}/checklist/{item_id}")): Check(
        "PATCH",
        lambda c: _api(f"/audits/{c['ops_audit'].pk}/checklist/{c['ops_item'].pk}"),
        AUDIT_WRITERS,
        object=True,
        body=lambda role: {"result": "conforming", "notes": role},
    ),
    ("POST", _api("/audits/{audit_id}/findings")): Check(
        "POST",
        lambda c: _api(f"/audits/{c['ops_audit'].pk}/findings"),
        AUDIT_WRITERS,
        object=True,
        ok=201,
        body=lambda role: {"kind": "observation", "title": f"Note {role}", "description": "d"},
    ),
    ("POST", _api("/audits/{audit_id}/report")): Check(
        "POST",
        lambda c: _api(f"/audits/{_assessed_audit(c).pk}/report"),
        AUDIT_WRITERS,
        object=True,
        body=lambda role: {"conclusion": "Conforming"},
    ),
    ("GET", _api("/findings")): _get("/findings", READERS),
    # Nonconformities and actions
    ("GET", _api("/nonconformities")): _get("/nonconformities", READERS),
    ("POST", _api("/nonconformities")): Check(
        "POST",
        lambda c: _api("/nonconformities"),
        AUDIT_WRITERS,
        object=False,
        ok=201,
        body=lambda role: {"title": f"NC by {role}", "description": "d", "source": "complaint"},
    ),
    ("GET", _api("/nonconformities/{nc_id}")): _get("/nonconformities/{pk}", READERS, "ops_nc"),
    ("PATCH", _api("/nonconformities/{nc_id}")): Check(
        "PATCH",
        lambda c: _api(f"/nonconformities/{c['ops_nc'].pk}"),
        OWNER_WRITERS,
        object=True,
        body=lambda role: {"description": f"Described by {role}"},
    ),
    ("POST", _api("/nonconformities/{nc_id}/correction")): Check(
        "POST",
        lambda c: _api(f"/nonconformities/{c['ops_nc'].pk}/correction"),
        OWNER_WRITERS,
        object=True,
        body=lambda role: {"correction": f"Fixed by {role}"},
    ),
    ("POST", _api("/nonconformities/{nc_id}/root-cause")): Check(
        "POST",
        lambda c: _api(f"/nonconformities/{c['ops_nc'].pk}/root-cause"),
        OWNER_WRITERS,
        object=True,
        body=lambda role: {"root_cause": f"Found by {role}", "method": "5 whys"},
    ),
    ("POST", _api("/nonconformities/{nc_id}/actions")): Check(
        "POST",
        lambda c: _api(f"/nonconformities/{c['ops_nc'].pk}/actions"),
        OWNER_WRITERS,
        object=True,
        ok=201,
        body=lambda role: {"title": f"Action of {role}"},
    ),
    ("POST", _api("/nonconformities/{nc_id}/verification")): Check(
        "POST",
        lambda c: _api(f"/nonconformities/{_nc(c, 'staff', 'verification').pk}/verification"),
        AUDIT_WRITERS,
        object=True,
        body=lambda role: {"result": "effective", "notes": "ok"},
    ),
    ("POST", _api("/nonconformities/{nc_id}/close")): Check(
        "POST",
        lambda c: _api(f"/nonconformities/{_nc(c, 'staff', 'verified').pk}/close"),
        AUDIT_WRITERS,
        object=True,
        body=lambda role: {},
    ),
    ("GET", _api("/actions")): _get("/actions", READERS),
    ("GET", _api("/actions/{action_id}")): _get("/actions/{pk}", READERS, "ops_action"),
    ("PATCH", _api("/actions/{action_id}")): Check(
        "PATCH",
        lambda c: _api(f"/actions/{c['ops_action'].pk}"),
        OWNER_WRITERS,
        object=True,
        body=lambda role: {"description": f"By {role}"},
    ),
    ("POST", _api("/actions/{action_id}/complete")): Check(
        "POST",
        lambda c: _api(f"/actions/{_action(c).pk}/complete"),
        OWNER_WRITERS,
        object=True,
        body=lambda role: {"note": "done"},
    ),
    ("POST", _api("/actions/{action_id}/cancel")): Check(
        "POST",
        lambda c: _api(f"/actions/{_action(c).pk}/cancel"),
        OWNER_WRITERS,
        object=True,
        body=lambda role: {"reason": "superseded"},
    ),
    # Management reviews
    ("GET", _api("/management-reviews")): _get("/management-reviews", READERS),
    ("POST", _api("/management-reviews")): Check(
        "POST",
        lambda c: _api("/management-reviews"),
        MANAGERS,
        object=False,
        ok=201,
        body=lambda role: {"title": f"Review by {role}", "planned_on": "2026-06-01"},
    ),
    ("GET", _api("/management-reviews/{review_id}")): _get(
        "/management-reviews/{pk}", READERS, "ops_review"
    ),
    ("PATCH", _api("/management-reviews/{review_id}")): Check(
        "PATCH",
        lambda c: _api(f"/management-reviews/{c['ops_review'].pk}"),
        MANAGERS,
        object=True,
        body=lambda role: {"attendees": f"{role}"},
    ),
    ("POST", _api("/management-reviews/{review_id}/inputs")): Check(
        "POST",
        lambda c: _api(f"/management-reviews/{c['ops_review'].pk}/inputs"),
        MANAGERS,
        object=True,
    ),
    ("POST", _api("/management-reviews/{review_id}/hold")): Check(
        "POST",
        lambda c: _api(f"/management-reviews/{_review(c, gathered=True).pk}/hold"),
        MANAGERS,
        object=True,
        body=lambda role: {"held_on": "2026-03-02", "conclusions": "Suitable and effective"},
    ),
    ("POST", _api("/management-reviews/{review_id}/actions")): Check(
        "POST",
        lambda c: _api(f"/management-reviews/{c['ops_review'].pk}/actions"),
        MANAGERS,
        object=True,
        ok=201,
        body=lambda role: {"title": f"Decision of {role}"},
    ),
    # Incidents
    ("GET", _api("/incidents")): _get("/incidents", READERS),
    ("POST", _api("/incidents")): Check(
        "POST",
        lambda c: _api("/incidents"),
        OWNER_WRITERS,
        object=False,
        ok=201,
        body=lambda role: {"title": f"Incident by {role}", "description": "d", "severity": "low"},
    ),
    ("GET", _api("/incidents/{incident_id}")): _get("/incidents/{pk}", READERS, "ops_incident"),
    ("PATCH", _api("/incidents/{incident_id}")): Check(
        "PATCH",
        lambda c: _api(f"/incidents/{c['ops_incident'].pk}"),
        OWNER_WRITERS,
        object=True,
        body=lambda role: {"response": f"Contained by {role}"},
    ),
    ("POST", _api("/incidents/{incident_id}/authority-report")): Check(
        "POST",
        lambda c: _api(f"/incidents/{c['ops_incident'].pk}/authority-report"),
        OWNER_WRITERS,
        object=True,
        body=lambda role: {"reported_on": "2026-03-03", "authority": "Market surveillance"},
    ),
    ("POST", _api("/incidents/{incident_id}/nonconformity")): Check(
        "POST",
        lambda c: _api(f"/incidents/{c['ops_incident'].pk}/nonconformity"),
        OWNER_WRITERS,
        object=True,
        ok=201,
        body=lambda role: {"title": f"From {role}"},
    ),
    # Concerns
    ("POST", _api("/concerns")): Check(
        "POST",
        lambda c: _api("/concerns"),
        PARTICIPANTS,
        object=False,
        ok=201,
        body=lambda role: {
            "category": "bias",
            "description": f"Worry of {role}",
            "anonymous": True,
        },
    ),
    ("GET", _api("/concerns")): _get("/concerns", MANAGERS),
    ("GET", _api("/concerns/mine")): _get("/concerns/mine", PARTICIPANTS),
    ("POST", _api("/concerns/status")): Check(
        "POST",
        lambda c: _api("/concerns/status"),
        PARTICIPANTS,
        object=True,
        body=lambda role, c: {"code": c["ops_code"]},
    ),
    ("GET", _api("/concerns/{concern_id}")): _get("/concerns/{pk}", MANAGERS, "ops_concern"),
    ("POST", _api("/concerns/{concern_id}/triage")): Check(
        "POST",
        lambda c: _api(f"/concerns/{c['ops_concern'].pk}/triage"),
        MANAGERS,
        object=True,
        body=lambda role: {"status": "investigating", "triage_notes": role},
    ),
    # Objectives
    ("GET", _api("/ai-objectives")): _get("/ai-objectives", READERS),
    ("POST", _api("/ai-objectives")): Check(
        "POST",
        lambda c: _api("/ai-objectives"),
        MANAGERS,
        object=False,
        ok=201,
        body=lambda role: {
            "title": f"Objective of {role}",
            "measure": "rate",
            "target": 1,
            "due_date": "2026-12-31",
        },
    ),
    ("GET", _api("/ai-objectives/{objective_id}")): _get(
        "/ai-objectives/{pk}", READERS, "ops_objective"
    ),
    ("PATCH", _api("/ai-objectives/{objective_id}")): Check(
        "PATCH",
        lambda c: _api(f"/ai-objectives/{c['ops_objective'].pk}"),
        OWNER_WRITERS,
        object=True,
        body=lambda role: {"description": f"By {role}"},
    ),
    ("POST", _api("/ai-objectives/{objective_id}/measurements")): Check(
        "POST",
        lambda c: _api(f"/ai-objectives/{c['ops_objective'].pk}/measurements"),
        OWNER_WRITERS,
        object=True,
        ok=201,
        body=lambda role: {"value": 0.7},
    ),
    # Training
    ("GET", _api("/trainings")): _get("/trainings", EVERYONE),
    ("POST", _api("/trainings")): Check(
        "POST",
        lambda c: _api("/trainings"),
        MANAGERS,
        object=False,
        ok=201,
        body=lambda role: {"key": f"course-{role.replace('_', '-')}", "title": f"For {role}"},
    ),
    ("GET", _api("/trainings/{course_id}")): _get("/trainings/{pk}", EVERYONE, "ops_course"),
    ("PATCH", _api("/trainings/{course_id}")): Check(
        "PATCH",
        lambda c: _api(f"/trainings/{c['ops_course'].pk}"),
        MANAGERS,
        object=True,
        body=lambda role: {"summary": f"By {role}"},
    ),
    ("POST", _api("/trainings/{course_id}/quiz")): Check(
        "POST",
        lambda c: _api(f"/trainings/{c['ops_course'].pk}/quiz"),
        PARTICIPANTS,
        object=True,
        ok=201,
        body=lambda role: {"answers": [1, 0, 1, 2]},
    ),
    ("POST", _api("/trainings/{course_id}/records")): Check(
        "POST",
        lambda c: _api(f"/trainings/{c['ops_course'].pk}/records"),
        MANAGERS,
        object=True,
        ok=201,
        body=lambda role, c: {"user_email": _email(c, role, "staff"), "completed_on": "2026-01-10"},
    ),
    ("GET", _api("/training-records")): _get("/training-records", PARTICIPANTS),
    ("GET", _api("/training-gaps")): _get("/training-gaps", READERS),
    # Notifications (personal)
    ("GET", _api("/notifications")): _get("/notifications", EVERYONE),
    ("POST", _api("/notifications/{notification_id}/read")): Check(
        "POST",
        lambda c: _api(f"/notifications/{c['ops_notification'].pk}/read"),
        {"admin"},
        object=True,
        personal=True,
    ),
}


def _web(name: str, allowed: set[str], key: str | None = None) -> Check:
    if key is None:
        return Check("GET", lambda c: reverse(f"operations:{name}"), allowed, object=False)
    return Check(
        "GET", lambda c: reverse(f"operations:{name}", args=[c[key].pk]), allowed, object=True
    )


def _post(url: Any, allowed: set[str], body: Any = None, **kw: Any) -> Check:
    return Check("POST", url, allowed, object=True, ok=302, body=body, **kw)


WEB: dict[str, Check | str] = {
    "operations:home": _web("home", EVERYONE),
    "operations:programmes": _web("programmes", READERS),
    "operations:programme": _web("programme", READERS, "ops_programme"),
    "operations:audits": _web("audits", READERS),
    "operations:audit-new": _web("audit-new", AUDIT_WRITERS),
    "operations:audit": _web("audit", READERS, "ops_audit"),
    "operations:audit-report": _web("audit-report", READERS, "ops_audit"),
    "operations:audit-edit": _web("audit-edit", AUDIT_WRITERS, "ops_audit"),
    "operations:nc-edit": _web("nc-edit", OWNER_WRITERS, "ops_nc"),
    "operations:objective-edit": _web("objective-edit", OWNER_WRITERS, "ops_objective"),
    "operations:course-new": _web("course-new", MANAGERS),
    "operations:course-edit": _web("course-edit", MANAGERS, "ops_course"),
    "operations:audit-report-pdf": _web("audit-report-pdf", READERS, "ops_audit"),
    "operations:audit-assess": _post(
        lambda c: reverse("operations:audit-assess", args=[c["ops_audit"].pk, c["ops_item"].pk]),
        AUDIT_WRITERS,
        lambda role: {"result": "conforming", "notes": role},
    ),
    "operations:audit-step": _post(
        lambda c: reverse("operations:audit-step", args=[c["ops_audit"].pk, "sample"]),
        AUDIT_WRITERS,
        lambda role: {"size": 1},
    ),
    "operations:ncs": _web("ncs", READERS),
    "operations:nc-new": _web("nc-new", AUDIT_WRITERS),
    "operations:nonconformity": _web("nonconformity", READERS, "ops_nc"),
    "operations:nc-step": _post(
        lambda c: reverse("operations:nc-step", args=[c["ops_nc"].pk, "correction"]),
        OWNER_WRITERS,
        lambda role: {"correction": f"Contained by {role}"},
    ),
    "operations:actions": _web("actions", READERS),
    "operations:action": _web("action", READERS, "ops_action"),
    "operations:action-step": _post(
        lambda c: reverse("operations:action-step", args=[_action(c).pk, "complete"]),
        OWNER_WRITERS,
        lambda role: {"note": role},
    ),
    "operations:reviews": _web("reviews", READERS),
    "operations:review-new": _web("review-new", MANAGERS),
    "operations:review": _web("review", READERS, "ops_review"),
    "operations:review-step": _post(
        lambda c: reverse("operations:review-step", args=[c["ops_review"].pk, "inputs"]), MANAGERS
    ),
    "operations:incidents": _web("incidents", READERS),
    "operations:incident-new": _web("incident-new", OWNER_WRITERS),
    "operations:incident": _web("incident", READERS, "ops_incident"),
    "operations:incident-step": _post(
        lambda c: reverse("operations:incident-step", args=[c["ops_incident"].pk, "update"]),
        OWNER_WRITERS,
        lambda role: {"status": "contained", "response": f"Contained by {role}"},
    ),
    "operations:concerns": _web("concerns", MANAGERS),
    "operations:concern-report": _web("concern-report", PARTICIPANTS),
    "operations:concerns-mine": _web("concerns-mine", PARTICIPANTS),
    "operations:concern": _web("concern", MANAGERS, "ops_concern"),
    "operations:objectives": _web("objectives", READERS),
    "operations:objective-new": _web("objective-new", MANAGERS),
    "operations:objective": _web("objective", READERS, "ops_objective"),
    "operations:training": _web("training", EVERYONE),
    "operations:training-matrix": _web("training-matrix", READERS),
    "operations:course": _web("course", EVERYONE, "ops_course"),
    "operations:notifications": _web("notifications", EVERYONE),
    "operations:notification-read": _post(
        lambda c: reverse("operations:notification-read", args=[c["ops_notification"].pk]),
        {"admin"},
        personal=True,
    ),
}
