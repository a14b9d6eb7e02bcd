"""The OpenAPI document of /api/v1/ as the server behaves, generated from the operations.

Two things django-ninja leaves to us:

- Component names. Ninja names a schema component after its class and merges every operation's
  definitions into one table, so two apps' `AuditOut` classes end up as one component and one
  app's responses are documented with the other's fields. Here a first pass collects which classes
  each short name stands for; the document then keeps the short name where only one class has it
  and prefixes the app (`OperationsAuditOut`, `CertificationAuditOut`) where several do.
- Error responses. Ninja documents only the codes an operation declares, while the exception
  handlers of `aimwell.api` and the edge middleware answer others. Each operation gets the codes
  that can reach it: 401 and 403 (authentication, roles and the guest gate) wherever it
  authenticates, 422 where it validates input, 404 where its path names a record, 400 and 413
  where it reads a JSON body or a page position, 409 where a write checks `If-Match`, and the codes
  its own code raises (`HttpError(n)`, found by reading the view and the Aimwell functions it
  calls). A code the operation declares itself keeps its body, alongside the common error body
  when both can occur.
"""

from __future__ import annotations

import ast
import functools
import inspect
import types
from collections import defaultdict
from collections.abc import Callable, Iterable
from http.client import responses as reason_phrases
from pathlib import Path
from typing import Any, ClassVar

from ninja import Field, NinjaAPI, Schema
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema, flatten_properties
from ninja.operation import Operation
from ninja.schema import NinjaGenerateJsonSchema
from pydantic.json_schema import CoreModeRef, DefsRef, JsonSchemaMode
from pydantic.main import BaseModel

from aimwell.api_input import typed
from aimwell.core.concurrency import UPSERT_ROUTES
from aimwell.core.errors import DomainError
from aimwell.core.limits import PAGINATION_BOUNDS


class FieldErrorOut(Schema):
    field: str
    message: str
    row: int | None = Field(None, description="The row of an imported file, for file imports.")


class ErrorOut(Schema):
    """The body of every refusal: a sentence, and for input problems the fields concerned."""

    message: str
    errors: list[FieldErrorOut] | None = None


class VersionConflictOut(Schema):
    message: str
    current_version: str | None = None


WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
BODY_SOURCES = {"body", "form"}
ERROR_DESCRIPTIONS = {
    400: "The request cannot be carried out as sent (unreadable body, page position out of "
    "bounds, or a rule of the AIMS refuses it); the message says why.",
    401: "No valid API token or session.",
    403: "The member's role, or a guest's audit scope, does not allow this.",
    404: "No such record in the organisation, or one the member may not see.",
    409: "The record changed after the version sent in If-Match (or conflicts with another).",
    428: "If-Match is missing: send the ETag of your last GET of the record (or * to overwrite "
    "whatever is there); the current version is in the body and the ETag header.",
    413: "The request body or uploaded file is over the limit.",
    422: "Some fields are not valid; `errors` names each one (or the message, when the fields "
    "are checked together).",
}
ERROR_BODIES: dict[int, type[Schema]] = {409: VersionConflictOut}
IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string"},
    "description": "The ETag of the record as you last read it (from its GET), or * to overwrite "
    "whatever is there.",
}


# -- component names -------------------------------------------------------------------------


class _NamingGenerator(NinjaGenerateJsonSchema):
    """Names components by the API-wide table `names`; records the classes behind each short
    name in `seen` (the first pass)."""

    names: ClassVar[dict[str, str]] = {}
    seen: ClassVar[dict[str, set[str]] | None] = None

    def get_defs_ref(self, core_mode_ref: CoreModeRef) -> DefsRef:
        key = super().get_defs_ref(core_mode_ref)
        choices = self._prioritized_defsref_choices[key]
        # pydantic's choices, in order: short name, short name with mode, module path, ...
        short, qualified = choices[0], choices[2]
        if self.seen is not None:
            self.seen[short].add(qualified)
        renamed = self.names.get(qualified)
        if renamed is not None:
            choices.insert(0, DefsRef(renamed))
        return key


def _unique_names(seen: dict[str, set[str]]) -> dict[str, str]:
    """For each class whose short name other classes share, a name prefixed with its app."""
    names: dict[str, str] = {}
    for short, qualified in seen.items():
        if len(qualified) < 2:
            continue
        by_app = {q: q.split("__")[1].title().replace("_", "") + short for q in qualified}
        clash = len(set(by_app.values())) < len(by_app)
        names.update({q: (q if clash else name) for q, name in by_app.items()})
    return names


def _generator(names: dict[str, str], seen: dict[str, set[str]] | None) -> type:
    return type("AimwellSchemaGenerator", (_NamingGenerator,), {"names": names, "seen": seen})


# -- the document ----------------------------------------------------------------------------


class AimwellOpenAPISchema(OpenAPISchema):
    generator: type[NinjaGenerateJsonSchema] = NinjaGenerateJsonSchema

    def __init__(
        self, api: NinjaAPI, path_prefix: str, generator: type, *, errors: bool = True
    ) -> None:
        self.generator = generator
        self.errors = errors
        self.error_bodies: dict[type[BaseModel], dict[str, Any]] = {}
        super().__init__(api, path_prefix)

    def get_paths(self) -> dict[str, Any]:
        """Every PATCH or PUT of a versioned record (one that checks If-Match) must send it: the
        header is a required parameter and 428 is documented (aimwell.core.concurrency)."""
        paths = super().get_paths()
        if not self.errors:
            return paths
        body = self._component(VersionConflictOut)
        for path, operations in paths.items():
            for method in ("patch", "put"):
                operation = operations.get(method)
                if not operation or 409 not in operation["responses"]:
                    continue
                if UPSERT_ROUTES.match(path):
                    continue
                operation.setdefault("parameters", []).append(IF_MATCH_PARAMETER)
                operation["responses"][428] = {
                    "description": ERROR_DESCRIPTIONS[428],
                    "content": {"application/json": {"schema": body}},
                }
                operation["responses"] = dict(sorted(operation["responses"].items()))
        return paths

    # The next two are ninja 1.7's own (ninja.openapi.schema), with our generator in place of
    # ninja's: ninja offers no other way to choose it.
    def _extract_parameters(self, model: Any) -> list[dict[str, Any]]:
        schema = model.model_json_schema(ref_template=REF_TEMPLATE, schema_generator=self.generator)
        required = set(schema.get("required", []))
        if "$defs" in schema:
            self.add_schema_definitions(schema["$defs"])
        result = []
        for name, details in schema["properties"].items():
            for p_name, p_schema, p_required in flatten_properties(
                name, details, name in required, schema.get("$defs", {})
            ):
                if not p_schema.get("include_in_schema", True):
                    continue
                param = {
                    "in": model.__ninja_param_source__,
                    "name": p_name,
                    "schema": p_schema,
                    "required": p_required,
                }
                for key in ("description", "examples", "deprecated"):
                    if key in p_schema:
                        param[key] = p_schema[key]
                if "examples" not in p_schema and "example" in p_schema:
                    param["example"] = p_schema["example"]
                result.append(param)
        return result

    def _create_schema_from_model(
        self,
        model: Any,
        by_alias: bool = True,
        remove_level: bool = True,
        mode: JsonSchemaMode = "validation",
    ) -> tuple[dict[str, Any], bool]:
        if hasattr(model, "__ninja_flatten_map__"):
            schema = self._flatten_schema(model)
        else:
            schema = model.model_json_schema(
                ref_template=REF_TEMPLATE,
                by_alias=by_alias,
                schema_generator=self.generator,
                mode=mode,
            ).copy()
        if schema.get("$defs"):
            self.add_schema_definitions(schema.pop("$defs"))
        if remove_level and len(schema["properties"]) == 1:
            name, details = next(iter(schema["properties"].items()))
            return details, name in schema.get("required", {})
        return schema, True

    def responses(self, operation: Operation) -> dict[int, dict[str, Any]]:
        result = super().responses(operation)
        if not self.errors:
            return result
        for status in sorted(error_statuses(operation)):
            body = self._component(ERROR_BODIES.get(status, ErrorOut))
            if status not in result:
                result[status] = {
                    "description": ERROR_DESCRIPTIONS.get(status, reason_phrases.get(status, "")),
                    "content": {"application/json": {"schema": body}},
                }
                continue
            # The operation declares this code with a body of its own; the handlers' body can
            # answer it too (an unreadable body is a 400 before the view runs).
            content = result[status].setdefault("content", {"application/json": {"schema": {}}})
            declared = content["application/json"]["schema"]
            if declared and declared != body:
                content["application/json"]["schema"] = {"anyOf": [declared, body]}
        return dict(sorted(result.items()))

    def _component(self, model: type[BaseModel]) -> dict[str, Any]:
        if model in self.error_bodies:
            return self.error_bodies[model]
        schema = model.model_json_schema(
            ref_template=REF_TEMPLATE, schema_generator=self.generator, mode="serialization"
        )
        self.add_schema_definitions(schema.pop("$defs", {}))
        self.schemas[model.__name__] = schema
        self.error_bodies[model] = {"$ref": REF_TEMPLATE.format(model=model.__name__)}
        return self.error_bodies[model]


# Operation ids are part of the API's contract (client generators name their methods after them)
# and ninja derives them from the handler's module; a module that moved to another app keeps the
# ids it had before the move.
FORMER_API_MODULES = {
    "aimwell.classification.api": "aimwell.inventory.api_classification",
    "aimwell.impact_assessments.api": "aimwell.risks.api_impact",
    "aimwell.change_control.api": "aimwell.lifecycle.api",
    "aimwell.governance.api": "aimwell.context.api_governance",
}


class AimwellAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document has unique component names and every error response,
    and whose operations hold JSON bodies and query dates to their documented types."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        module = operation.view_func.__module__
        module = FORMER_API_MODULES.get(module, module)
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")

    @property
    def urls(self) -> Any:
        for router in self._get_bound_routers():
            for path_view in router.path_operations.values():
                for operation in path_view.operations:
                    operation.models[:] = [typed(model) for model in operation.models]
        return super().urls

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        seen: dict[str, set[str]] = defaultdict(set)
        AimwellOpenAPISchema(self, path_prefix, _generator({}, seen), errors=False)
        return AimwellOpenAPISchema(self, path_prefix, _generator(_unique_names(seen), None))


# -- which codes an operation can answer -----------------------------------------------------


def error_statuses(operation: Operation) -> set[int]:
    sources = {model.__ninja_param_source__ for model in operation.models}
    query = {
        name
        for model in operation.models
        if model.__ninja_param_source__ == "query"
        for name in _flat_fields(model)
    }
    methods = {method.upper() for method in operation.methods}
    found = _raised(operation.view_func)
    statuses = set(found.statuses)
    if operation.auth_callbacks:
        statuses |= {401, 403}
    if sources:
        statuses.add(422)
    if "path" in sources:
        statuses.add(404)
    if sources & BODY_SOURCES:
        statuses.add(413)  # the edge limit on JSON and form bodies
    if sources & {"body", "file", "form"}:
        statuses.add(400)  # a body that is not JSON, or a multipart body without its boundary
    if query & set(PAGINATION_BOUNDS):
        statuses.add(400)
    if methods & WRITE_METHODS and found.checks_version:
        statuses.add(409)
    return statuses


def _flat_fields(model: type[BaseModel]) -> Iterable[str]:
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from _flat_fields(annotation)
        else:
            yield field.alias or name


class _Raised:
    def __init__(self) -> None:
        self.statuses: set[int] = set()
        self.checks_version = False


# Exceptions the handlers of aimwell.api turn into a status, by name.
EXCEPTION_STATUSES = {"Http404": 404, "NotAMember": 400, "PermissionDenied": 403}


def _raised(view: Callable[..., Any]) -> _Raised:
    """What the view and the Aimwell functions it calls (transitively) can raise."""
    found = _Raised()
    pending = [inspect.unwrap(view)]
    visited: set[Any] = set()
    while pending:
        function = pending.pop()
        if function in visited:
            continue
        visited.add(function)
        statuses, checks_version, callees = _summary(function)
        found.statuses |= statuses
        found.checks_version |= checks_version
        pending.extend(callees)
    return found


@functools.cache
def _summary(function: types.FunctionType) -> tuple[frozenset[int], bool, tuple[Any, ...]]:
    """One function's own statuses, whether it fetches a record to write, and its callees."""
    tree = _functions_of(function.__code__.co_filename).get(function.__code__.co_firstlineno)
    if tree is None:
        return frozenset(), False, ()
    statuses: set[int] = set()
    checks_version = False
    callees: list[Any] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _call_name(node.func)
            first = node.args[0] if node.args else None
            if (
                name == "HttpError"
                and isinstance(first, ast.Constant)
                and isinstance(first.value, int)
            ):
                statuses.add(first.value)
            for keyword in node.keywords:
                value = keyword.value.value if isinstance(keyword.value, ast.Constant) else None
                if keyword.arg == "write" and value is True:
                    checks_version = True
                if keyword.arg == "status" and isinstance(value, int) and value >= 400:
                    statuses.add(value)  # a response the view builds itself
            callee = _resolve(node.func, function.__globals__)
            if callee is not None:
                callees.append(callee)
        elif isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            status = EXCEPTION_STATUSES.get(_call_name(raised) or "")
            if status is None:
                status = _domain_status(raised, function.__globals__)
            if status is not None:
                statuses.add(status)
    return frozenset(statuses), checks_version, tuple(callees)


@functools.cache
def _functions_of(filename: str) -> dict[int, ast.AST]:
    """The functions of a source file by their first line (the first decorator's, as in code
    objects)."""
    try:
        tree = ast.parse(Path(filename).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return {}
    return {
        min([node.lineno, *(d.lineno for d in node.decorator_list)]): node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def _domain_status(node: ast.AST, namespace: dict[str, Any]) -> int | None:
    """The status a raised domain error answers with (its class's; the API's handler of
    `DomainError` sends it), or None for any other exception."""
    target: Any = None
    if isinstance(node, ast.Name):
        target = namespace.get(node.id)
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        target = getattr(namespace.get(node.value.id), node.attr, None)
    if isinstance(target, type) and issubclass(target, DomainError):
        return target.status
    return None


def _call_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _resolve(node: ast.AST, namespace: dict[str, Any]) -> Any:
    """The Aimwell function a call names (`helper(...)` or `module.helper(...)`), if any."""
    target: Any = None
    if isinstance(node, ast.Name):
        target = namespace.get(node.id)
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner = namespace.get(node.value.id)
        if isinstance(owner, types.ModuleType):
            target = getattr(owner, node.attr, None)
    target = inspect.unwrap(target) if callable(target) else target
    if isinstance(target, types.FunctionType) and target.__module__.startswith("aimwell."):
        return target
    return None
