"""The service's OpenAPI 3.1 spec, built from the request and response models themselves.

BentoML's own spec (1.4) cannot be trusted by a client generator: it is OpenAPI 3.0 with the
first branch of every ``anyOf`` kept (so nullable fields are declared non-null), and it
documents a fixed 400/404/500 whose ``detail`` is a string. This spec is pydantic's JSON Schema
of :mod:`serving.api.schemas` (serialization mode for responses: every field required,
``null`` where nullable), with every status the service and its guard can answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from serving.api.schemas import (
    ContactEvent,
    EventResponse,
    ModelInfoResponse,
    OutreachRequest,
    OutreachResponse,
    Problem,
    ScoreRequest,
    ScoreResponse,
)
from serving.api.settings import API_KEY_HEADER

REF_TEMPLATE = "#/components/schemas/{model}"
SECURITY_SCHEME = "ApiKey"

ERROR_STATUSES: dict[int, str] = {
    400: "The body is not JSON or breaks the request schema; `detail` lists every violation",
    401: f"Missing or wrong API key (send it in the {API_KEY_HEADER} header)",
    413: "The body or a batch is larger than the service accepts",
    415: "The body is not sent as Content-Type application/json",
    422: "Valid JSON the service cannot use (an unknown feature, a date without scores, an "
    "event time outside the accepted window); `field` names the culprit",
    500: "Unexpected error (the server log has the details)",
    503: "The models and data are still loading (retry shortly) or failed to load",
}
BODY_ERRORS = (400, 401, 413, 415, 422, 500, 503)
READ_ERRORS = (401, 500, 503)


@dataclass(frozen=True)
class Operation:
    """One API operation: its route, method, models and the error statuses it can answer."""

    path: str
    method: str
    operation_id: str
    summary: str
    response: type[BaseModel]
    request: type[BaseModel] | None = None
    errors: tuple[int, ...] = BODY_ERRORS


OPERATIONS = (
    Operation("/score", "post", "score", "Score customers", ScoreResponse, ScoreRequest),
    Operation("/outreach", "post", "outreach", "Outreach list", OutreachResponse, OutreachRequest),
    Operation(
        "/events/contact", "post", "contact_event", "Contact event", EventResponse, ContactEvent
    ),
    Operation(
        "/model_info", "get", "model_info", "Models and data", ModelInfoResponse, None, READ_ERRORS
    ),
)

PROBES = {
    "/livez": ("livez", "Liveness probe (open, no key)", {200: "The process is alive"}),
    "/readyz": (
        "readyz",
        "Readiness probe (open, no key)",
        {200: "Models and data are loaded", 503: "Still loading, or failed to load"},
    ),
}


def _json(schema_of: type[BaseModel]) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model=schema_of.__name__)}}}


def _operation(operation: Operation, description: str, schemas: dict[str, Any]) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {"description": "Success", "content": _json(operation.response)}
    }
    for status in operation.errors:
        responses[str(status)] = {"description": ERROR_STATUSES[status], "content": _json(Problem)}
    spec: dict[str, Any] = {
        "operationId": operation.operation_id,
        "summary": operation.summary,
        "description": description,
        "responses": responses,
    }
    if operation.request is not None:
        schema = _json(operation.request)["application/json"]["schema"]
        example = schemas[operation.request.__name__].get("example")
        body = {"schema": {**schema, "example": example}} if example else {"schema": schema}
        spec["requestBody"] = {"required": True, "content": {"application/json": body}}
    return spec


def _probe(operation_id: str, summary: str, statuses: dict[int, str]) -> dict[str, Any]:
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "security": [],
            "responses": {
                str(status): {
                    "description": text,
                    "content": {"text/plain": {"schema": {"type": "string"}}},
                }
                for status, text in statuses.items()
            },
        }
    }


def _schemas() -> dict[str, Any]:
    """JSON Schemas of every model by name."""
    models = [(op.response, "serialization") for op in OPERATIONS]
    models += [(op.request, "validation") for op in OPERATIONS if op.request is not None]
    models.append((Problem, "serialization"))
    _, schema = models_json_schema(models, ref_template=REF_TEMPLATE)
    return schema["$defs"]


def _package_version() -> str:
    try:
        return version("procare")
    except PackageNotFoundError:
        return "0"


@cache
def _api_spec(description: str, operations: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    docs = dict(operations)
    schemas = _schemas()
    paths: dict[str, Any] = {}
    for operation in OPERATIONS:
        paths.setdefault(operation.path, {})[operation.method] = _operation(
            operation, docs.get(operation.path, ""), schemas
        )
    for path, probe in PROBES.items():
        paths[path] = _probe(*probe)
    return {
        "openapi": "3.1.0",
        "info": {"title": "procare", "version": _package_version(), "description": description},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                SECURITY_SCHEME: {"type": "apiKey", "in": "header", "name": API_KEY_HEADER}
            },
        },
        "security": [{SECURITY_SCHEME: []}],
    }


def api_spec(description: str = "", operations: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The OpenAPI 3.1 spec of the service (computed once per argument set).

    Args:
        description: What the service does (the spec's ``info.description``).
        operations: Description of each operation by path (e.g. the endpoints' docstrings).

    Returns:
        The spec as JSON-ready data (do not modify it: it is shared).
    """
    return _api_spec(description, tuple(sorted((operations or {}).items())))
