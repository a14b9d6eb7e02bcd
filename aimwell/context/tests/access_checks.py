"""Access checks of the context, governance and scope routes (collected by the role matrix).

Routes that consume their object (delete, approve, discard) get a fresh one on every call, so
each allowed role meets the state the route expects."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from aimwell.context.models import ScopeVersion
from aimwell.context.pages import PAGES
from aimwell.context.services import context as ctx_services
from aimwell.context.services import scope as scope_services
from aimwell.governance import services as gov
from aimwell.governance.models import PrincipleLink, RaciEntry
from aimwell.inventory.models import AISystem
from aimwell.testing import MANAGERS, READERS, ROLES, Check

EVERYONE = set(ROLES)
_counter = {"n": 0}
# A route's url is computed before its body, so a body can read what the url stashed here.
_seen: dict[str, Any] = {}


def _stash(url: Any) -> Any:
    def build(c: dict[str, Any]) -> str:
        _seen["ctx"] = c
        return str(url(c))

    return build


def _n() -> int:
    _counter["n"] += 1
    return _counter["n"]


def setup(ctx: dict[str, Any]) -> None:
    org = ctx["org"]
    admin = ctx["everyone"]["admin"]
    member = admin.membership
    system = AISystem.objects.create(
        organisation=org,
        name="Context check system",
        purpose="Scores loan applications",
        eu_role="provider",
    )
    ctx["system"] = system
    ctx["issues"] = ctx_services.create_issue(
        org, title="AI Act obligations", kind="external", category="legal", actor="test"
    )
    ctx["parties"] = ctx_services.create_party(
        org, name="Borrowers", kind="external", category="customers", actor="test"
    )
    ctx["legal"] = ctx_services.create_legal_requirement(
        org, name="GDPR", kind="regulation", actor="test"
    )
    ctx_services.set_applicability(ctx["legal"], system, actor="test", note="Art. 22")
    ctx["objectives"] = ctx_services.create_objective(org, title="Grow lending", actor="test")
    ctx["principles"] = gov.create_principle(
        org, name="Fairness", statement="We treat applicants fairly.", status="adopted", actor="t"
    )
    ctx["roles"] = gov.create_aims_role(org, name="AI governance lead", actor="test")
    ctx["bodies"] = gov.create_body(
        org, name="AI ethics committee", kind="ethics_committee", actor="test"
    )
    ctx["meeting"] = gov.record_meeting(ctx["bodies"], held_on=dt.date(2026, 1, 10), actor="t")
    ctx["decision"] = gov.record_decision(
        ctx["bodies"], text="Review CV screening", decided_on=dt.date(2026, 1, 10), actor="t"
    )
    ctx["commitments"] = gov.record_commitment(
        org, made_by=member, made_on=dt.date(2026, 1, 5), commitment="Fund the AIMS", actor="t"
    )
    ctx["raci"] = gov.set_raci(org, member=member, letter="A", system=system, actor="test")
    ctx_services.set_ai_role(org, "ai_provider", actor="test", note="We build credit models")
    draft = scope_services.start_draft(org, actor="test")
    scope_services.approve_draft(draft, membership=member, actor="test")


def _pk(key: str) -> Any:
    return lambda c: c[key].pk


def _fresh(key: str) -> Any:
    """A new object of the register for a route that deletes it."""
    make = {
        "issues": lambda c: ctx_services.create_issue(
            c["org"], title=f"Issue {_n()}", kind="internal", category="social", actor="t"
        ),
        "parties": lambda c: ctx_services.create_party(
            c["org"], name=f"Party {_n()}", kind="internal", category="employees", actor="t"
        ),
        "legal": lambda c: ctx_services.create_legal_requirement(
            c["org"], name=f"Law {_n()}", kind="law", actor="t"
        ),
        "objectives": lambda c: ctx_services.create_objective(
            c["org"], title=f"Objective {_n()}", actor="t"
        ),
        "roles": lambda c: gov.create_aims_role(c["org"], name=f"Role {_n()}", actor="t"),
    }[key]
    return lambda c: make(c).pk


def _draft(c: dict[str, Any]) -> None:
    if scope_services.current_draft(c["org"]) is None:
        scope_services.start_draft(c["org"], actor="test")


def _no_draft(c: dict[str, Any]) -> None:
    ScopeVersion.objects.filter(organisation=c["org"], status="draft").delete()


def _with_draft(url: str) -> Any:
    return lambda c: (_draft(c), url)[1]


def _without_draft(url: str) -> Any:
    return lambda c: (_no_draft(c), url)[1]


WEB: dict[str, Check | str] = {
    "context:home": Check("GET", lambda c: reverse("context:home"), EVERYONE, object=False),
    "context:ai-roles": Check("GET", lambda c: reverse("context:ai-roles"), READERS, object=False),
    "governance:raci": Check("GET", lambda c: reverse("governance:raci"), READERS, object=False),
    "governance:raci-set": Check(
        "POST",
        _stash(lambda c: reverse("governance:raci-set")),
        MANAGERS,
        object=False,
        ok=302,
        body=lambda role: {
            "process": "monitoring",
            "member": str(_seen["ctx"]["everyone"]["staff"].membership.pk),
            "letter": "I",
        },
    ),
    "context:legal-applies": Check(
        "POST",
        _stash(lambda c: reverse("context:legal-applies", args=[c["legal"].pk])),
        MANAGERS,
        object=True,
        ok=302,
        body=lambda role: {"system": str(_seen["ctx"]["system"].pk), "note": role},
    ),
    "context:legal-unapplies": Check(
        "POST",
        lambda c: reverse("context:legal-unapplies", args=[c["legal"].pk, c["system"].pk]),
        MANAGERS,
        object=True,
        ok=302,
    ),
    "governance:meeting-new": Check(
        "GET", lambda c: reverse("governance:meeting-new", args=[c["bodies"].pk]), MANAGERS, True
    ),
    "governance:decision-new": Check(
        "GET", lambda c: reverse("governance:decision-new", args=[c["bodies"].pk]), MANAGERS, True
    ),
    "governance:meeting": Check(
        "GET", lambda c: reverse("governance:meeting", args=[c["meeting"].pk]), READERS, True
    ),
    "governance:meeting-edit": Check(
        "GET", lambda c: reverse("governance:meeting-edit", args=[c["meeting"].pk]), MANAGERS, True
    ),
    "governance:decision-edit": Check(
        "GET",
        lambda c: reverse("governance:decision-edit", args=[c["decision"].pk]),
        MANAGERS,
        True,
    ),
    "governance:principle-link": Check(
        "POST",
        _stash(lambda c: reverse("governance:principle-link", args=[c["principles"].pk])),
        MANAGERS,
        object=True,
        ok=302,
        body=lambda role: {
            "object_type": "inventory.aisystem",
            "target_id": str(_seen["ctx"]["system"].pk),
        },
    ),
    "governance:principle-pick": Check(
        "GET",
        lambda c: (
            reverse("governance:principle-pick", args=[c["principles"].pk])
            + "?object_type=inventory.aisystem&q=a"
        ),
        MANAGERS,
        object=True,
    ),
    "governance:principle-unlink": Check(
        "POST",
        lambda c: reverse("governance:principle-unlink", args=[c["principles"].pk, _link(c)]),
        MANAGERS,
        object=True,
        ok=302,
    ),
    "context:scope": Check("GET", lambda c: reverse("context:scope"), EVERYONE, object=False),
    "context:scope-draft": Check(
        "GET", _with_draft(reverse("context:scope-draft")), MANAGERS, object=False
    ),
    "context:scope-start": Check(
        "POST", _without_draft(reverse("context:scope-start")), MANAGERS, object=False, ok=302
    ),
    "context:scope-regenerate": Check(
        "POST", _with_draft(reverse("context:scope-regenerate")), MANAGERS, object=False, ok=302
    ),
    "context:scope-approve": Check(
        "POST", _with_draft(reverse("context:scope-approve")), MANAGERS, object=False, ok=302
    ),
    "context:scope-discard": Check(
        "POST", _with_draft(reverse("context:scope-discard")), MANAGERS, object=False, ok=302
    ),
    "context:scope-preview": Check(
        "GET", lambda c: reverse("context:scope-preview"), READERS, object=False
    ),
    "context:scope-version": Check(
        "GET", lambda c: reverse("context:scope-version", args=[1]), EVERYONE, object=False
    ),
}

for _page in PAGES.values():
    _readers = EVERYONE if _page.key == "principles" else READERS
    _k = _page.key
    WEB[f"context:{_k}"] = Check(
        "GET", lambda c, k=_k: reverse(f"context:{k}"), _readers, object=False
    )
    WEB[f"context:{_k}-export"] = Check(
        "GET", lambda c, k=_k: reverse(f"context:{k}-export"), _readers, object=False
    )
    WEB[f"context:{_k}-new"] = Check(
        "GET", lambda c, k=_k: reverse(f"context:{k}-new"), MANAGERS, object=False
    )
    WEB[f"context:{_k}-detail"] = Check(
        "GET", lambda c, k=_k: reverse(f"context:{k}-detail", args=[c[k].pk]), _readers, True
    )
    WEB[f"context:{_k}-edit"] = Check(
        "GET", lambda c, k=_k: reverse(f"context:{k}-edit", args=[c[k].pk]), MANAGERS, True
    )
    if _page.delete is not None:
        WEB[f"context:{_k}-delete"] = Check(
            "POST",
            lambda c, k=_k: reverse(f"context:{k}-delete", args=[_fresh(k)(c)]),
            MANAGERS,
            object=True,
            ok=302,
        )


def _crud(
    path: str, key: str, param: str, create: Any, patch: Any, *, readers: set[str] = READERS
) -> dict[tuple[str, str], Check]:
    """Checks of a register's list, create, read and change."""
    return {
        ("GET", f"/api/v1{path}"): Check("GET", lambda c: f"/api/v1{path}", readers, False),
        ("POST", f"/api/v1{path}"): Check(
            "POST", lambda c: f"/api/v1{path}", MANAGERS, False, ok=201, body=create
        ),
        ("GET", f"/api/v1{path}/{param}"): Check(
            "GET", lambda c: f"/api/v1{path}/{c[key].pk}", readers, True
        ),
        ("PATCH", f"/api/v1{path}/{param}"): Check(
            "PATCH", lambda c: f"/api/v1{path}/{c[key].pk}", MANAGERS, True, body=patch
        ),
    }


def _delete(path: str, key: str, param: str) -> dict[tuple[str, str], Check]:
    return {
        ("DELETE", f"/api/v1{path}/{param}"): Check(
            "DELETE", lambda c: f"/api/v1{path}/{_fresh(key)(c)}", MANAGERS, True, ok=204
        )
    }


def _raci_entry(c: dict[str, Any]) -> Any:
    entry, _ = RaciEntry.objects.get_or_create(
        organisation=c["org"],
        process="monitoring",
        member=c["everyone"]["staff"].membership,
        defaults={"letter": "I"},
    )
    return entry.pk


def _link(c: dict[str, Any]) -> Any:
    link, _ = PrincipleLink.objects.get_or_create(
        organisation=c["org"],
        principle=c["principles"],
        object_type="inventory.aisystem",
        object_id=str(c["system"].pk),
        defaults={"object_label": "Credit scoring"},
    )
    return link.pk


def _applies(c: dict[str, Any]) -> str:
    ctx_services.set_applicability(c["legal"], c["system"], actor="t")
    return f"/api/v1/legal-requirements/{c['legal'].pk}/systems/{c['system'].pk}"


def _ai_role(c: dict[str, Any]) -> str:
    ctx_services.set_ai_role(c["org"], "ai_customer", actor="t")
    return "/api/v1/context/ai-roles/ai_customer"


API: dict[tuple[str, str], Check] = {
    **_crud(
        "/context/issues",
        "issues",
        "{issue_id}",
        lambda r: {"title": f"Issue of {r}", "kind": "external", "category": "legal"},
        lambda r: {"effect": f"changed by {r}"},
    ),
    **_delete("/context/issues", "issues", "{issue_id}"),
    **_crud(
        "/interested-parties",
        "parties",
        "{party_id}",
        lambda r: {"name": f"Party of {r}", "kind": "external", "category": "regulators"},
        lambda r: {"needs": f"changed by {r}"},
    ),
    **_delete("/interested-parties", "parties", "{party_id}"),
    **_crud(
        "/legal-requirements",
        "legal",
        "{requirement_id}",
        lambda r: {"name": f"Law of {r}", "kind": "law"},
        lambda r: {"summary": f"changed by {r}"},
    ),
    **_delete("/legal-requirements", "legal", "{requirement_id}"),
    **_crud(
        "/objectives",
        "objectives",
        "{objective_id}",
        lambda r: {"title": f"Objective of {r}"},
        lambda r: {"description": f"changed by {r}"},
    ),
    **_delete("/objectives", "objectives", "{objective_id}"),
    **_crud(
        "/principles",
        "principles",
        "{principle_id}",
        lambda r: {"name": f"Principle of {r}", "statement": "We do right."},
        lambda r: {"rationale": f"changed by {r}"},
        readers=EVERYONE,
    ),
    **_crud(
        "/aims-roles",
        "roles",
        "{role_id}",
        lambda r: {"name": f"Role of {r}"},
        lambda r: {"responsibilities": f"changed by {r}"},
    ),
    **_delete("/aims-roles", "roles", "{role_id}"),
    **_crud(
        "/oversight-bodies",
        "bodies",
        "{body_id}",
        lambda r: {"name": f"Body of {r}", "kind": "steering"},
        lambda r: {"meeting_frequency": f"monthly ({r})"},
    ),
    **_crud(
        "/leadership-commitments",
        "commitments",
        "{commitment_id}",
        lambda r: {"made_on": "2026-02-01", "commitment": f"Commitment of {r}"},
        lambda r: {"evidence": f"minutes ({r})"},
    ),
    ("GET", "/api/v1/context/ai-roles"): Check(
        "GET", lambda c: "/api/v1/context/ai-roles", READERS, False
    ),
    ("PUT", "/api/v1/context/ai-roles/{role}"): Check(
        "PUT",
        lambda c: "/api/v1/context/ai-roles/ai_producer",
        MANAGERS,
        False,
        body=lambda r: {"note": f"set by {r}"},
    ),
    ("DELETE", "/api/v1/context/ai-roles/{role}"): Check(
        "DELETE", _ai_role, MANAGERS, False, ok=204
    ),
    ("PUT", "/api/v1/legal-requirements/{requirement_id}/systems/{system_id}"): Check(
        "PUT",
        lambda c: f"/api/v1/legal-requirements/{c['legal'].pk}/systems/{c['system'].pk}",
        MANAGERS,
        True,
        body=lambda r: {"note": f"applies ({r})"},
    ),
    ("DELETE", "/api/v1/legal-requirements/{requirement_id}/systems/{system_id}"): Check(
        "DELETE", _applies, MANAGERS, True, ok=204
    ),
    ("GET", "/api/v1/principles/{principle_id}/links"): Check(
        "GET", lambda c: f"/api/v1/principles/{c['principles'].pk}/links", EVERYONE, True
    ),
    ("POST", "/api/v1/principles/{principle_id}/links"): Check(
        "POST",
        _stash(lambda c: f"/api/v1/principles/{c['principles'].pk}/links"),
        MANAGERS,
        True,
        ok=201,
        body=lambda r: {
            "object_type": "context.objective",
            "object_id": str(_seen["ctx"]["objectives"].pk),
        },
    ),
    ("DELETE", "/api/v1/principles/{principle_id}/links/{link_id}"): Check(
        "DELETE",
        lambda c: f"/api/v1/principles/{c['principles'].pk}/links/{_link(c)}",
        MANAGERS,
        True,
        ok=204,
    ),
    ("GET", "/api/v1/raci"): Check("GET", lambda c: "/api/v1/raci", READERS, False),
    ("POST", "/api/v1/raci"): Check(
        "POST",
        _stash(lambda c: "/api/v1/raci"),
        MANAGERS,
        False,
        ok=201,
        body=lambda r: {
            "member_id": str(_seen["ctx"]["everyone"]["contributor"].membership.pk),
            "letter": "R",
            "process": "monitoring",
        },
    ),
    ("GET", "/api/v1/raci/matrix"): Check(
        "GET", lambda c: "/api/v1/raci/matrix?axis=processes", READERS, False
    ),
    ("DELETE", "/api/v1/raci/{entry_id}"): Check(
        "DELETE", lambda c: f"/api/v1/raci/{_raci_entry(c)}", MANAGERS, True, ok=204
    ),
    ("GET", "/api/v1/oversight-bodies/{body_id}/meetings"): Check(
        "GET", lambda c: f"/api/v1/oversight-bodies/{c['bodies'].pk}/meetings", READERS, True
    ),
    ("POST", "/api/v1/oversight-bodies/{body_id}/meetings"): Check(
        "POST",
        lambda c: f"/api/v1/oversight-bodies/{c['bodies'].pk}/meetings",
        MANAGERS,
        True,
        ok=201,
        body=lambda r: {"held_on": "2026-03-01", "title": f"Meeting ({r})"},
    ),
    ("GET", "/api/v1/meetings/{meeting_id}"): Check(
        "GET", lambda c: f"/api/v1/meetings/{c['meeting'].pk}", READERS, True
    ),
    ("PATCH", "/api/v1/meetings/{meeting_id}"): Check(
        "PATCH",
        lambda c: f"/api/v1/meetings/{c['meeting'].pk}",
        MANAGERS,
        True,
        body=lambda r: {"minutes": f"by {r}"},
    ),
    ("GET", "/api/v1/oversight-bodies/{body_id}/decisions"): Check(
        "GET", lambda c: f"/api/v1/oversight-bodies/{c['bodies'].pk}/decisions", READERS, True
    ),
    ("POST", "/api/v1/oversight-bodies/{body_id}/decisions"): Check(
        "POST",
        lambda c: f"/api/v1/oversight-bodies/{c['bodies'].pk}/decisions",
        MANAGERS,
        True,
        ok=201,
        body=lambda r: {"text": f"Decided by {r}", "decided_on": "2026-03-01"},
    ),
    ("GET", "/api/v1/decisions/{decision_id}"): Check(
        "GET", lambda c: f"/api/v1/decisions/{c['decision'].pk}", READERS, True
    ),
    ("PATCH", "/api/v1/decisions/{decision_id}"): Check(
        "PATCH",
        lambda c: f"/api/v1/decisions/{c['decision'].pk}",
        MANAGERS,
        True,
        body=lambda r: {"status": "done"},
    ),
    ("GET", "/api/v1/scope"): Check("GET", lambda c: "/api/v1/scope", EVERYONE, False),
    ("GET", "/api/v1/scope/versions"): Check(
        "GET", lambda c: "/api/v1/scope/versions", EVERYONE, False
    ),
    ("GET", "/api/v1/scope/versions/{number}"): Check(
        "GET", lambda c: "/api/v1/scope/versions/1", EVERYONE, False
    ),
    ("GET", "/api/v1/scope/preview"): Check(
        "GET", lambda c: "/api/v1/scope/preview", READERS, False
    ),
    ("GET", "/api/v1/scope/draft"): Check(
        "GET", _with_draft("/api/v1/scope/draft"), READERS, False
    ),
    ("POST", "/api/v1/scope/draft"): Check(
        "POST",
        _without_draft("/api/v1/scope/draft"),
        MANAGERS,
        False,
        ok=201,
        body=lambda r: {"from_live_data": True},
    ),
    ("PATCH", "/api/v1/scope/draft"): Check(
        "PATCH",
        _with_draft("/api/v1/scope/draft"),
        MANAGERS,
        False,
        body=lambda r: {"change_note": f"edited by {r}"},
    ),
    ("DELETE", "/api/v1/scope/draft"): Check(
        "DELETE", _with_draft("/api/v1/scope/draft"), MANAGERS, False, ok=204
    ),
    ("POST", "/api/v1/scope/draft/regenerate"): Check(
        "POST", _with_draft("/api/v1/scope/draft/regenerate"), MANAGERS, False
    ),
    ("POST", "/api/v1/scope/draft/approve"): Check(
        "POST", _with_draft("/api/v1/scope/draft/approve"), MANAGERS, False
    ),
}
