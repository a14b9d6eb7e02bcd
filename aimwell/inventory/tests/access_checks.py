"""Access checks of the inventory routes (collected by the role matrix).

The contributor owns the system; contributors write what they own, so they may edit it too.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aimwell.inventory import services
from aimwell.inventory.models import AIModel, AISystem, Dataset, Resource, Supplier
from aimwell.testing import MANAGERS, READERS, ROLES, Check

WRITERS = {"admin", "aims_manager", "contributor"}


def setup(ctx: dict[str, Any]) -> None:
    org = ctx["org"]
    owner = ctx["everyone"]["contributor"].user
    supplier = services.create(Supplier, org, actor="t", name="Acme Data Ltd")
    model = services.create(AIModel, org, actor="t", name="scorer", version="1", origin="in_house")
    dataset = services.create(Dataset, org, actor="t", name="applications")
    system = services.create(
        AISystem,
        org,
        actor="t",
        name="Credit scoring",
        purpose="Score loan applications",
        owner=owner,
        lifecycle_stage="deployed",
    )
    for kind, target in (("models", model), ("datasets", dataset), ("suppliers", supplier)):
        services.link(system, kind, target, actor="t")
    services.create(Resource, org, actor="t", system=system, kind="compute", name="GPU pool")
    from aimwell.inventory.models import ReviewFlag

    ReviewFlag.objects.create(
        organisation=org,
        system=system,
        subject_type="test.subject",
        subject_id="1",
        subject_label="Test decision",
        reason="test",
        raised_by_label="t",
    )
    # Keys carry the app's prefix: every app's setup shares one context.
    ctx.update(
        inv_system=system,
        inv_model=model,
        inv_dataset=dataset,
        inv_supplier=supplier,
        inv_flag=system.review_flags.first(),
    )


def _system(c: dict[str, Any]) -> str:
    return str(c["inv_system"].pk)


def _csv(role: str) -> dict[str, Any]:
    text = f"name,provides\nSupplier for {role},data\n"
    return {"kind": "suppliers", "file": SimpleUploadedFile("s.csv", text.encode())}


def _model_body(role: str) -> dict[str, Any]:
    return {"name": f"m-{role}", "version": "1", "origin": "open"}


WEB: dict[str, Check | str] = {
    "inventory:systems": Check("GET", lambda c: reverse("inventory:systems"), READERS, False),
    "inventory:system-new": Check("GET", lambda c: reverse("inventory:system-new"), WRITERS, False),
    "inventory:import": Check("GET", lambda c: reverse("inventory:import"), MANAGERS, False),
    "inventory:export": Check("GET", lambda c: reverse("inventory:export"), READERS, False),
    "inventory:system": Check(
        "GET", lambda c: reverse("inventory:system", args=[_system(c)]), READERS, True
    ),
    "inventory:system-edit": Check(
        "GET", lambda c: reverse("inventory:system-edit", args=[_system(c)]), WRITERS, True
    ),
    "inventory:system-pick": Check(
        "GET", lambda c: reverse("inventory:system-pick") + "?q=a", set(ROLES), False
    ),
    "inventory:link-pick": Check(
        "GET",
        lambda c: reverse("inventory:link-pick", args=[_system(c), "datasets"]) + "?q=a",
        WRITERS,
        True,
    ),
    "inventory:resource-add": Check(
        "POST",
        lambda c: reverse("inventory:resource-add", args=[_system(c)]),
        WRITERS,
        True,
        body=lambda role: {"kind": "people", "name": f"analyst {role}"},
        ok=302,
    ),
    "inventory:system-link": Check(
        "POST",
        lambda c: reverse("inventory:system-link", args=[_system(c), "models", "unlink"]),
        WRITERS,
        True,
        body=lambda role, c: {"target": str(c["inv_model"].pk)},
        ok=302,
    ),
    "inventory:review-resolve": Check(
        "POST",
        lambda c: reverse("inventory:review-resolve", args=[c["inv_flag"].pk]),
        WRITERS,
        True,
        body=lambda role: {"note": "checked"},
        ok=302,
    ),
    "inventory:list": Check(
        "GET", lambda c: reverse("inventory:list", args=["models"]), READERS, False
    ),
    "inventory:new": Check(
        "GET", lambda c: reverse("inventory:new", args=["suppliers"]), MANAGERS, False
    ),
    "inventory:detail": Check(
        "GET",
        lambda c: reverse("inventory:detail", args=["models", c["inv_model"].pk]),
        READERS,
        True,
    ),
    "inventory:edit": Check(
        "GET",
        lambda c: reverse("inventory:edit", args=["datasets", c["inv_dataset"].pk]),
        WRITERS,
        True,
    ),
    "inventory:model-version": Check(
        "POST",
        lambda c: reverse("inventory:model-version", args=[c["inv_model"].pk]),
        WRITERS,
        True,
        body=lambda role: {"version": f"2-{role}"},
        ok=302,
    ),
}


API: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/ai-systems"): Check("GET", lambda c: "/api/v1/ai-systems", READERS, False),
    ("POST", "/api/v1/ai-systems"): Check(
        "POST",
        lambda c: "/api/v1/ai-systems",
        WRITERS,
        False,
        ok=201,
        body=lambda role: {"name": f"System of {role}", "purpose": "Testing access"},
    ),
    ("GET", "/api/v1/ai-systems/{system_id}"): Check(
        "GET", lambda c: f"/api/v1/ai-systems/{_system(c)}", READERS, True
    ),
    ("PATCH", "/api/v1/ai-systems/{system_id}"): Check(
        "PATCH",
        lambda c: f"/api/v1/ai-systems/{_system(c)}",
        WRITERS,
        True,
        body=lambda role: {"geography": f"EU ({role})"},
    ),
    ("POST", "/api/v1/ai-systems/{system_id}/resources"): Check(
        "POST",
        lambda c: f"/api/v1/ai-systems/{_system(c)}/resources",
        WRITERS,
        True,
        ok=201,
        body=lambda role: {"kind": "tooling", "name": f"notebook {role}"},
    ),
    ("POST", "/api/v1/ai-systems/{system_id}/links/{kind}"): Check(
        "POST",
        lambda c: f"/api/v1/ai-systems/{_system(c)}/links/datasets",
        WRITERS,
        True,
        body=lambda role, c: {"id": str(c["inv_dataset"].pk)},
    ),
    ("DELETE", "/api/v1/ai-systems/{system_id}/links/{kind}/{target_id}"): Check(
        "DELETE",
        lambda c: f"/api/v1/ai-systems/{_system(c)}/links/suppliers/{c['inv_supplier'].pk}",
        WRITERS,
        True,
        ok=200,
    ),
    ("GET", "/api/v1/review-flags"): Check("GET", lambda c: "/api/v1/review-flags", READERS, False),
    ("POST", "/api/v1/review-flags/{flag_id}/resolve"): Check(
        "POST",
        lambda c: f"/api/v1/review-flags/{c['inv_flag'].pk}/resolve",
        WRITERS,
        True,
        body=lambda role: {"note": "looked at it"},
    ),
    ("GET", "/api/v1/ai-models"): Check("GET", lambda c: "/api/v1/ai-models", READERS, False),
    ("POST", "/api/v1/ai-models"): Check(
        "POST", lambda c: "/api/v1/ai-models", WRITERS, False, ok=201, body=_model_body
    ),
    ("GET", "/api/v1/ai-models/{model_id}"): Check(
        "GET", lambda c: f"/api/v1/ai-models/{c['inv_model'].pk}", READERS, True
    ),
    ("PATCH", "/api/v1/ai-models/{model_id}"): Check(
        "PATCH",
        lambda c: f"/api/v1/ai-models/{c['inv_model'].pk}",
        WRITERS,
        True,
        body=lambda role: {"licence": f"internal {role}"},
    ),
    ("POST", "/api/v1/ai-models/{model_id}/versions"): Check(
        "POST",
        lambda c: f"/api/v1/ai-models/{c['inv_model'].pk}/versions",
        WRITERS,
        True,
        ok=201,
        body=lambda role: {"version": f"v-{role}", "replace_in_systems": False},
    ),
    ("GET", "/api/v1/datasets"): Check("GET", lambda c: "/api/v1/datasets", READERS, False),
    ("POST", "/api/v1/datasets"): Check(
        "POST",
        lambda c: "/api/v1/datasets",
        WRITERS,
        False,
        ok=201,
        body=lambda role: {"name": f"data of {role}"},
    ),
    ("GET", "/api/v1/datasets/{dataset_id}"): Check(
        "GET", lambda c: f"/api/v1/datasets/{c['inv_dataset'].pk}", READERS, True
    ),
    ("PATCH", "/api/v1/datasets/{dataset_id}"): Check(
        "PATCH",
        lambda c: f"/api/v1/datasets/{c['inv_dataset'].pk}",
        WRITERS,
        True,
        body=lambda role: {"retention": f"5 years {role}"},
    ),
    ("GET", "/api/v1/suppliers"): Check("GET", lambda c: "/api/v1/suppliers", READERS, False),
    ("POST", "/api/v1/suppliers"): Check(
        "POST",
        lambda c: "/api/v1/suppliers",
        MANAGERS,
        False,
        ok=201,
        body=lambda role: {"name": f"Vendor of {role}"},
    ),
    ("GET", "/api/v1/suppliers/{supplier_id}"): Check(
        "GET", lambda c: f"/api/v1/suppliers/{c['inv_supplier'].pk}", READERS, True
    ),
    ("PATCH", "/api/v1/suppliers/{supplier_id}"): Check(
        "PATCH",
        lambda c: f"/api/v1/suppliers/{c['inv_supplier'].pk}",
        MANAGERS,
        True,
        body=lambda role: {"contact": f"{role}@vendor.example"},
    ),
    ("POST", "/api/v1/inventory/import"): Check(
        "POST", lambda c: "/api/v1/inventory/import", MANAGERS, False, body=_csv
    ),
    ("GET", "/api/v1/inventory/export"): Check(
        "GET", lambda c: "/api/v1/inventory/export", READERS, False
    ),
}
