"""Access checks of the catalog routes (collected by the role matrix)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aimwell.catalog.services import import_framework
from aimwell.catalog.spec import FrameworkSpec, NodeSpec
from aimwell.testing import MANAGERS, ROLES, Check

ORG_FRAMEWORK = "acme-rules:1"
ORG_NODE = "acme-rules:1:R1"


def setup(ctx: dict[str, Any]) -> None:
    """A framework of the organisation's own: the outsider must not reach it."""
    rules = FrameworkSpec(
        key="acme-rules",
        version="1",
        name="ACME rules",
        nodes=[NodeSpec(id="R1", kind="requirement", title="A rule")],
    )
    import_framework(rules, organisation=ctx["org"], actor="test")


def _upload(role: str) -> dict[str, Any]:
    text = (
        f'framework: {{key: upload-{role.replace("_", "-")}, version: "1", name: Uploaded}}\n'
        "nodes:\n  - {id: U1, kind: requirement, title: Uploaded rule}\n"
    )
    return {"file": SimpleUploadedFile("rules.yaml", text.encode())}


WEB: dict[str, Check | str] = {
    "catalog:index": Check("GET", lambda c: reverse("catalog:index"), set(ROLES), object=False),
    "catalog:search": Check(
        "GET", lambda c: reverse("catalog:search") + "?q=rule", set(ROLES), object=False
    ),
    "catalog:import": Check("GET", lambda c: reverse("catalog:import"), MANAGERS, object=False),
    "catalog:pick": Check(
        "GET", lambda c: reverse("catalog:pick") + "?q=impact", set(ROLES), object=False
    ),
    "catalog:framework": Check(
        "GET",
        lambda c: reverse("catalog:framework", args=[ORG_FRAMEWORK]),
        set(ROLES),
        object=True,
    ),
    "catalog:export": Check(
        "GET",
        lambda c: reverse("catalog:export", args=[ORG_FRAMEWORK, "yaml"]),
        set(ROLES),
        object=True,
    ),
    "catalog:node": Check(
        "GET", lambda c: reverse("catalog:node", args=[ORG_NODE]), set(ROLES), object=True
    ),
}

API: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/catalog/frameworks"): Check(
        "GET", lambda c: "/api/v1/catalog/frameworks", set(ROLES), object=False
    ),
    ("GET", "/api/v1/catalog/frameworks/{urn}"): Check(
        "GET", lambda c: f"/api/v1/catalog/frameworks/{ORG_FRAMEWORK}", set(ROLES), object=True
    ),
    ("GET", "/api/v1/catalog/frameworks/{urn}/export"): Check(
        "GET",
        lambda c: f"/api/v1/catalog/frameworks/{ORG_FRAMEWORK}/export",
        set(ROLES),
        object=True,
    ),
    ("GET", "/api/v1/catalog/nodes/{urn}"): Check(
        "GET", lambda c: f"/api/v1/catalog/nodes/{ORG_NODE}", set(ROLES), object=True
    ),
    ("GET", "/api/v1/catalog/search"): Check(
        "GET", lambda c: "/api/v1/catalog/search?q=rule", set(ROLES), object=False
    ),
    ("GET", "/api/v1/catalog/mapping-sets"): Check(
        "GET", lambda c: "/api/v1/catalog/mapping-sets", set(ROLES), object=False
    ),
    ("POST", "/api/v1/catalog/import"): Check(
        "POST", lambda c: "/api/v1/catalog/import", MANAGERS, object=False, ok=201, body=_upload
    ),
}
