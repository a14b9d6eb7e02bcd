"""Document pages and API: forms, the conflict page, approvals refused to the wrong role,
staff reading and acknowledging, and query counts of lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aimwell.documents import services
from aimwell.documents.models import Document, DraftConflict, VersionStatus


@pytest.fixture
def policy(catalog, org, admin, manager):
    return services.create_from_template(org, "ai-policy", actor=admin.user)


def _publish(document, admin, manager):
    version = document.working_version
    services.submit_for_review(version, actor=admin.user)
    services.approve(version, membership=manager.membership, actor=manager.user)
    services.publish(version, actor=admin.user)
    document.refresh_from_db()
    return version


def test_create_from_template_page(catalog, org, admin, manager):
    response = admin.post(reverse("documents:templates"), {"template": "incident-response"})
    assert response.status_code == 302
    document = Document.objects.get(template_key="incident-response")
    assert document.reference == "PLN-03" and document.status == "draft"
    page = admin.client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "AI incident response plan" in page and "Submit for review" in page


def test_second_writer_gets_a_conflict_page_showing_both_texts(policy, admin, manager):
    url = reverse("documents:edit", args=[policy.pk])
    base = policy.working_version.lock_version
    first = admin.post(url, {"body": "First writer's text", "lock_version": base})
    assert first.status_code == 302
    second = manager.post(url, {"body": "Second writer's text", "lock_version": base})
    assert second.status_code == 409
    page = second.content.decode()
    assert "First writer&#x27;s text" in page and "Second writer&#x27;s text" in page
    conflict = DraftConflict.objects.get()
    assert conflict.body == "Second writer's text" and conflict.author == manager.user
    assert manager.client.get(reverse("documents:conflict", args=[conflict.pk])).status_code == 200
    policy.working_version.refresh_from_db()
    assert policy.working_version.body == "First writer's text"


def test_api_conflict_is_409_with_both_texts(policy, admin, manager):
    url = f"/api/v1/documents/{policy.pk}/draft"
    base = policy.working_version.lock_version
    ok = admin.api("PUT", url, {"body": "A", "lock_version": base})
    assert ok.status_code == 200 and ok.json()["lock_version"] == base + 1
    clash = manager.api("PUT", url, {"body": "B", "lock_version": base})
    assert clash.status_code == 409
    assert clash.json()["current_body"] == "A" and clash.json()["your_body"] == "B"


def test_approval_without_authority_is_refused_on_page_and_api(policy, admin, contributor, manager):
    services.submit_for_review(policy.working_version, actor=admin.user)
    page = admin.post(reverse("documents:transition", args=[policy.pk, "approve"]))
    assert page.status_code == 403
    api = contributor.api("POST", f"/api/v1/documents/{policy.pk}/approve", {})
    assert api.status_code == 403 and "top management" in api.json()["message"]
    detail = admin.client.get(reverse("documents:detail", args=[policy.pk])).content.decode()
    assert "must be approved by top management" in detail
    ok = manager.api("POST", f"/api/v1/documents/{policy.pk}/approve", {"note": "Fine"})
    assert ok.status_code == 200 and ok.json()["working_version"]["status"] == "approved"


def test_staff_read_published_only_and_acknowledge(policy, org, admin, manager, staff):
    draft_only = services.create_from_template(org, "data-governance", actor=admin.user)
    # Drafts are invisible to staff (not just forbidden): their existence is not revealed.
    assert staff.client.get(reverse("documents:detail", args=[policy.pk])).status_code == 404
    _publish(policy, admin, manager)
    home = staff.client.get(reverse("documents:home")).content.decode()
    assert "Waiting for your acknowledgement" in home and "AI policy" in home
    assert "Data governance" not in home
    assert staff.client.get(reverse("documents:detail", args=[draft_only.pk])).status_code == 404
    staff.post(reverse("documents:acknowledge", args=[policy.pk]))
    assert (
        "Waiting for your acknowledgement"
        not in staff.client.get(reverse("documents:home")).content.decode()
    )
    acks = admin.api("GET", f"/api/v1/documents/{policy.pk}/acknowledgements").json()
    assert {a["email"]: bool(a["acknowledged_at"]) for a in acks}[staff.user.email] is True


def test_old_version_stays_readable_after_new_publication(policy, admin, manager, staff):
    v1 = _publish(policy, admin, manager)
    v1.refresh_from_db()
    v2 = services.start_new_version(policy, actor=admin.user)
    services.save_draft(v2, body="# AI policy v2\n", based_on=v2.lock_version, actor=admin.user)
    policy.refresh_from_db()
    _publish(policy, admin, manager)
    old = admin.client.get(reverse("documents:version", args=[policy.pk, 1])).content.decode()
    assert "Superseded" in old and "Purpose" in old
    assert admin.client.get(reverse("documents:pdf", args=[policy.pk, 1])).content.startswith(
        b"%PDF"
    )
    versions = admin.api("GET", f"/api/v1/documents/{policy.pk}/versions").json()
    assert [(v["number"], v["status"]) for v in versions] == [(2, "published"), (1, "superseded")]
    assert versions[1]["body_sha256"] == v1.body_sha256
    # Staff see only the current version.
    assert staff.client.get(reverse("documents:version", args=[policy.pk, 1])).status_code == 404
    assert staff.api("GET", f"/api/v1/documents/{policy.pk}/versions").json()[0]["number"] == 2


def test_new_document_form_validates(catalog, org, admin):
    bad = admin.post(
        reverse("documents:new"),
        {
            "title": "X",
            "doc_type": "policy",
            "classification": "internal",
            "review_interval_months": 12,
            "requirements": "iso42001:2023:99",
        },
    )
    assert bad.status_code == 200 and "No requirement" in bad.content.decode()
    good = admin.post(
        reverse("documents:new"),
        {
            "title": "Model card standard",
            "doc_type": "procedure",
            "classification": "internal",
            "review_interval_months": 12,
            "requirements": "iso42001:2023:A.6.2.7",
        },
    )
    assert good.status_code == 302
    assert Document.objects.get(title="Model card standard").reference == "PRO-01"


def test_checklist_page_and_api(policy, admin):
    page = admin.client.get(reverse("documents:checklist")).content.decode()
    assert "Determining the scope" in page and "Missing" in page
    data = admin.api("GET", "/api/v1/documents/checklist").json()
    assert data["total"] == 19
    assert {r["urn"]: r["state"] for r in data["rows"]}["iso42001:2023:5.2"] == "draft"


@pytest.mark.parametrize("url_name", ["documents:home", "documents:checklist"])
def test_list_pages_do_not_grow_queries_with_rows(catalog, org, admin, manager, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from aimwell.documents.doc_templates import TEMPLATES

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert admin.client.get(reverse(url_name)).status_code == 200
        return len(ctx.captured_queries)

    for template in TEMPLATES[:2]:
        _publish(services.create_from_template(org, template.key, actor=admin.user), admin, manager)
    count()
    few = count()
    for template in TEMPLATES[2:10]:
        document = services.create_from_template(org, template.key, actor=admin.user)
        if template.doc_type != "policy":
            _publish(document, admin, manager)
    assert count() == few


def test_api_list_does_not_grow_queries_with_rows(catalog, org, admin, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from aimwell.documents.doc_templates import TEMPLATES

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert admin.api("GET", "/api/v1/documents").status_code == 200
        return len(ctx.captured_queries)

    _publish(services.create_from_template(org, "ai-policy", actor=admin.user), admin, manager)
    admin.csrf()
    few = count()
    for template in TEMPLATES[2:9]:
        _publish(services.create_from_template(org, template.key, actor=admin.user), admin, manager)
    assert count() == few


def test_retire_keeps_the_record(policy, admin, manager):
    _publish(policy, admin, manager)
    response = admin.api("POST", f"/api/v1/documents/{policy.pk}/retire", {"note": "Replaced"})
    assert response.status_code == 200 and response.json()["status"] == VersionStatus.RETIRED
    assert admin.client.get(reverse("documents:detail", args=[policy.pk])).status_code == 200


def test_templates_list_only_in_scope_ai_systems(catalog, org, admin):
    from django.apps import apps

    model = apps.get_model("inventory", "AISystem")
    model.objects.create(organisation=org, name="Loan pricing engine", owner=admin.user)
    model.objects.create(
        organisation=org, name="Office spam filter", owner=admin.user, in_scope=False
    )
    body = services.create_from_template(org, "ai-policy", actor=admin.user).working_version.body
    assert "- Loan pricing engine" in body and "Office spam filter" not in body


def test_filters_return_an_htmx_partial(policy, admin):
    partial = admin.client.get(
        reverse("documents:home"), {"q": "policy"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in partial and "AI policy" in partial
    none = admin.client.get(reverse("documents:home"), {"q": "zzz"}, HTTP_HX_REQUEST="true")
    assert "No documents match these filters." in none.content.decode()


def test_the_document_form_searches_owner_and_requirements(catalog, org, admin, outsider):
    page = admin.client.get(reverse("documents:new")).content.decode()
    assert "URN" not in page and '<textarea name="requirements"' not in page
    assert 'hx-get="/catalog/pick/"' in page and 'hx-get="/members/pick/"' in page
    body = {
        "title": "Logging procedure",
        "doc_type": "procedure",
        "classification": "internal",
        "review_interval_months": 12,
        "requirements": "iso42001:2023:A.6.2.8",
    }
    refused = admin.post(reverse("documents:new"), {**body, "owner": str(outsider.user.pk)})
    assert refused.status_code == 200
    assert list(refused.context["form"].errors) == ["owner"]
    # The requirement sent back shows by its title, not as a bare URN.
    assert "A.6.2.8" in refused.content.decode() and "event logs" in refused.content.decode()
    assert not Document.objects.filter(title="Logging procedure").exists()
    done = admin.post(reverse("documents:new"), {**body, "owner": str(admin.user.pk)})
    assert done.status_code == 302
    assert Document.objects.get(title="Logging procedure").owner == admin.user
