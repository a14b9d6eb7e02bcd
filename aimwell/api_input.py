"""Input held to the types the OpenAPI document gives it, before pydantic reads it.

Pydantic validates leniently: `0` becomes the date 1970-01-01, `1` and `"yes"` become true, `"3"`
becomes 3, and a JSON array where an object is expected reads as an object with no fields (ninja's
schemas read attributes), so `[null, null]` was an empty, accepted PATCH. A client that sends the
wrong JSON type has a bug the server should name, not guess around. Each JSON body is therefore
checked against its own JSON schema for types (and the shape of dates and times) and refused with
422 naming the fields; query dates and times must look like dates and times, not numbers. Every
other rule (lengths, choices, required fields) stays with pydantic.

No text of a body, query, form or path may hold a NUL character (PostgreSQL cannot store it; see
`aimwell.core.limits`): it is refused with 422 naming the field, before anything is read.
"""

from __future__ import annotations

import copy
import functools
import re
from typing import Any

from django.http import HttpRequest
from ninja.errors import ValidationError
from ninja.openapi.schema import flatten_properties
from ninja.params.models import BodyModel, FormModel, ParamModel, PathModel, QueryModel

from aimwell.core.limits import NUL_MESSAGE, nul_fields, nul_paths

JSON_TYPES: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}
_DATE = r"\d{4}-\d{2}-\d{2}"
_TIME = r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?"
FORMATS = {
    "date": re.compile(rf"{_DATE}"),
    "date-time": re.compile(rf"{_DATE}[Tt ]{_TIME}"),
    "time": re.compile(_TIME),
}


def problems(value: Any, schema: dict[str, Any], definitions: dict[str, Any]) -> list[str]:
    """Where `value` has another JSON type than `schema` allows ("" for the value itself, else
    a dotted path), each with a message; empty when the types agree."""
    if "$ref" in schema:
        schema = definitions[schema["$ref"].rsplit("/", 1)[-1]]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            branches = [problems(value, branch, definitions) for branch in schema[key]]
            if all(branches):
                return min(branches, key=len)
            return []
    for branch in schema.get("allOf", []):
        found = problems(value, branch, definitions)
        if found:
            return found
    allowed = schema.get("type")
    if allowed is not None:
        names = allowed if isinstance(allowed, list) else [allowed]
        if not any(JSON_TYPES[name](value) for name in names if name in JSON_TYPES):
            return [f":Expected {' or '.join(names)}, got {_json_type(value)}."]
    pattern = FORMATS.get(schema.get("format", ""))
    if isinstance(value, str) and pattern is not None and not pattern.fullmatch(value):
        return [f":Expected a {schema['format']} in ISO 8601 form."]
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [
            _under(str(index), problem)
            for index, item in enumerate(value)
            for problem in problems(item, schema["items"], definitions)
        ]
    if isinstance(value, dict):
        found = []
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            inner = properties.get(key, extra if isinstance(extra, dict) else None)
            if inner is not None:
                found += [_under(str(key), p) for p in problems(item, inner, definitions)]
        return found
    return []


def _under(key: str, problem: str) -> str:
    where, _, message = problem.partition(":")
    return f"{key}.{where}".rstrip(".") + ":" + message


def _json_type(value: Any) -> str:
    return next(name for name, test in JSON_TYPES.items() if test(value) and name != "integer")


@functools.cache
def _schema_of(model: type[ParamModel]) -> dict[str, Any]:
    return model.model_json_schema(mode="validation")


def _refuse(source: str, found: list[str]) -> None:
    if found:
        raise ValidationError(
            [
                {"loc": (source, *(p for p in where.split(".") if p)), "msg": message}
                for where, _, message in (problem.partition(":") for problem in found)
            ]
        )


def _refuse_nul(source: str, where: list[str]) -> None:
    _refuse(source, [f"{place}:{NUL_MESSAGE}" for place in where])


class TypedBody(BodyModel):
    @classmethod
    def resolve(cls, request: HttpRequest, api: Any, path_params: dict[str, Any]) -> Any:
        data = cls.get_request_data(request, api, path_params)
        if data is not None:
            _refuse_nul("body", nul_paths(data))
            schema = _schema_of(cls)
            _refuse("body", problems(data, schema, schema.get("$defs", {})))
        return super().resolve(request, api, path_params)


class TypedForm(FormModel):
    @classmethod
    def resolve(cls, request: HttpRequest, api: Any, path_params: dict[str, Any]) -> Any:
        _refuse_nul("body", nul_fields(request.POST))
        return super().resolve(request, api, path_params)


class TypedPath(PathModel):
    @classmethod
    def resolve(cls, request: HttpRequest, api: Any, path_params: dict[str, Any]) -> Any:
        _refuse_nul("path", nul_paths(path_params))
        return super().resolve(request, api, path_params)


class TypedQuery(QueryModel):
    @classmethod
    def resolve(cls, request: HttpRequest, api: Any, path_params: dict[str, Any]) -> Any:
        _refuse_nul("query", nul_fields(request.GET))
        schema = _schema_of(cls)
        definitions = schema.get("$defs", {})
        parameters = _parameters_of(cls)
        found = []
        for name, value in request.GET.items():
            inner = parameters.get(name)
            if inner is not None and _dated(inner, definitions):
                found += [_under(name, p) for p in problems(value, inner, definitions)]
        _refuse("query", found)
        return super().resolve(request, api, path_params)


@functools.cache
def _parameters_of(model: type[ParamModel]) -> dict[str, Any]:
    """The query parameters by name, nested schemas flattened the way ninja documents them."""
    schema = _schema_of(model)
    required = set(schema.get("required", []))
    return {
        name: details
        for field, field_schema in schema.get("properties", {}).items()
        for name, details, _ in flatten_properties(
            field, copy.deepcopy(field_schema), field in required, schema.get("$defs", {})
        )
    }


def _dated(schema: dict[str, Any], definitions: dict[str, Any]) -> bool:
    """Whether a query parameter is a date or time (the only query types checked here: the
    others arrive as text and pydantic's reading of text is what the document says)."""
    branches = schema.get("anyOf", [schema])
    return any(branch.get("format") in FORMATS for branch in branches)


def typed(model: type[ParamModel]) -> type[ParamModel]:
    """The operation's parameter model, checked for NUL characters first (bodies, forms, paths and
    query) and for JSON types (bodies and query)."""
    source = model.__ninja_param_source__
    base = {"body": TypedBody, "query": TypedQuery, "form": TypedForm, "path": TypedPath}.get(
        source or ""
    )
    if base is None or issubclass(model, base):
        return model
    return type(model.__name__, (base, model), {"__module__": model.__module__})
