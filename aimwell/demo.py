"""The demo organisation: Meridian Lending, a mid-size lender using AI for credit scoring, fraud
detection, a support chatbot and CV screening, with a member in every role.

The loader is additive and idempotent: each step looks for what it would create by a stable key and
creates only what is missing, so running it twice changes nothing. Later features add their own
steps to DEMO_STEPS.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from aimwell.accounts import services as accounts
from aimwell.accounts.models import Membership, Organisation
from aimwell.accounts.roles import AIMSProcess, Role

DEMO_SLUG = "meridian-lending"
SECOND_SLUG = "harbour-health"
ADMIN_EMAIL_DEFAULT = "admin@meridian.example"


@dataclass
class DemoResult:
    created: list[str] = field(default_factory=list)
    admin_email: str = ADMIN_EMAIL_DEFAULT
    admin_password: str | None = None
    demo_password: str | None = None

    def summary(self, *, verbose: bool = False) -> str:
        """What `aimwell demo` (and so `make run`) prints: short, one fact a line, with how to sign
        in as every demo member and what to look at first."""
        if self.created:
            done = f"{len(self.created)} records created"
            if verbose:
                done += ":\n" + "\n".join(f"  - {item}" for item in self.created)
            else:
                done += " (--verbose lists them)"
        else:
            done = "nothing new to create"
        admin_password = self.admin_password or "the one printed when the demo was first loaded"
        demo_password = self.demo_password or (
            "set AIMWELL_DEMO_PASSWORD before the first load to sign in as them"
        )
        width = max(len(email) for email, *_ in MEMBERS)
        lines = [
            f"Demo organisation Meridian Lending is ready: {done}.",
            "",
            "Open http://127.0.0.1:8000/ and sign in as the admin:",
            f"  {self.admin_email:<{width}}  password: {admin_password}",
            "",
            f"The other demo members, each in another role (password: {demo_password}; it is",
            "AIMWELL_DEMO_PASSWORD in .env):",
        ]
        for email, name, role, top, _limit, _processes, guest_days in MEMBERS[1:]:
            what = role.label + (", top management" if top else "")
            what += f", for {guest_days} days" if guest_days else ""
            lines.append(f"  {email:<{width}}  {name} ({what})")
        lines += [
            "",
            "Try first: the home page (the seven stages, the next action, your inbox); sign in",
            "as the CEO to approve what waits in their inbox; the AI systems register (the",
            "credit-scoring system, its risks, monitor and system card); then the Certification",
            "pack for stage 1.",
        ]
        return "\n".join(lines)


# email, full name, role, top management, risk-acceptance limit, owned processes, guest days
MEMBERS: list[tuple[str, str, Role, bool, int | None, list[AIMSProcess], int | None]] = [
    (ADMIN_EMAIL_DEFAULT, "Amara Okafor", Role.ADMIN, False, None, [], None),
    (
        "ceo@meridian.example",
        "Jonas Lindqvist",
        Role.AIMS_MANAGER,
        True,
        25,
        [AIMSProcess.LEADERSHIP_AND_POLICY, AIMSProcess.MANAGEMENT_REVIEW],
        None,
    ),
    (
        "aims.manager@meridian.example",
        "Priya Raman",
        Role.AIMS_MANAGER,
        False,
        12,
        [AIMSProcess.RISK_MANAGEMENT, AIMSProcess.DOCUMENT_CONTROL, AIMSProcess.IMPACT_ASSESSMENT],
        None,
    ),
    (
        "credit.owner@meridian.example",
        "Tomás Ferreira",
        Role.CONTRIBUTOR,
        False,
        6,
        [AIMSProcess.AI_LIFECYCLE, AIMSProcess.MONITORING],
        None,
    ),
    (
        "ml.engineer@meridian.example",
        "Mei Chen",
        Role.CONTRIBUTOR,
        False,
        None,
        [AIMSProcess.DATA_GOVERNANCE],
        None,
    ),
    (
        "internal.auditor@meridian.example",
        "Grace Mensah",
        Role.INTERNAL_AUDITOR,
        False,
        None,
        [AIMSProcess.INTERNAL_AUDIT],
        None,
    ),
    ("staff@meridian.example", "Lukas Becker", Role.STAFF, False, None, [], None),
    ("auditor@certbody.example", "Dr. Ines Laurent", Role.EXTERNAL_AUDITOR, False, None, [], 30),
]


def _password(var: str) -> tuple[str, bool]:
    value = os.environ.get(var)
    if value:
        return value, False
    return secrets.token_urlsafe(12), True


def _organisation(slug: str, name: str, result: DemoResult) -> Organisation:
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        org = accounts.create_organisation(name=name, slug=slug, actor="demo loader")
        result.created.append(f"organisation {name}")
    return org


def _members(result: DemoResult) -> None:
    org = _organisation(DEMO_SLUG, "Meridian Lending", result)
    admin_email = os.environ.get("AIMWELL_ADMIN_EMAIL", ADMIN_EMAIL_DEFAULT)
    result.admin_email = admin_email
    admin_password, admin_generated = _password("AIMWELL_ADMIN_PASSWORD")
    demo_password, demo_generated = _password("AIMWELL_DEMO_PASSWORD")
    demo_password_known, others_created = not demo_generated, False
    for index, (email, name, role, top, limit, processes, guest_days) in enumerate(MEMBERS):
        if index == 0:
            email = admin_email
        if Membership.objects.filter(organisation=org, user__email__iexact=email).exists():
            continue
        password = admin_password if index == 0 else demo_password
        expires = timezone.now() + dt.timedelta(days=guest_days) if guest_days else None
        accounts.add_member(
            org,
            email=email,
            full_name=name,
            role=role,
            password=password,
            actor="demo loader",
            is_top_management=top,
            risk_acceptance_limit=limit,
            owned_processes=processes,
            expires_at=expires,
            scope_note="Stage 1 audit: documentation and readiness" if guest_days else "",
        )
        result.created.append(f"member {email}")
        others_created = others_created or index > 0
        if index == 0 and admin_generated:
            result.admin_password = admin_password
    if not admin_generated:
        result.admin_password = admin_password
    if demo_password_known or others_created:
        # from the environment, or just given to the members created now
        result.demo_password = demo_password


def _second_organisation(result: DemoResult) -> None:
    """A second organisation the admin also belongs to, to show the switcher and the isolation."""
    org = _organisation(SECOND_SLUG, "Harbour Health Analytics", result)
    email = os.environ.get("AIMWELL_ADMIN_EMAIL", ADMIN_EMAIL_DEFAULT)
    if not Membership.objects.filter(organisation=org, user__email__iexact=email).exists():
        accounts.add_member(org, email=email, role=Role.ADMIN, actor="demo loader")
        result.created.append(f"member {email} of Harbour Health Analytics")


DEMO_STEPS: list[Callable[[DemoResult], None]] = [_members, _second_organisation]


def _app_steps() -> list[Callable[[DemoResult], None]]:
    """Each app may add its part of the demo in `<app>/demo.py` as `STEPS`, run in app order."""
    steps: list[Callable[[DemoResult], None]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("aimwell.") or config.name == "aimwell.accounts":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        steps.extend(getattr(module, "STEPS", []))
    return steps


def demo_organisation() -> Organisation:
    """The demo organisation, for app demo steps (created by the first step)."""
    return Organisation.objects.get(slug=DEMO_SLUG)


def load_demo() -> DemoResult:
    result = DemoResult()
    with transaction.atomic():
        for step in [*DEMO_STEPS, *_app_steps()]:
            step(result)
    return result
