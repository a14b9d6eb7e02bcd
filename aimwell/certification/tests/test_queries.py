"""Query counts of the certification pages and list endpoints stay the same as the rows grow.

Each round adds, per list: an audit (with an AI system in scope), findings of every grade (the
major and minor ones with their nonconformity and a catalog requirement), a guest engaged on the
main audit, samples, comments, evidence requests (open, and answered with an evidence item),
and logged guest requests. Every page and endpoint is measured after one round and after
`MORE` more, and must run the same number of queries."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aimwell.accounts import services as accounts
from aimwell.catalog.models import RequirementNode
from aimwell.certification import services, workspace
from aimwell.certification.choices import Area
from aimwell.evidence.services import add_link
from aimwell.inventory.models import AISystem

MORE = 7  # rounds added between the two measures (1 round, then 8)
_n = itertools.count()


def _count(call: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


@pytest.fixture
def world(org, catalog, manager, contributor, external_auditor):
    """The project, a stage 1 audit with the guest engaged on it, and a function adding rows."""
    user = manager.user
    project = services.get_or_create_project(org, actor=user)
    services.update_project(project, actor=user, body_name="Calder Assurance")
    today = timezone.localdate()
    audit = services.plan_audit(
        project,
        actor=user,
        kind="stage_1",
        planned_start=today,
        planned_end=today + dt.timedelta(days=2),
        areas=[a.value for a in Area],
        all_systems=False,
    )
    engagement = workspace.grant_engagement(
        audit,
        actor=user,
        membership=external_auditor.membership,
        ends_at=timezone.now() + dt.timedelta(days=30),
    )
    requirement = RequirementNode.objects.filter(
        framework__organisation__isnull=True, urn__startswith="iso42001:"
    ).first()
    assert requirement is not None

    def grow(rounds: int = 1) -> None:
        for _ in range(rounds):
            i = next(_n)
            system = AISystem.objects.create(
                organisation=org, name=f"System {i}", purpose="x", eu_role="deployer"
            )
            audit.systems.add(system)
            other = services.plan_audit(
                project,
                actor=user,
                kind="special",
                title=f"Special {i}",
                planned_start=today,
                planned_end=today,
                areas=[Area.DOCUMENTS],
                all_systems=False,
                systems=[system],
            )
            services.record_finding(
                other, actor=user, grade="observation", title=f"Seen {i}", engagement=None
            )
            guest = accounts.add_member(
                org,
                email=f"guest{i}@certbody.example",
                full_name=f"Guest {i}",
                role="external_auditor",
                password="x" * 14,
                actor="test",
                expires_at=timezone.now() + dt.timedelta(days=9),
            )
            workspace.grant_engagement(
                audit if i % 2 else other,
                actor=user,
                membership=guest,
                ends_at=timezone.now() + dt.timedelta(days=3),
            )
            for grade in ("major", "minor", "observation", "ofi"):
                services.record_finding(
                    audit,
                    actor=external_auditor.user,
                    grade=grade,
                    title=f"{grade} {i}",
                    requirement=requirement,
                    owner=contributor.user,
                    engagement=engagement,
                )
            workspace.add_sample(
                engagement, actor=external_auditor.user, object_type="record", label=f"Doc {i}"
            )
            workspace.add_comment(engagement, actor=external_auditor.user, body=f"Note {i}")
            for owner in (contributor.user, user):
                workspace.ask_evidence(
                    engagement,
                    actor=external_auditor.user,
                    title=f"Records {i}",
                    owner=owner,
                    due_date=today - dt.timedelta(days=1),
                )
            answered = workspace.ask_evidence(
                engagement,
                actor=external_auditor.user,
                title=f"Answered {i}",
                owner=contributor.user,
                due_date=today,
            )
            item = add_link(
                org, title=f"Evidence {i}", url=f"https://example.org/{i}", actor=contributor.user
            )
            workspace.answer_ask(answered, actor=contributor.user, answer="Here.", evidence=item)
            workspace.log_guest_request(
                external_auditor.membership, method="GET", path=f"/documents/{i}/"
            )
            workspace.log_guest_request(
                external_auditor.membership, method="GET", path="/risks/", refused=True
            )

    return {"audit": audit, "engagement": engagement, "project": project, "grow": grow}


PAGES = {
    "home": "/certification/",
    "audit": "/certification/audits/{audit}/",
    "workspace": "/certification/engagements/{engagement}/",
}
ENDPOINTS = {
    "audits": "/api/v1/certification/audits",
    "audit": "/api/v1/certification/audits/{audit}",
    "findings": "/api/v1/certification/audits/{audit}/findings",
    "checklist": "/api/v1/certification/audits/{audit}/checklist",
    "engagements": "/api/v1/certification/engagements",
    "workspace": "/api/v1/certification/engagements/{engagement}",
    "requests": "/api/v1/certification/requests",
    "status": "/api/v1/certification/status",
    "certificates": "/api/v1/certification/certificates",
}


def _url(template: str, world: dict[str, Any]) -> str:
    return template.format(audit=world["audit"].pk, engagement=world["engagement"].pk)


def _getter(actor: Any, url: str) -> Callable[[], Any]:
    if url.startswith("/api/"):
        return lambda: actor.api("GET", url)
    return lambda: actor.client.get(url)


def _assert_flat(world: dict[str, Any], get: Callable[[], Any], label: str) -> int:
    world["grow"]()
    get()  # warm the session, the CSRF cookie and the catalog caches
    # A second round writes after the warm-up: what is kept until the organisation's next write
    # (aimwell.core.kept) is computed afresh in both measures.
    world["grow"]()
    few = _count(get)
    world["grow"](MORE)
    many = _count(get)
    assert many == few, f"{label}: {few} queries with 2 rounds, {many} with {2 + MORE}"
    return few


@pytest.mark.parametrize("name", list(PAGES) + [f"api:{n}" for n in ENDPOINTS])
def test_manager_query_count_does_not_grow(name, world, manager):
    template = ENDPOINTS[name[4:]] if name.startswith("api:") else PAGES[name]
    _assert_flat(world, _getter(manager, _url(template, world)), name)


@pytest.mark.parametrize(
    "name", ["home", "workspace", "api:audits", "api:engagements", "api:requests", "api:workspace"]
)
def test_guest_query_count_does_not_grow(name, world, external_auditor):
    template = ENDPOINTS[name[4:]] if name.startswith("api:") else PAGES[name]
    _assert_flat(world, _getter(external_auditor, _url(template, world)), f"guest {name}")


@pytest.mark.parametrize("url", ["/certification/", "/api/v1/certification/requests"])
def test_evidence_owner_query_count_does_not_grow(url, world, contributor):
    # The contributor owns open requests: each is shown with its answer form.
    _assert_flat(world, _getter(contributor, url), f"owner {url}")


def test_guest_scope_check_costs_the_same_for_many_engagements(world, org, external_auditor):
    """The middleware resolves the guest's scope in a fixed number of queries, however many
    audits (and AI systems in them) the guest is engaged on."""
    project = world["project"]
    get = _getter(external_auditor, "/api/v1/documents")

    def engage(rounds: int) -> None:
        today = timezone.localdate()
        for _ in range(rounds):
            i = next(_n)
            system = AISystem.objects.create(
                organisation=org, name=f"Scoped {i}", purpose="x", eu_role="deployer"
            )
            extra = services.plan_audit(
                project,
                actor="t",
                kind="special",
                title=f"Extra {i}",
                planned_start=today,
                planned_end=today,
                areas=[Area.DOCUMENTS],
                all_systems=False,
                systems=[system],
            )
            workspace.grant_engagement(
                extra,
                actor="t",
                membership=external_auditor.membership,
                ends_at=timezone.now() + dt.timedelta(days=30),
            )

    engage(1)
    get()
    few = _count(get)
    engage(MORE)
    assert _count(get) == few


def test_every_answer_form_searches_the_evidence_instead_of_listing_it(
    world, contributor, other_org
):
    """Each open request's answer form has its own evidence picker and no option per item (a
    page of many requests lists nothing); another organisation's item is refused."""
    from aimwell.evidence import services as evidence
    from aimwell.evidence.models import EvidenceItem

    world["grow"](2)
    page = contributor.client.get("/certification/").content.decode()
    items = list(EvidenceItem.objects.filter(organisation=world["project"].organisation))
    assert page.count('name="evidence"') == 2  # the contributor's two open requests
    assert page.count('hx-get="/evidence/pick/"') == 2
    for item in items:
        assert f'value="{item.pk}"' not in page, item.title
    ask = world["engagement"].asks.filter(owner=contributor.user, status="open").first()
    theirs = evidence.add_link(other_org, title="Theirs", url="https://t.example", actor="t")
    refused = contributor.post(
        f"/certification/requests/{ask.pk}/answer/",
        {"evidence": str(theirs.pk), "next": "/certification/"},
    )
    assert refused.status_code == 302
    ask.refresh_from_db()
    assert ask.status == "open" and ask.evidence_id is None
    response = contributor.post(
        f"/certification/requests/{ask.pk}/answer/",
        {"evidence": str(items[0].pk), "next": "/certification/"},
    )
    assert response.status_code == 302
    ask.refresh_from_db()
    assert ask.status == "answered" and ask.evidence_id == items[0].pk
