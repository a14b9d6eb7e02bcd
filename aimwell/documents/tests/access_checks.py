"""Access checks of the document routes (collected by the role matrix).

Transitions are idempotent (submitting a version already in review changes nothing), so every
allowed role can call the same URL in turn and get the same success."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from aimwell.documents import services
from aimwell.testing import EVERYONE, MANAGERS, READERS, Check

CONTRIBUTORS = {"admin", "aims_manager", "contributor"}
ACKNOWLEDGERS = EVERYONE - {"external_auditor"}
INSIDERS = sorted(ACKNOWLEDGERS)


def _published(org: Any, reference: str, approver: Any) -> Any:
    document = services.create_document(
        org,
        title=f"Access procedure {reference}",
        doc_type="procedure",
        reference=reference,
        body=f"# {reference}\n\nVersion one.",
        acknowledgement_roles=INSIDERS,
        requirement_urns=["iso42001:2023:7.5.3"],
        actor="test",
    )
    version = document.working_version
    services.submit_for_review(version, actor="test")
    services.approve(version, membership=approver.membership, actor=approver.user)
    services.publish(version, actor="test")
    document.refresh_from_db()
    return document


def setup(ctx: dict[str, Any]) -> None:
    org, manager = ctx["org"], ctx["everyone"]["aims_manager"]
    # Published v1, v2 in review.
    in_review = _published(org, "PRO-90", manager)
    v2 = services.start_new_version(in_review, actor="test")
    services.save_draft(v2, body="# PRO-90\n\nVersion two.", based_on=v2.lock_version, actor="test")
    services.submit_for_review(v2, actor="test")
    # Published v1, v2 draft with a kept edit conflict.
    draft = _published(org, "PRO-91", manager)
    v2 = services.start_new_version(draft, actor="test")
    conflict = services.save_draft(v2, body="refused text", based_on=0, actor="test").conflict
    # Published v1, v2 approved and ready to publish.
    approved = _published(org, "PRO-92", manager)
    v2 = services.start_new_version(approved, actor="test")
    services.submit_for_review(v2, actor="test")
    services.approve(v2, membership=manager.membership, actor=manager.user)
    ctx["doc_review"], ctx["doc_draft"], ctx["doc_approved"] = in_review, draft, approved
    ctx["conflict"] = conflict


def _d(ctx: dict[str, Any], key: str = "doc_review") -> str:
    return str(ctx[key].pk)


def _api(ctx: dict[str, Any], key: str = "doc_review", tail: str = "") -> str:
    return f"/api/v1/documents/{_d(ctx, key)}{tail}"


WEB: dict[str, Check | str] = {
    "documents:home": Check("GET", lambda c: reverse("documents:home"), EVERYONE, object=False),
    "documents:pick": Check(
        "GET", lambda c: reverse("documents:pick") + "?q=a", EVERYONE, object=False
    ),
    "documents:checklist": Check(
        "GET", lambda c: reverse("documents:checklist"), READERS, object=False
    ),
    "documents:templates": Check(
        "GET", lambda c: reverse("documents:templates"), CONTRIBUTORS, object=False
    ),
    "documents:new": Check("GET", lambda c: reverse("documents:new"), CONTRIBUTORS, object=False),
    "documents:detail": Check(
        "GET", lambda c: reverse("documents:detail", args=[_d(c)]), EVERYONE, object=True
    ),
    "documents:version": Check(
        "GET", lambda c: reverse("documents:version", args=[_d(c), 1]), EVERYONE, object=True
    ),
    "documents:pdf": Check(
        "GET", lambda c: reverse("documents:pdf", args=[_d(c), 1]), EVERYONE, object=True
    ),
    "documents:edit": Check(
        "GET", lambda c: reverse("documents:edit", args=[_d(c, "doc_draft")]), MANAGERS, object=True
    ),
    "documents:settings": Check(
        "GET", lambda c: reverse("documents:settings", args=[_d(c)]), MANAGERS, object=True
    ),
    "documents:transition": Check(
        "POST",
        lambda c: reverse("documents:transition", args=[_d(c), "submit"]),
        MANAGERS,
        object=True,
        ok=302,
    ),
    "documents:acknowledge": Check(
        "POST",
        lambda c: reverse("documents:acknowledge", args=[_d(c)]),
        ACKNOWLEDGERS,
        object=True,
        ok=302,
    ),
    "documents:acknowledgements": Check(
        "GET", lambda c: reverse("documents:acknowledgements", args=[_d(c)]), READERS, object=True
    ),
    "documents:conflict": Check(
        "GET",
        lambda c: reverse("documents:conflict", args=[str(c["conflict"].pk)]),
        MANAGERS,
        object=True,
    ),
}


API: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/documents"): Check(
        "GET", lambda c: "/api/v1/documents", EVERYONE, object=False
    ),
    ("POST", "/api/v1/documents"): Check(
        "POST",
        lambda c: "/api/v1/documents",
        CONTRIBUTORS,
        object=False,
        ok=201,
        body=lambda role: {"title": f"Record of {role}", "doc_type": "record"},
    ),
    ("GET", "/api/v1/documents/templates"): Check(
        "GET", lambda c: "/api/v1/documents/templates", READERS, object=False
    ),
    ("POST", "/api/v1/documents/from-template"): Check(
        "POST",
        lambda c: "/api/v1/documents/from-template",
        CONTRIBUTORS,
        object=False,
        ok=201,
        body=lambda role: {"template": "responsible-use"},
    ),
    ("GET", "/api/v1/documents/checklist"): Check(
        "GET", lambda c: "/api/v1/documents/checklist", READERS, object=False
    ),
    ("GET", "/api/v1/documents/{document_id}"): Check(
        "GET", lambda c: _api(c), EVERYONE, object=True
    ),
    ("PATCH", "/api/v1/documents/{document_id}"): Check(
        "PATCH",
        lambda c: _api(c),
        MANAGERS,
        object=True,
        body=lambda role: {"review_interval_months": 6},
    ),
    ("GET", "/api/v1/documents/{document_id}/versions"): Check(
        "GET", lambda c: _api(c, tail="/versions"), EVERYONE, object=True
    ),
    ("GET", "/api/v1/documents/{document_id}/versions/{number}"): Check(
        "GET", lambda c: _api(c, tail="/versions/1"), EVERYONE, object=True
    ),
    ("GET", "/api/v1/documents/{document_id}/versions/{number}/pdf"): Check(
        "GET", lambda c: _api(c, tail="/versions/1/pdf"), EVERYONE, object=True
    ),
    ("POST", "/api/v1/documents/{document_id}/versions/{number}/publish"): Check(
        "POST", lambda c: _api(c, "doc_approved", "/versions/2/publish"), MANAGERS, object=True
    ),
    ("PUT", "/api/v1/documents/{document_id}/draft"): Check(
        "PUT",
        lambda c: _api(c, "doc_draft", "/draft"),
        MANAGERS,
        object=True,
        body=lambda role: {"body": "# Merged text", "lock_version": 1},
    ),
    ("POST", "/api/v1/documents/{document_id}/submit"): Check(
        "POST", lambda c: _api(c, tail="/submit"), MANAGERS, object=True
    ),
    ("POST", "/api/v1/documents/{document_id}/approve"): Check(
        "POST", lambda c: _api(c, tail="/approve"), MANAGERS, object=True, body=lambda r: {}
    ),
    ("POST", "/api/v1/documents/{document_id}/return-to-draft"): Check(
        "POST",
        lambda c: _api(c, tail="/return-to-draft"),
        MANAGERS,
        object=True,
        body=lambda r: {"note": "needs work"},
    ),
    ("POST", "/api/v1/documents/{document_id}/new-version"): Check(
        "POST", lambda c: _api(c, tail="/new-version"), MANAGERS, object=True, body=lambda r: {}
    ),
    ("POST", "/api/v1/documents/{document_id}/reviewed"): Check(
        "POST", lambda c: _api(c, tail="/reviewed"), MANAGERS, object=True, body=lambda r: {}
    ),
    ("POST", "/api/v1/documents/{document_id}/retire"): Check(
        "POST", lambda c: _api(c, tail="/retire"), MANAGERS, object=True, body=lambda r: {}
    ),
    ("POST", "/api/v1/documents/{document_id}/acknowledge"): Check(
        "POST", lambda c: _api(c, tail="/acknowledge"), ACKNOWLEDGERS, object=True
    ),
    ("GET", "/api/v1/documents/{document_id}/acknowledgements"): Check(
        "GET", lambda c: _api(c, tail="/acknowledgements"), READERS, object=True
    ),
}
