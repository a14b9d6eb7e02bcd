"""The objects every operations app's access checks use, made once by `setup`, the helpers that
build those checks, and the check of the /operations/ overview (collected by the role matrix).

Routes that consume their object (start, report, verify, close, complete, hold) get a fresh one
on every call, so each allowed role meets the state the route expects. The nonconformities that
are verified and closed belong to the staff member, so no allowed role verifies their own."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.urls import reverse

from aimwell.competence import services as training
from aimwell.improvement import services as improvement
from aimwell.incidents import services as incidents
from aimwell.internal_audit import services as audits
from aimwell.inventory import services as inventory
from aimwell.inventory.models import AISystem
from aimwell.management_review import services as reviews
from aimwell.notifications.models import Notification
from aimwell.objectives import services as objectives
from aimwell.operations.tests.factories import node
from aimwell.testing import MANAGERS, ROLES, Check

EVERYONE = set(ROLES)
PARTICIPANTS = EVERYONE - {"external_auditor"}
AUDIT_WRITERS = MANAGERS | {"internal_auditor"}
OWNER_WRITERS = MANAGERS | {"contributor"}
TODAY = dt.date(2026, 3, 2)
numbers = itertools.count(1)
API_ROOT = "/api/v1"


def user_of(c: dict[str, Any], role: str) -> Any:
    return c["everyone"][role].user


def new_audit(c: dict[str, Any], *, started: bool = True, **kw: Any) -> Any:
    audit = audits.create_audit(
        c["org"],
        actor="t",
        title=f"Audit {next(numbers)}",
        scope="Monitoring",
        planned_start=TODAY,
        planned_end=TODAY + dt.timedelta(days=2),
        lead_auditor=user_of(c, "internal_auditor"),
        requirements=[node("9.1")],
        **kw,
    )
    if started:
        audits.start_audit(audit, actor="t")
    return audit


def assessed_audit(c: dict[str, Any]) -> Any:
    audit = new_audit(c)
    for item in audit.checklist.all():
        audits.assess(item, actor="t", result="conforming")
    return audit


def new_nc(c: dict[str, Any], owner: str = "contributor", state: str = "open") -> Any:
    nc = improvement.raise_nonconformity(
        c["org"],
        actor="t",
        title=f"NC {next(numbers)}",
        description="d",
        source="other",
        owner=user_of(c, owner),
        due_date=TODAY,
    )
    if state in ("verification", "verified"):
        improvement.record_correction(nc, actor="t", correction="fixed")
        improvement.record_root_cause(nc, actor="t", root_cause="cause")
        action = improvement.add_corrective_action(
            nc, actor="t", title="act", owner=user_of(c, owner), due_date=TODAY
        )
        improvement.complete_action(action, actor="t")
        nc.refresh_from_db()
    if state == "verified":
        improvement.verify_effectiveness(nc, actor="t", result="effective", notes="ok")
    return nc


def new_action(c: dict[str, Any]) -> Any:
    return improvement.add_review_action(
        c["ops_review"],
        actor="t",
        title=f"Action {next(numbers)}",
        owner=user_of(c, "contributor"),
        due_date=TODAY,
    )


def new_review(c: dict[str, Any], *, gathered: bool = False) -> Any:
    review = reviews.plan_review(
        c["org"],
        actor="t",
        title=f"Review {next(numbers)}",
        planned_on=TODAY,
        chair=user_of(c, "aims_manager"),
    )
    if gathered:
        reviews.gather_inputs(review, actor="t")
    return review


def setup(ctx: dict[str, Any]) -> None:
    org = ctx["org"]
    contributor = user_of(ctx, "contributor")
    system = inventory.create(
        AISystem, org, actor="t", name="Ops check system", purpose="Scoring", owner=contributor
    )
    ctx["ops_system"] = system
    ctx["ops_programme"] = audits.create_programme(
        org, actor="t", title="Cycle 2026", cycle_start=TODAY, cycle_end=TODAY.replace(year=2027)
    )
    ctx["ops_audit"] = new_audit(ctx, programme=ctx["ops_programme"])
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
    ctx["ops_review"] = new_review(ctx)
    ctx["ops_action"] = new_action(ctx)
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
        org, reporter=user_of(ctx, "staff"), category="bias", description="Unfair refusals"
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
        organisation=org, user=user_of(ctx, "admin"), kind="test", title="Hello", key="test:1"
    )


def org_course(ctx: dict[str, Any]) -> Any:
    from aimwell.competence.models import Course

    return Course.objects.get(organisation=ctx["org"], key="aims-foundations")


def email_of(c: dict[str, Any], role: str, who: str) -> str:
    """A member's email, except for the outsider, whose error must not name our members."""
    return user_of(c, who).email if role != "outsider" else "nobody@elsewhere.example"


def api_path(path: str) -> str:
    return API_ROOT + path


def api_get(path: str, allowed: set[str], key: str | None = None) -> Check:
    if key is None:
        return Check("GET", lambda c: api_path(path), allowed, object=False)
    return Check("GET", lambda c: api_path(path.format(pk=c[key].pk)), allowed, object=True)


def page_check(name: str, allowed: set[str], key: str | None = None) -> Check:
    if key is None:
        return Check("GET", lambda c: reverse(name), allowed, object=False)
    return Check("GET", lambda c: reverse(name, args=[c[key].pk]), allowed, object=True)


def post_check(url: Any, allowed: set[str], body: Any = None, **kw: Any) -> Check:
    return Check("POST", url, allowed, object=True, ok=302, body=body, **kw)


WEB: dict[str, Check | str] = {
    "operations:home": page_check("operations:home", EVERYONE),
}
