"""The external auditor's confinement, driven through the real middleware, pages and API.

The guest (`external_auditor`) is engaged on a stage 1 audit whose scope is documents and the SoA
and one AI system (credit scoring). A second guest works on their own engagement. Every request a
guest makes lands in the audit trail; members' requests do not."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aimwell.accounts import services as accounts
from aimwell.accounts.models import Membership
from aimwell.certification import scope, services, workspace
from aimwell.certification.choices import Area
from aimwell.certification.models import Comment, EvidenceAsk, ExternalFinding, Sample
from aimwell.core.models import AuditEvent
from aimwell.documents.models import Document
from aimwell.documents.services import create_document
from aimwell.inventory.models import AISystem
from aimwell.risks.models import Risk

API = "/api/v1"
CERT = API + "/certification"
SCOPE_REFUSAL = "outside the scope of your audit"
WRITE_REFUSAL = "only add samples, comments, evidence requests and findings"
SHELL_REFUSAL = "no current audit engagement"


@dataclass
class Guest:
    """A second external auditor, signed in with a CSRF-enforcing client (like conftest's Actor)."""

    user: Any
    membership: Any
    client: Client

    def _csrf(self) -> str:
        if "csrftoken" not in self.client.cookies:
            self.client.get("/")
        return self.client.cookies["csrftoken"].value

    def api(self, method: str, url: str, json: Any = None) -> Any:
        kwargs: dict[str, Any] = {"HTTP_X_CSRFTOKEN": self._csrf()}
        if json is not None:
            kwargs.update(data=json, content_type="application/json")
        return getattr(self.client, method.lower())(url, **kwargs)


def _in(days: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


@pytest.fixture
def systems(org):
    credit = AISystem.objects.create(
        organisation=org, name="Credit scoring", purpose="Scores loans", eu_role="provider"
    )
    chatbot = AISystem.objects.create(
        organisation=org, name="Support chatbot", purpose="Answers questions", eu_role="deployer"
    )
    return credit, chatbot


@pytest.fixture
def project(org, manager):
    project = services.get_or_create_project(org, actor=manager.user)
    services.update_project(project, actor=manager.user, body_name="Calder Assurance")
    return project


def _audit(project, actor, *, areas, systems=(), all_systems=False, kind="stage_1"):
    today = timezone.localdate()
    return services.plan_audit(
        project,
        actor=actor,
        kind=kind,
        planned_start=today,
        planned_end=today + dt.timedelta(days=2),
        areas=[a.value for a in areas],
        all_systems=all_systems,
        systems=systems,
    )


@pytest.fixture
def audit(project, manager, systems):
    """Documents and SoA only, and only the credit-scoring system."""
    return _audit(project, manager.user, areas=[Area.DOCUMENTS, Area.CONTROLS], systems=systems[:1])


@pytest.fixture
def engagement(audit, manager, external_auditor):
    return workspace.grant_engagement(
        audit, actor=manager.user, membership=external_auditor.membership, ends_at=_in(5)
    )


@pytest.fixture
def other_guest(org, project, manager):
    """A second external auditor, engaged on their own audit (everything in scope)."""
    membership = accounts.add_member(
        org,
        email="second@certbody.example",
        full_name="Second Guest",
        role="external_auditor",
        password="x" * 14,
        actor="test",
        expires_at=_in(10),
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(membership.user)
    wide = _audit(project, manager.user, areas=list(Area), all_systems=True, kind="special")
    engagement = workspace.grant_engagement(
        wide, actor=manager.user, membership=membership, ends_at=_in(5)
    )
    return Guest(membership.user, membership, client), engagement


def _document(org, manager, title="AI policy"):
    return create_document(org, title=title, doc_type="policy", actor=manager.user)


def _events(org, action):
    return AuditEvent.objects.filter(organisation=org, action=action)


def _guest_events(org):
    return AuditEvent.objects.filter(
        organisation=org, action__in=[workspace.GUEST_VIEWED, workspace.GUEST_REFUSED]
    )


def _document_body(title="Guest policy"):
    return {"title": title, "doc_type": "policy"}


# Reading: areas and AI systems -------------------------------------------------------------------


def test_guest_reads_the_areas_of_their_audit_and_nothing_else(
    org, manager, engagement, external_auditor
):
    doc = _document(org, manager)
    client = external_auditor.client
    for url in ("/documents/", f"/documents/{doc.pk}/", "/soa/", "/readiness/"):
        assert client.get(url).status_code == 200, url
    for url in (f"{API}/documents", f"{API}/documents/{doc.pk}", f"{API}/soa"):
        assert external_auditor.api("GET", url).status_code == 200, url

    for url in ("/risks/", "/risks/new/", "/impact-assessments/", "/evidence/", "/operations/"):
        page = client.get(url)
        assert page.status_code == 403, url
        assert "Outside the scope of your audit" in page.content.decode(), url
    for url in (f"{API}/risks", f"{API}/risk-methods", f"{API}/evidence", f"{API}/incidents"):
        response = external_auditor.api("GET", url)
        assert response.status_code == 403, url
        assert SCOPE_REFUSAL in response.json()["message"], url
    # Parts of the product no area covers (members, reports, the OpenAPI page) stay closed.
    for url in ("/members/", "/reports/", "/transparency/", f"{API}/members", f"{API}/docs"):
        assert client.get(url).status_code == 403, url


def test_ai_systems_are_limited_to_the_audit_systems(
    org, project, manager, systems, engagement, external_auditor
):
    credit, chatbot = systems
    client = external_auditor.client
    # The first audit does not cover the systems area at all.
    assert client.get(f"/ai-systems/{credit.pk}/").status_code == 403
    assert external_auditor.api("GET", f"{API}/ai-systems/{credit.pk}").status_code == 403

    # A second audit (systems only, still only credit scoring) widens the guest's areas.
    second = _audit(project, manager.user, areas=[Area.SYSTEMS], systems=[credit], kind="special")
    workspace.grant_engagement(
        second, actor=manager.user, membership=external_auditor.membership, ends_at=_in(3)
    )
    assert client.get(f"/ai-systems/{credit.pk}/").status_code == 200
    assert external_auditor.api("GET", f"{API}/ai-systems/{credit.pk}").status_code == 200
    upper = str(credit.pk).upper()
    assert external_auditor.api("GET", f"{API}/ai-systems/{upper}").status_code == 200

    other = chatbot.pk
    assert client.get(f"/ai-systems/{other}/").status_code == 403
    assert client.get(f"/ai-systems/{other}/edit/").status_code == 403
    # Every spelling of the other system's id the API accepts is refused.
    for spelling in (
        str(other),
        str(other).upper(),
        other.hex,
        f"{{{other}}}",
        f"urn:uuid:{other}",
    ):
        response = external_auditor.api("GET", f"{API}/ai-systems/{spelling}")
        assert response.status_code == 403, spelling
        assert response.json()["message"] == "This AI system is outside the scope of your audit."
    assert (
        external_auditor.api("GET", f"{API}/ai-systems/{other}/classifications").status_code == 403
    )


def test_an_audit_of_every_area_and_system_opens_everything(other_guest, org, manager, systems):
    guest, _ = other_guest
    for url in ("/risks/", f"/ai-systems/{systems[1].pk}/", "/transparency/", "/evidence/"):
        assert guest.client.get(url).status_code != 403, url
    assert guest.api("GET", f"{API}/risks").status_code == 200


# Writing outside the workspace -------------------------------------------------------------------


def test_guest_writes_outside_the_workspace_are_refused_and_change_nothing(
    org, manager, engagement, external_auditor, systems
):
    doc = _document(org, manager)
    counts = (Document.objects.count(), Risk.objects.count(), AISystem.objects.count())
    tries = [
        ("POST", f"{API}/documents", _document_body()),
        ("POST", f"{API}/risks", {"title": "Guest risk", "consequences": {}, "likelihood": 2}),
        ("POST", f"{API}/ai-systems", {"name": "Guest system", "purpose": "x"}),
        ("PATCH", f"{API}/documents/{doc.pk}", {"title": "Renamed by the guest"}),
        ("PATCH", f"{API}/ai-systems/{systems[0].pk}", {"name": "Renamed by the guest"}),
        ("DELETE", f"{API}/documents/{doc.pk}", None),
        ("PUT", f"{API}/scope", {"statement": "Nothing"}),
        ("POST", f"{API}/tokens", {"name": "guest"}),
    ]
    for method, url, body in tries:
        response = external_auditor.api(method, url, body)
        assert response.status_code == 403, (method, url)
        assert WRITE_REFUSAL in response.json()["message"], (method, url)
    for url, data in (
        ("/documents/new/", {"title": "Guest page policy", "doc_type": "policy"}),
        ("/risks/new/", {"title": "Guest risk"}),
        (f"/documents/{doc.pk}/edit/", {"title": "Renamed by the guest"}),
    ):
        page = external_auditor.post(url, data)
        assert page.status_code == 403, url
    doc.refresh_from_db()
    assert doc.title == "AI policy"
    assert (Document.objects.count(), Risk.objects.count(), AISystem.objects.count()) == counts

    # The body was valid: the middleware refused it, not validation or the role.
    assert manager.api("POST", f"{API}/documents", _document_body()).status_code == 201


def test_guest_cannot_run_the_certification_project(
    org, project, audit, manager, engagement, external_auditor
):
    before = (audit.status, project.body_name, audit.engagements.count())
    today = timezone.localdate().isoformat()
    for method, url, body in [
        ("PUT", f"{CERT}/project", {"body_name": "Guest Body"}),
        (
            "POST",
            f"{CERT}/audits",
            {"kind": "special", "planned_start": today, "planned_end": today},
        ),
        ("PATCH", f"{CERT}/audits/{audit.pk}", {"plan": "Guest plan"}),
        ("POST", f"{CERT}/audits/{audit.pk}/status", {"action": "start"}),
        ("POST", f"{CERT}/engagements/{engagement.pk}/revoke", None),
        (
            "POST",
            f"{CERT}/engagements",
            {
                "audit_id": str(audit.pk),
                "guest_email": external_auditor.user.email,
                "ends_at": _in(30).isoformat(),
            },
        ),
    ]:
        assert external_auditor.api(method, url, body).status_code == 403, (method, url)
    audit.refresh_from_db()
    project.refresh_from_db()
    assert (audit.status, project.body_name, audit.engagements.count()) == before
    assert external_auditor.api("GET", f"{CERT}/project").status_code == 403


# Working in the workspace ------------------------------------------------------------------------


def test_guest_works_in_their_own_workspace_by_api_and_page(
    org, engagement, external_auditor, contributor
):
    base = f"{CERT}/engagements/{engagement.pk}"
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    calls = [
        ("samples", {"object_type": "record", "label": "Interview with the model owner"}),
        ("comments", {"body": "The policy lacks a review date."}),
        (
            "requests",
            {"title": "Review minutes", "owner_email": contributor.user.email, "due_date": due},
        ),
        (
            "findings",
            {"grade": "minor", "title": "No review date", "owner_email": contributor.user.email},
        ),
    ]
    for step, body in calls:
        response = external_auditor.api("POST", f"{base}/{step}", body)
        assert response.status_code == 201, (step, response.content)

    page = f"/certification/engagements/{engagement.pk}/"
    for step, data in [
        ("sample", {"object_type": "record", "label": "Minutes of the March review"}),
        ("comment", {"body": "Seen on site."}),
        ("ask", {"title": "Training records", "owner": contributor.user.pk, "due_date": due}),
        ("finding", {"grade": "observation", "title": "Good monitoring"}),
    ]:
        response = external_auditor.post(f"{page}{step}/", data)
        assert response.status_code == 302, step
        assert response["Location"] == page

    assert Sample.objects.filter(engagement=engagement).count() == 2
    assert Comment.objects.filter(engagement=engagement, author=external_auditor.user).count() == 2
    assert EvidenceAsk.objects.filter(engagement=engagement, owner=contributor.user).count() == 2
    findings = ExternalFinding.objects.filter(engagement=engagement).select_related("nonconformity")
    assert sorted(f.grade for f in findings) == ["minor", "observation"]
    minor = next(f for f in findings if f.grade == "minor")
    assert minor.raised_by == external_auditor.user
    assert minor.nonconformity is not None and minor.nonconformity.source == "external_audit"

    workspace_out = external_auditor.api("GET", base).json()
    assert len(workspace_out["samples"]) == 2 and len(workspace_out["findings"]) == 2
    assert external_auditor.client.get(page).status_code == 200


def test_guest_cannot_work_in_another_guests_engagement(
    org, engagement, external_auditor, other_guest
):
    guest, theirs = other_guest
    counts = (Sample.objects.count(), Comment.objects.count(), ExternalFinding.objects.count())
    # Each guest sees only their own engagement, and neither may write in the other's.
    for actor, target in ((external_auditor, theirs), (guest, engagement)):
        base = f"{CERT}/engagements/{target.pk}"
        assert actor.api("GET", base).status_code == 403
        assert (
            actor.api(
                "POST", f"{base}/samples", {"object_type": "record", "label": "x"}
            ).status_code
            == 403
        )
        assert actor.api("POST", f"{base}/comments", {"body": "x"}).status_code == 403
        assert (
            actor.api("POST", f"{base}/findings", {"grade": "ofi", "title": "x"}).status_code == 403
        )
        assert actor.client.get(f"/certification/engagements/{target.pk}/").status_code == 403
        assert actor.client.get(f"/certification/audits/{target.audit_id}/").status_code == 403
        listed = actor.api("GET", f"{CERT}/engagements").json()
        assert str(target.pk) not in {e["id"] for e in listed}
        audits = {a["id"] for a in actor.api("GET", f"{CERT}/audits").json()}
        assert str(target.audit_id) not in audits
    assert (
        external_auditor.post(
            f"/certification/engagements/{theirs.pk}/comment/", {"body": "x"}
        ).status_code
        == 403
    )
    assert (Sample.objects.count(), Comment.objects.count(), ExternalFinding.objects.count()) == (
        counts
    )


def test_a_revoked_engagement_is_closed_even_while_another_runs(
    org, project, manager, audit, engagement, external_auditor
):
    later = _audit(project, manager.user, areas=[Area.EVIDENCE], kind="special")
    running = workspace.grant_engagement(
        later, actor=manager.user, membership=external_auditor.membership, ends_at=_in(3)
    )
    workspace.revoke_engagement(engagement, actor=manager.user)
    base = f"{CERT}/engagements/{engagement.pk}"
    before = (Sample.objects.count(), Comment.objects.count())
    assert (
        external_auditor.api(
            "POST", f"{base}/samples", {"object_type": "record", "label": "x"}
        ).status_code
        == 403
    )
    assert external_auditor.api("POST", f"{base}/comments", {"body": "late"}).status_code == 403
    assert (
        external_auditor.post(
            f"/certification/engagements/{engagement.pk}/comment/", {"body": "late"}
        ).status_code
        == 403
    )
    assert (Sample.objects.count(), Comment.objects.count()) == before
    # Nor can the guest read what the revoked workspace holds, or its audit.
    assert external_auditor.api("GET", base).status_code == 403
    assert (
        external_auditor.client.get(f"/certification/engagements/{engagement.pk}/").status_code
        == 403
    )
    assert external_auditor.api("GET", f"{CERT}/audits/{audit.pk}").status_code == 403
    # The revoked audit's areas are gone; the running one's remain.
    assert external_auditor.client.get("/documents/").status_code == 403
    assert external_auditor.client.get("/evidence/").status_code == 200
    assert (
        external_auditor.api(
            "POST", f"{CERT}/engagements/{running.pk}/comments", {"body": "Still here."}
        ).status_code
        == 201
    )


# Expiry and the shell ----------------------------------------------------------------------------


def test_membership_expiry_follows_the_last_engagement(
    project, manager, audit, engagement, external_auditor
):
    membership = Membership.objects.get(pk=external_auditor.membership.pk)
    assert membership.expires_at == engagement.ends_at
    later = _audit(project, manager.user, areas=[Area.EVIDENCE], kind="special")
    longer = workspace.grant_engagement(
        later, actor=manager.user, membership=membership, ends_at=_in(20)
    )
    membership.refresh_from_db()
    assert membership.expires_at == longer.ends_at
    workspace.revoke_engagement(longer, actor=manager.user)
    membership.refresh_from_db()
    assert membership.expires_at == engagement.ends_at


def _assert_signed_out_of_the_organisation(actor, engagement):
    """An expired membership: the API does not authenticate, pages find no organisation."""
    for url in (f"{API}/me", f"{API}/documents", f"{CERT}/engagements/{engagement.pk}"):
        assert actor.api("GET", url).status_code == 401, url
    assert (
        actor.api(
            "POST", f"{CERT}/engagements/{engagement.pk}/comments", {"body": "late"}
        ).status_code
        == 401
    )
    assert actor.client.get("/documents/").status_code == 404
    assert actor.client.get(f"/certification/engagements/{engagement.pk}/").status_code == 404
    assert actor.client.get("/").status_code == 200


def test_revoking_the_only_engagement_ends_access(org, manager, engagement, external_auditor):
    assert external_auditor.client.get("/documents/").status_code == 200
    workspace.revoke_engagement(engagement, actor=manager.user)
    membership = Membership.objects.get(pk=external_auditor.membership.pk)
    assert membership.expires_at <= timezone.now()
    _assert_signed_out_of_the_organisation(external_auditor, engagement)
    assert Comment.objects.filter(engagement=engagement).count() == 0


def test_access_ends_by_itself_when_the_engagement_ends(org, manager, engagement, external_auditor):
    assert external_auditor.api("GET", f"{API}/documents").status_code == 200
    # Time passes: the engagement and (synced to it) the membership end together.
    past = timezone.now() - dt.timedelta(minutes=1)
    type(engagement).objects.filter(pk=engagement.pk).update(ends_at=past)
    Membership.objects.filter(pk=external_auditor.membership.pk).update(expires_at=past)
    _assert_signed_out_of_the_organisation(external_auditor, engagement)


def test_an_ended_engagement_leaves_only_the_shell_while_the_membership_runs(
    org, manager, engagement, external_auditor
):
    # The admin extended the guest's membership by hand, but the engagement is over.
    type(engagement).objects.filter(pk=engagement.pk).update(
        ends_at=timezone.now() - dt.timedelta(minutes=1)
    )
    _assert_only_the_shell(external_auditor)
    assert external_auditor.api("GET", f"{CERT}/engagements/{engagement.pk}").status_code == 403
    assert (
        external_auditor.client.get(f"/certification/engagements/{engagement.pk}/").status_code
        == 403
    )
    assert (
        external_auditor.api(
            "POST", f"{CERT}/engagements/{engagement.pk}/comments", {"body": "late"}
        ).status_code
        == 403
    )


def _assert_only_the_shell(actor):
    assert actor.client.get("/").status_code == 200
    home = actor.client.get("/certification/")
    assert home.status_code == 200 and "No engagement is running for you" in home.content.decode()
    assert actor.client.get("/catalog/").status_code == 200
    assert actor.api("GET", f"{API}/me").status_code == 200
    assert actor.api("GET", f"{CERT}/audits").json() == []
    for url in ("/documents/", "/soa/", "/risks/", "/ai-systems/", "/audit/", "/context/"):
        page = actor.client.get(url)
        assert page.status_code == 403, url
    for url in (f"{API}/documents", f"{API}/soa", f"{API}/ai-systems", f"{API}/audit-events"):
        response = actor.api("GET", url)
        assert response.status_code == 403, url
        assert SHELL_REFUSAL in response.json()["message"], url


def test_a_guest_never_engaged_sees_only_the_shell(org, manager, external_auditor):
    _document(org, manager)
    _assert_only_the_shell(external_auditor)
    assert external_auditor.api("GET", f"{CERT}/engagements").json() == []


# The audit trail of guests' requests -------------------------------------------------------------


def test_every_guest_request_is_logged_and_members_are_not(
    org, other_org, manager, contributor, engagement, external_auditor, outsider
):
    external_auditor.csrf()  # fetch the CSRF cookie now: that request is logged too
    start = _guest_events(org).count()
    for actor in (manager, contributor):
        actor.client.get("/documents/")
        actor.api("GET", f"{API}/documents")
        actor.api("GET", f"{CERT}/engagements")
    outsider.client.get("/documents/")
    assert _guest_events(org).count() == start
    assert not _guest_events(other_org).exists()

    calls = [
        ("GET", "/documents/", workspace.GUEST_VIEWED),
        ("GET", f"{API}/soa", workspace.GUEST_VIEWED),
        ("GET", "/risks/", workspace.GUEST_REFUSED),
        ("GET", f"{API}/risks", workspace.GUEST_REFUSED),
        ("POST", f"{API}/documents", workspace.GUEST_REFUSED),
        ("POST", f"{CERT}/engagements/{engagement.pk}/comments", workspace.GUEST_VIEWED),
    ]
    for method, url, action in calls:
        last = _guest_events(org).order_by("-seq").values_list("seq", flat=True).first() or 0
        if method == "GET" and not url.startswith(API):
            external_auditor.client.get(url)
        else:
            external_auditor.api(method, url, {"body": "Noted."} if method == "POST" else None)
        new = list(_guest_events(org).filter(seq__gt=last))
        assert len(new) == 1, (method, url, [e.action for e in new])
        event = new[0]
        assert event.action == action, (method, url)
        assert json.loads(event.changes) == {"method": method, "path": url}
        assert event.actor_id == external_auditor.user.pk
        assert event.object_id == str(external_auditor.membership.pk)
    assert _guest_events(org).count() == start + len(calls)
    assert not _guest_events(other_org).exists()

    # The managers see the activity on the certification page.
    home = manager.client.get("/certification/").content.decode()
    assert "/api/v1/risks" in home and "refused" in home
    # As sentences, not the recorded JSON.
    assert 'Was refused the page <a href="/api/v1/risks">/api/v1/risks</a>' in home
    assert 'Opened <a href="/documents/">/documents/</a>' in home
    assert '"method"' not in home


def test_a_guest_without_engagement_is_logged_too(org, external_auditor):
    external_auditor.client.get("/documents/")
    event = _events(org, workspace.GUEST_REFUSED).get()
    assert json.loads(event.changes) == {"method": "GET", "path": "/documents/"}


# Tokens: the middleware sees the same person ninja authenticates ---------------------------------


def test_a_guests_api_token_is_confined_like_the_session(org, engagement, external_auditor):
    _, secret = accounts.create_api_token(external_auditor.membership, name="kept", actor="test")
    client = Client()
    for scheme in ("Bearer", "bearer", "BEARER"):
        header = {"HTTP_AUTHORIZATION": f"{scheme} {secret}"}
        assert client.get(f"{API}/documents", **header).status_code == 200, scheme
        assert client.get(f"{API}/risks", **header).status_code == 403, scheme
        assert (
            client.post(
                f"{API}/documents", _document_body(), content_type="application/json", **header
            ).status_code
            == 403
        ), scheme
    assert Document.objects.count() == 0


def test_a_bad_token_does_not_unlock_the_guests_session(org, engagement, external_auditor):
    """ninja falls back from a token it rejects to the session: the middleware must as well."""
    for header in ("Bearer not-a-token", "Bearer aw_forged", "Token whatever"):
        response = external_auditor.client.get(f"{API}/risks", HTTP_AUTHORIZATION=header)
        assert response.status_code == 403, header
        response = external_auditor.client.post(
            f"{API}/documents",
            _document_body(),
            content_type="application/json",
            HTTP_AUTHORIZATION=header,
            HTTP_X_CSRFTOKEN=external_auditor.csrf(),
        )
        assert response.status_code == 403, header
    assert Document.objects.count() == 0


# Another organisation ----------------------------------------------------------------------------


def test_an_outsider_cannot_see_the_audit_engagement_or_workspace(
    org, manager, audit, engagement, outsider, external_auditor
):
    ask = workspace.ask_evidence(
        engagement,
        actor=external_auditor.user,
        title="Logs",
        owner=manager.user,
        due_date=timezone.localdate(),
    )
    for url in (
        f"/certification/audits/{audit.pk}/",
        f"/certification/engagements/{engagement.pk}/",
    ):
        assert outsider.client.get(url).status_code == 404, url
    for url in (
        f"{CERT}/audits/{audit.pk}",
        f"{CERT}/audits/{audit.pk}/findings",
        f"{CERT}/engagements/{engagement.pk}",
    ):
        assert outsider.api("GET", url).status_code == 404, url
    for url, body in (
        (f"{CERT}/engagements/{engagement.pk}/comments", {"body": "x"}),
        (f"{CERT}/engagements/{engagement.pk}/revoke", None),
        (f"{CERT}/requests/{ask.pk}/answer", {"answer": "x"}),
    ):
        assert outsider.api("POST", url, body).status_code == 404, url
    assert (
        outsider.post(
            f"/certification/engagements/{engagement.pk}/comment/", {"body": "x"}
        ).status_code
        == 404
    )
    assert outsider.api("GET", f"{CERT}/engagements").json() == []
    assert outsider.api("GET", f"{CERT}/audits").json() == []
    assert outsider.api("GET", f"{CERT}/requests").json() == []
    assert Comment.objects.count() == 0
    engagement.refresh_from_db()
    assert engagement.revoked_at is None


# scope.refusal, unit by unit ---------------------------------------------------------------------

IN_SCOPE = uuid.UUID("6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f")
OTHER = uuid.UUID("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
NARROW = scope.GuestScope(
    frozenset({Area.DOCUMENTS, Area.CONTROLS, Area.SYSTEMS}), False, frozenset({str(IN_SCOPE)})
)
EVERY_AREA = scope.GuestScope(frozenset(Area.values), True)
EVERY_AREA_ONE_SYSTEM = scope.GuestScope(frozenset(Area.values), False, frozenset({str(IN_SCOPE)}))


@pytest.mark.parametrize(
    "path",
    [
        "/documents/",
        "/documents",
        "//documents//",
        "/soa/controls/A.6.2.4/",
        "/api/v1/documents",
        "/api/v1/documents/",
        "/api/v1/soa/export",
        f"/ai-systems/{IN_SCOPE}/",
        f"/ai-systems/{str(IN_SCOPE).upper()}/",
        f"/api/v1/ai-systems/{IN_SCOPE.hex}",
        f"/api/v1/ai-systems/{{{IN_SCOPE}}}",
        "/ai-systems/",
        "/ai-systems/export/",
        "/",
        "/certification/",
        "/catalog/search/",
        "/api/v1/me",
        "/api/v1/catalog/frameworks",
        "/api/v1/certification/audits",
    ],
)
def test_refusal_lets_in_scope_reads_through(path):
    assert scope.refusal(NARROW, "GET", path) is None
    assert scope.refusal(NARROW, "head", path) is None


@pytest.mark.parametrize(
    "path",
    [
        "/risks/",
        "/risks",
        "/RISKS/",
        "/Documents/",
        "/api/v1/risks/",
        "/api/v1/risk-methods",
        "/api/v1/treatment-actions/x",
        "/evidence/",
        "/audit/",
        "/api/v1/audit-events",
        "/transparency/",
        "/api/v1/systems/x/card",
        "/members/",
        "/reports/",
        "/api/v1/",
        "/api/v1",
        "/API/v1/documents",
        "/api/v2/documents",
        "/django-admin/",
        f"/ai-systems/{OTHER}/",
        f"/ai-systems/{str(OTHER).upper()}/",
        f"/api/v1/ai-systems/{OTHER.hex}",
        f"/api/v1/ai-systems/{{{OTHER}}}",
        f"/api/v1/ai-systems/urn:uuid:{OTHER}",
        f"/api/v1/ai-systems/{OTHER}/classification/preview",
    ],
)
def test_refusal_refuses_what_the_scope_does_not_cover(path):
    assert scope.refusal(NARROW, "GET", path) is not None


def test_refusal_of_unknown_parts_depends_on_covering_every_area():
    for path in ("/transparency/", "/reports/", "/api/v1/reports/certification-packs", "/new-app/"):
        assert scope.refusal(NARROW, "GET", path) is not None, path
        assert scope.refusal(EVERY_AREA, "GET", path) is None, path
    assert scope.refusal(EVERY_AREA, "GET", f"/ai-systems/{OTHER}/") is None
    # Every area but not every system: the other system's detail stays closed.
    assert scope.refusal(EVERY_AREA_ONE_SYSTEM, "GET", f"/ai-systems/{OTHER}/") is not None
    assert scope.refusal(EVERY_AREA_ONE_SYSTEM, "GET", f"/ai-systems/{IN_SCOPE}/") is None
    # The system cards of the transparency app name their system too.
    for path in (
        f"/api/v1/systems/{OTHER}/card",
        f"/api/v1/systems/{str(OTHER).upper()}/card/versions",
        f"/transparency/systems/{OTHER}/",
        f"/transparency/systems/{OTHER}/card.pdf",
    ):
        assert scope.refusal(EVERY_AREA_ONE_SYSTEM, "GET", path) is not None, path
        assert scope.refusal(EVERY_AREA, "GET", path) is None, path
    assert scope.refusal(EVERY_AREA_ONE_SYSTEM, "GET", f"/api/v1/systems/{IN_SCOPE}/card") is None


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("POST", "/certification/engagements/x/comment/", True),
        ("POST", "/api/v1/certification/engagements/x/comments", True),
        ("post", "/api/v1/certification/engagements/x/samples/", True),
        ("POST", "/signout/", True),
        ("POST", "/password/", True),
        ("POST", "/organisation/switch/", True),
        ("POST", "/documents/new/", False),
        ("POST", "/api/v1/documents", False),
        ("PATCH", "/api/v1/documents/x", False),
        ("delete", "/api/v1/documents/x", False),
        ("PUT", "/api/v1/scope", False),
        ("POST", "/api/v1/signout", False),
        ("POST", "/catalog/", False),
        ("POST", "/api/v1/catalog/frameworks", False),
        ("POST", "/", False),
        ("POST", "/certificationx/", False),
        ("POST", "/api/v1/me", False),
    ],
)
def test_refusal_of_writes(method, path, allowed):
    for current in (NARROW, EVERY_AREA):
        assert (scope.refusal(current, method, path) is None) is allowed, current
    # Without an engagement the workspace still takes the request; its views refuse it.
    assert (scope.refusal(None, method, path) is None) is allowed


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/", True),
        ("/certification/", True),
        ("/certification/engagements/x/", True),
        ("/signin/", True),
        ("/catalog/", True),
        ("/api/v1/me", True),
        ("/api/v1/certification/engagements", True),
        ("/public/meridian/", True),
        ("/documents/", False),
        ("/api/v1/documents", False),
        ("/ai-systems/", False),
        ("/transparency/", False),
        ("/api/v1/", False),
    ],
)
def test_refusal_without_an_engagement_leaves_only_the_shell(path, allowed):
    assert (scope.refusal(None, "GET", path) is None) is allowed


def test_guest_scope_is_the_union_of_the_audits(project, manager, systems):
    credit, chatbot = systems
    one = _audit(project, manager.user, areas=[Area.DOCUMENTS], systems=[credit])
    two = _audit(project, manager.user, areas=[Area.RISKS], systems=[chatbot], kind="special")
    union = scope.GuestScope.of([one, two])
    assert union.areas == {Area.DOCUMENTS, Area.RISKS}
    assert union.system_ids == {str(credit.pk), str(chatbot.pk)}
    assert not union.all_systems and not union.everything
    assert scope.GuestScope.of(
        [one, _audit(project, manager.user, areas=[], all_systems=True, kind="surveillance_1")]
    ).all_systems
