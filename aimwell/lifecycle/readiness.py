"""What the life-cycle records tell readiness (through aimwell.controls.hooks): clause 6.3 and
controls A.6.2.2-A.6.2.8 are judged from the change requests and each AI system's records, for
the systems in scope (retired ones excluded)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from aimwell.change_control.choices import ChangeStatus
from aimwell.change_control.models import ChangeRequest
from aimwell.controls.hooks import RequirementCheck
from aimwell.inventory.models import AISystem
from aimwell.lifecycle import status
from aimwell.lifecycle.choices import RecordStatus
from aimwell.lifecycle.models import (
    DeploymentApproval,
    DesignRecord,
    LoggingPolicy,
    RequirementsSpec,
    VVPlan,
)

IN_USE_DAYS = 365


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def requirement_checks(organisation: Any) -> dict[str, list[RequirementCheck]]:
    """Counts of the systems in scope from one aggregate (each record judged by `EXISTS` on the
    system's own row, one record of each kind per system); only the systems whose judgement
    needs their whole life cycle (a frozen V&V plan's criteria, a deployment approval against the
    models the system runs) are loaded, not every system in scope."""
    from aimwell.monitoring.models import Monitor

    systems = AISystem.objects.filter(organisation_id=organisation.pk, in_scope=True).exclude(
        lifecycle_stage="retired"
    )
    own = {"system_id": OuterRef("pk")}
    spec = Q(Exists(RequirementsSpec.objects.filter(status=RecordStatus.APPROVED, **own)))
    design = Q(Exists(DesignRecord.objects.filter(status=RecordStatus.APPROVED, **own)))
    frozen = Q(Exists(VVPlan.objects.filter(frozen_at__isnull=False, **own)))
    logging = Q(Exists(LoggingPolicy.objects.filter(**own)))
    deployed = Q(lifecycle_stage="deployed")
    high = Q(risk_class="high_risk")
    counts = systems.aggregate(
        n=Count("pk"),
        approved_spec=Count("pk", filter=spec),
        approved_design=Count("pk", filter=design),
        frozen=Count("pk", filter=frozen),
        logged=Count("pk", filter=logging),
        n_deployed=Count("pk", filter=deployed),
        monitored=Count(
            "pk", filter=deployed & Q(Exists(Monitor.objects.filter(is_active=True, **own)))
        ),
        n_high=Count("pk", filter=high),
        documented=Count("pk", filter=high & spec & design & frozen & logging),
    )
    judged = systems.filter(
        frozen | (deployed & Q(Exists(DeploymentApproval.objects.filter(**own))))
    )
    entries = list(status.load(judged).values())
    vv_done = sum(1 for e in entries if e.vv_outcome in ("passed", "accepted"))
    approved = sum(
        1
        for e in entries
        if e.system.lifecycle_stage == "deployed" and e.approval_state == "approved"
    )
    n, n_deployed, n_high = counts["n"], counts["n_deployed"], counts["n_high"]
    approved_spec, approved_design = counts["approved_spec"], counts["approved_design"]
    frozen_count, monitored = counts["frozen"], counts["monitored"]
    documented, logged = counts["documented"], counts["logged"]
    today = timezone.localdate()
    since = timezone.now() - dt.timedelta(days=IN_USE_DAYS)
    changes = ChangeRequest.objects.filter(organisation_id=organisation.pk)
    decided = changes.filter(decided_at__gte=since).count()
    review_overdue = changes.filter(status=ChangeStatus.IMPLEMENTED, review_after__lt=today).count()

    def check(label: str, part: int, whole: int, hint: str, effort: int = 2) -> RequirementCheck:
        return RequirementCheck(label, _share(part, whole), effort, f"{hint} ({part} of {whole})")

    return {
        "6.3": [
            RequirementCheck(
                "Change process in use",
                1.0 if decided else 0.0,
                2,
                "Plan changes as change requests, with their impacts, and decide them",
            ),
            RequirementCheck(
                "Implemented changes reviewed on time",
                0.0 if review_overdue else 1.0,
                1,
                f"Review {review_overdue} implemented change(s) past their review date",
            ),
        ],
        "A.6.2.2": [
            check(
                "Requirements approved for every AI system in scope",
                approved_spec,
                n,
                "Write and approve each system's requirements",
            )
        ],
        "A.6.2.3": [
            check(
                "Design recorded and approved for every AI system in scope",
                approved_design,
                n,
                "Record and approve each system's design",
            )
        ],
        "A.6.2.4": [
            check(
                "V&V plan frozen for every AI system in scope",
                frozen_count,
                n,
                "Freeze each system's acceptance criteria",
            ),
            check(
                "V&V passed or its deviations accepted",
                vv_done,
                n,
                "Attach results, and accept or fix failed criteria",
            ),
        ],
        "A.6.2.5": [
            check(
                "Deployed systems approved for their current model version",
                approved,
                n_deployed,
                "Approve deployment of each deployed system's model",
            )
        ],
        "A.6.2.6": [
            check(
                "Deployed systems monitored",
                monitored,
                n_deployed,
                "Configure a monitor for each deployed system",
            )
        ],
        "A.6.2.7": [
            check(
                "Technical documentation complete for high-risk systems",
                documented,
                n_high,
                "Complete the records of each high-risk system",
            )
        ],
        "A.6.2.8": [
            check(
                "Event-log policy for every AI system in scope",
                logged,
                n,
                "Record what each system logs, where and for how long",
            )
        ],
    }
