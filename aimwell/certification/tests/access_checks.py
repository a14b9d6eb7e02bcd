"""Access checks of the certification routes (collected by the role matrix).

Readers see the project and its audits; AIMS managers and admins run it. The matrix's external
auditor is engaged on the audit with every area in scope, so their reads elsewhere are unchanged;
in the workspace they may add samples, comments, evidence requests and findings. The contributor
owns the evidence request, so they (and managers) answer it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from aimwell.certification import services, workspace
from aimwell.certification.choices import Area
from aimwell.testing import MANAGERS, READERS, Check

NON_GUEST_READERS = READERS - {"external_auditor"}
WORKERS = MANAGERS | {"external_auditor"}


def setup(ctx: dict[str, Any]) -> None:
    org = ctx["org"]
    people = ctx["everyone"]
    manager = people["aims_manager"].user
    project = services.get_or_create_project(org, actor=manager)
    services.update_project(project, actor=manager, body_name="Calder Assurance")
    today = timezone.localdate()
    audit = services.plan_audit(
        project,
        actor=manager,
        kind="stage_1",
        planned_start=today,
        planned_end=today + dt.timedelta(days=1),
        areas=[a.value for a in Area],
    )
    engagement = workspace.grant_engagement(
        audit,
        actor=manager,
        membership=people["external_auditor"].membership,
        ends_at=timezone.now() + dt.timedelta(days=5),
    )
    ask = workspace.ask_evidence(
        engagement,
        actor=manager,
        title="Model validation report",
        owner=people["contributor"].user,
        due_date=today + dt.timedelta(days=3),
    )
    ctx.update(c_audit=audit, c_engagement=engagement, c_ask=ask, c_project=project)


def _a(c: dict[str, Any]) -> str:
    return str(c["c_audit"].pk)


def _e(c: dict[str, Any]) -> str:
    return str(c["c_engagement"].pk)


def _fresh_audit(c: dict[str, Any], kind: str = "special", completed: bool = False) -> Any:
    today = timezone.localdate()
    audit = services.plan_audit(
        c["c_project"], actor="t", kind=kind, planned_start=today, planned_end=today
    )
    if completed:
        services.complete_audit(audit, actor="t", outcome="recommended")
    return audit


def _fresh_engagement(c: dict[str, Any]) -> Any:
    # Revoking it leaves the setup's engagement running, so the guest keeps their access.
    return workspace.grant_engagement(
        c["c_audit"],
        actor="t",
        membership=c["everyone"]["external_auditor"].membership,
        ends_at=timezone.now() + dt.timedelta(days=2),
    )


def _web(name: str, *args: Any) -> Any:
    return lambda c: reverse(f"certification:{name}", args=[a(c) for a in args])


def _ask_url(c: dict[str, Any]) -> str:
    # A fresh open request per call: answering closes it.
    ask = workspace.ask_evidence(
        c["c_engagement"],
        actor="t",
        title="Another report",
        owner=c["everyone"]["contributor"].user,
        due_date=timezone.localdate(),
    )
    return reverse("certification:ask-answer", args=[ask.pk])


def _api_ask(c: dict[str, Any]) -> str:
    url = _ask_url(c).replace("/certification/requests/", "/api/v1/certification/requests/")
    return url.rstrip("/")


def _audit_body(role: str) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "kind": "special",
        "planned_start": today.isoformat(),
        "planned_end": today.isoformat(),
        "title": f"Special by {role}",
    }


def _form(**data: Any) -> Any:
    return lambda role: {k: (v(role) if callable(v) else v) for k, v in data.items()}


WEB: dict[str, Check | str] = {
    "certification:home": Check("GET", _web("home"), READERS, False, ok=200),
    "certification:project": Check("GET", _web("project"), MANAGERS, False),
    "certification:audit-new": Check("GET", _web("audit-new"), MANAGERS, False),
    "certification:audit": Check("GET", _web("audit", _a), READERS, True),
    "certification:audit-edit": Check("GET", _web("audit-edit", _a), MANAGERS, True),
    "certification:audit-step": Check(
        "POST",
        lambda c: reverse("certification:audit-step", args=[_a(c), "finding"]),
        MANAGERS,
        True,
        body=_form(grade="observation", title=lambda r: f"Observed by {r}"),
        ok=302,
    ),
    "certification:certificate-new": Check("GET", _web("certificate-new"), MANAGERS, False),
    "certification:workspace": Check("GET", _web("workspace", _e), READERS, True),
    "certification:workspace-pick": Check(
        "GET",
        lambda c: reverse("certification:workspace-pick", args=[_e(c)]) + "?object_type=system&q=a",
        WORKERS,
        True,
    ),
    "certification:workspace-members": Check(
        "GET",
        lambda c: reverse("certification:workspace-members", args=[_e(c)]) + "?q=a",
        WORKERS,
        True,
    ),
    "certification:workspace-step": Check(
        "POST",
        lambda c: reverse("certification:workspace-step", args=[_e(c), "comment"]),
        WORKERS,
        True,
        body=_form(body=lambda r: f"Comment by {r}"),
        ok=302,
    ),
    "certification:ask-answer": Check(
        "POST",
        _ask_url,
        MANAGERS | {"contributor"},
        True,
        body=_form(answer="See the attached report."),
        ok=302,
    ),
}

API_P = "/api/v1/certification"
API: dict[tuple[str, str], Check] = {
    ("GET", API_P + "/project"): Check(
        "GET", lambda c: API_P + "/project", NON_GUEST_READERS, False
    ),
    ("PUT", API_P + "/project"): Check(
        "PUT",
        lambda c: API_P + "/project",
        MANAGERS,
        False,
        body=lambda role: {"body_name": f"Body by {role}"},
    ),
    ("GET", API_P + "/status"): Check("GET", lambda c: API_P + "/status", NON_GUEST_READERS, False),
    ("GET", API_P + "/audits"): Check("GET", lambda c: API_P + "/audits", READERS, False),
    ("POST", API_P + "/audits"): Check(
        "POST", lambda c: API_P + "/audits", MANAGERS, False, body=_audit_body, ok=201
    ),
    ("GET", API_P + "/audits/{audit_id}"): Check(
        "GET", lambda c: f"{API_P}/audits/{_a(c)}", READERS, True
    ),
    ("PATCH", API_P + "/audits/{audit_id}"): Check(
        "PATCH",
        lambda c: f"{API_P}/audits/{_a(c)}",
        MANAGERS,
        True,
        body=lambda role: {"plan": f"Planned by {role}"},
    ),
    ("POST", API_P + "/audits/{audit_id}/status"): Check(
        "POST",
        lambda c: f"{API_P}/audits/{_fresh_audit(c).pk}/status",
        MANAGERS,
        True,
        body=lambda role: {"action": "start"},
    ),
    ("GET", API_P + "/audits/{audit_id}/checklist"): Check(
        "GET", lambda c: f"{API_P}/audits/{_a(c)}/checklist", READERS, True
    ),
    ("GET", API_P + "/audits/{audit_id}/findings"): Check(
        "GET", lambda c: f"{API_P}/audits/{_a(c)}/findings", READERS, True
    ),
    ("POST", API_P + "/audits/{audit_id}/findings"): Check(
        "POST",
        lambda c: f"{API_P}/audits/{_a(c)}/findings",
        MANAGERS,
        True,
        body=lambda role: {"grade": "ofi", "title": f"Idea from {role}"},
        ok=201,
    ),
    ("GET", API_P + "/certificates"): Check(
        "GET", lambda c: API_P + "/certificates", NON_GUEST_READERS, False
    ),
    ("POST", API_P + "/certificates"): Check(
        "POST",
        lambda c: API_P + "/certificates",
        MANAGERS,
        False,
        body=lambda role, c: {
            "number": f"C-{role}",
            "issued_on": "2026-01-01",
            "scope": "All AI systems",
            "audit_id": str(_fresh_audit(c, "stage_2", completed=True).pk),
        },
        ok=201,
    ),
    ("GET", API_P + "/engagements"): Check("GET", lambda c: API_P + "/engagements", READERS, False),
    ("POST", API_P + "/engagements"): Check(
        "POST",
        lambda c: API_P + "/engagements",
        MANAGERS,
        False,
        body=lambda role, c: {
            "audit_id": _a(c),
            "guest_email": c["everyone"]["external_auditor"].user.email,
            "ends_at": (timezone.now() + dt.timedelta(days=3)).isoformat(),
        },
        ok=201,
    ),
    ("GET", API_P + "/engagements/{engagement_id}"): Check(
        "GET", lambda c: f"{API_P}/engagements/{_e(c)}", READERS, True
    ),
    ("POST", API_P + "/engagements/{engagement_id}/revoke"): Check(
        "POST", lambda c: f"{API_P}/engagements/{_fresh_engagement(c).pk}/revoke", MANAGERS, True
    ),
    ("POST", API_P + "/engagements/{engagement_id}/samples"): Check(
        "POST",
        lambda c: f"{API_P}/engagements/{_e(c)}/samples",
        WORKERS,
        True,
        body=lambda role: {"object_type": "record", "label": f"Interview notes ({role})"},
        ok=201,
    ),
    ("POST", API_P + "/engagements/{engagement_id}/comments"): Check(
        "POST",
        lambda c: f"{API_P}/engagements/{_e(c)}/comments",
        WORKERS,
        True,
        body=lambda role: {"body": f"Noted by {role}"},
        ok=201,
    ),
    ("POST", API_P + "/engagements/{engagement_id}/requests"): Check(
        "POST",
        lambda c: f"{API_P}/engagements/{_e(c)}/requests",
        WORKERS,
        True,
        body=lambda role, c: {
            "title": f"Logs for {role}",
            "owner_email": c["everyone"]["contributor"].user.email,
            "due_date": timezone.localdate().isoformat(),
        },
        ok=201,
    ),
    ("POST", API_P + "/engagements/{engagement_id}/findings"): Check(
        "POST",
        lambda c: f"{API_P}/engagements/{_e(c)}/findings",
        WORKERS,
        True,
        body=lambda role: {"grade": "observation", "title": f"Seen by {role}"},
        ok=201,
    ),
    ("GET", API_P + "/requests"): Check("GET", lambda c: API_P + "/requests", READERS, False),
    ("POST", API_P + "/requests/{request_id}/answer"): Check(
        "POST",
        _api_ask,
        MANAGERS | {"contributor"},
        True,
        body=lambda role: {"answer": f"Answered by {role}"},
    ),
}
