"""What the life-cycle records tell readiness (through aimwell.controls.hooks): clause 6.3 and
controls A.6.2.2-A.6.2.8 are judged from the change requests and each AI system's records, for
the systems in scope (retired ones excluded)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from aimwell.controls.hooks import RequirementCheck
from aimwell.inventory.models import AISystem
from aimwell.lifecycle import status
from aimwell.lifecycle.choices import ChangeStatus, RecordStatus
from aimwell.lifecycle.models import ChangeRequest

IN_USE_DAYS = 365


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def requirement_checks(organisation: Any) -> dict[str, list[RequirementCheck]]:
    systems = list(
        AISystem.objects.filter(organisation_id=organisation.pk, in_scope=True).exclude(
            lifecycle_stage="retired"
        )
    )
    entries = list(status.load(systems).values())
    n = len(entries)
    today = timezone.localdate()
    since = timezone.now() - dt.timedelta(days=IN_USE_DAYS)
    changes = ChangeRequest.objects.filter(organisation_id=organisation.pk)
    decided = changes.filter(decided_at__gte=since).count()
    review_overdue = changes.filter(status=ChangeStatus.IMPLEMENTED, review_after__lt=today).count()

    def count(test: Any, among: list[status.SystemLifecycle] | None = None) -> tuple[int, int]:
        pool = entries if among is None else among
        return sum(1 for e in pool if test(e)), len(pool)

    approved_spec, _ = count(
        lambda e: e.requirements is not None and e.requirements.status == RecordStatus.APPROVED
    )
    approved_design, _ = count(
        lambda e: e.design is not None and e.design.status == RecordStatus.APPROVED
    )
    frozen, _ = count(lambda e: e.plan is not None and e.plan.is_frozen)
    vv_done, _ = count(lambda e: e.vv_outcome in ("passed", "accepted"))
    deployed = [e for e in entries if e.system.lifecycle_stage == "deployed"]
    approved, n_deployed = count(lambda e: e.approval_state == "approved", deployed)
    monitored, _ = count(
        lambda e: any(p.key == "monitoring" and p.met for p in e.preconditions), deployed
    )
    high = [e for e in entries if e.system.risk_class == "high_risk"]
    documented, n_high = count(lambda e: not status.technical_documentation_gaps(e), high)
    logged, _ = count(lambda e: e.logging is not None)

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
                frozen,
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
