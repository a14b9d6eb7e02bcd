"""The OpenAPI document describes each operation with its own classes: no component stands for
two classes (two apps' `AuditOut` used to share one), request bodies keep their required fields.

Each operation's request and response schema is generated again on its own, from its classes
alone, and compared with what the whole document says once its references are resolved: a
component replaced by another class's shows up as a difference."""

from __future__ import annotations

import copy
import functools
import re
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.constants import NOT_SET
from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema
from ninja.utils import normalize_path

from aimwell.api import api
from aimwell.api_schema import AimwellAPI

PREFIX = "#/components/schemas/"


def resolve(node: Any, definitions: dict[str, Any], trail: tuple[str, ...] = ()) -> Any:
    """The schema with every reference replaced by its definition (a recursive one by a mark)."""
    if isinstance(node, list):
        return [resolve(item, definitions, trail) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].removeprefix(PREFIX)
        if name in trail:
            return {"recursive": definitions[name].get("title", name)}
        return resolve(copy.deepcopy(definitions[name]), definitions, (*trail, name))
    return {key: resolve(value, definitions, trail) for key, value in node.items()}


def alone(model: Any, mode: str, *, by_alias: bool = True) -> dict[str, Any]:
    """The model's schema generated on its own with ninja's generator, as ninja would put it in
    the document (the single wrapper property taken off), references resolved."""
    schema = model.model_json_schema(
        ref_template=REF_TEMPLATE,
        schema_generator=NinjaGenerateJsonSchema,
        mode=mode,
        by_alias=by_alias,
    )
    definitions = schema.pop("$defs", {})
    properties = schema["properties"]
    inner = next(iter(properties.values())) if len(properties) == 1 else schema
    return resolve(inner, definitions)  # type: ignore[no-any-return]


def describes(documented: Any, own: Any) -> bool:
    """The document gives the class's schema, alone or as one choice beside the common error
    body (a status the operation declares and the exception handlers answer too)."""
    return documented == own or own in documented.get("anyOf", [])


def operations_of(ninja_api: Any, prefix: str) -> list[tuple[str, str, Any]]:
    found = []
    for router in ninja_api._get_bound_routers():
        for path, path_view in router.path_operations.items():
            full = "/" + prefix + "/".join(part for part in (router.prefix, path) if part)
            full = re.sub(r"{[^}:]+:", "{", normalize_path(full))
            for operation in path_view.operations:
                for method in operation.methods:
                    found.append((full, method.lower(), operation))
    return found


def differences(ninja_api: Any, prefix: str) -> list[str]:
    document = ninja_api.get_openapi_schema(path_prefix=prefix)
    definitions = document["components"]["schemas"]
    problems = []
    for path, method, operation in operations_of(ninja_api, prefix):
        entry = document["paths"][path][method]
        for status, model in operation.response_models.items():
            if model in (None, NOT_SET) or status is Ellipsis:
                continue
            said = entry["responses"][status]["content"]["application/json"]["schema"]
            if not describes(
                resolve(said, definitions),
                alone(model, "serialization", by_alias=operation.by_alias),
            ):
                problems.append(f"{method.upper()} {path} {status}")
        for model in operation.models:
            if model.__ninja_param_source__ != "body":
                continue
            said = entry["requestBody"]["content"]["application/json"]["schema"]
            if not describes(resolve(said, definitions), alone(model, "validation")):
                problems.append(f"{method.upper()} {path} request body")
    return problems


@functools.cache
def aimwell_document() -> dict[str, Any]:
    return api.get_openapi_schema(path_prefix="/api/v1/")  # type: ignore[no-any-return]


def test_every_operation_is_documented_with_its_own_classes():
    assert differences(api, "/api/v1/") == []


def test_two_classes_of_one_name_get_two_components():
    def made(module: str, field: str) -> Any:
        return type("ThingOut", (Schema,), {"__module__": module, "__annotations__": {field: int}})

    alpha, beta = made("aimwell.alpha.schemas", "count"), made("aimwell.beta.schemas", "size")
    router = Router()

    @router.get("/alpha", response=alpha)
    def read_alpha(request: HttpRequest) -> Any:
        return {"count": 1}

    @router.get("/beta", response=beta)
    def read_beta(request: HttpRequest) -> Any:
        return {"size": 2}

    small = AimwellAPI(urls_namespace=f"names-{uuid.uuid4().hex}")
    small.add_router("/", router)
    document = small.get_openapi_schema(path_prefix="")
    names = {
        path: entry["get"]["responses"][200]["content"]["application/json"]["schema"]["$ref"]
        for path, entry in document["paths"].items()
    }
    assert names == {
        "/alpha": PREFIX + "AlphaThingOut",
        "/beta": PREFIX + "BetaThingOut",
    }
    assert differences(small, "") == []


def test_plan_an_audit_documents_its_required_fields():
    entry = aimwell_document()["paths"]["/api/v1/audits"]["post"]
    definitions = aimwell_document()["components"]["schemas"]
    schema = resolve(entry["requestBody"]["content"]["application/json"]["schema"], definitions)
    # The service needs a title, the scope, the planned dates and the lead auditor: the fields
    # without a default in operations' AuditIn.
    assert sorted(schema["required"]) == [
        "lead_auditor_email",
        "planned_end",
        "planned_start",
        "scope",
        "title",
    ]
