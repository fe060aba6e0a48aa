"""The OpenAPI spec tells the truth: schemathesis fuzzes the real service (its ASGI app with
models and data loaded, called through the module's test client) and every response must have
a documented status, content type and body schema; 400s are one log line, not a traceback."""

from __future__ import annotations

import logging

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from serving.api.errors import BENTOML_HTTP_LOGGER
from serving.api.openapi import ERROR_STATUSES, api_spec
from serving.api.schemas import Problem
from tests.serving.api.conftest import AUTH

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 20
"""Cases per operation and generation mode (about 160 requests, a few seconds)."""


def nullable(schema: dict, field: str) -> bool:
    branches = schema["properties"][field].get("anyOf", [schema["properties"][field]])
    return {"type": "null"} in branches and field in schema["required"]


def test_the_spec_is_openapi_3_1_with_nullable_fields_and_every_status():
    spec = api_spec()
    schemas = spec["components"]["schemas"]
    assert spec["openapi"] == "3.1.0"
    for model, fields in {
        "EventResponse": ("error", "score", "previous", "customer_id"),
        "ScoreResponse": ("as_of",),
        "CustomerScore": ("error", "p_repeat_contact", "action", "source"),
        "OutreachCustomer": ("risk_tier",),
    }.items():
        for field in fields:
            assert nullable(schemas[model], field), (model, field)
    for path in ("/score", "/outreach", "/events/contact"):
        statuses = set(spec["paths"][path]["post"]["responses"])
        assert statuses == {"200", *map(str, ERROR_STATUSES)}, path
    assert set(spec["paths"]["/model_info"]["get"]["responses"]) == {"200", "401", "500", "503"}
    detail = schemas["Problem"]["properties"]["detail"]["anyOf"]
    assert {"type": "array", "items": {"$ref": "#/components/schemas/ValidationIssue"}} in detail
    assert spec["components"]["securitySchemes"]["ApiKey"]["name"] == "X-API-Key"


def test_the_service_serves_this_spec_at_docs_json(client):
    served = client.get("/docs.json", headers=AUTH)
    assert served.status_code == 200
    body = served.json()
    assert body["openapi"] == "3.1.0"
    assert body["components"] == api_spec()["components"]
    assert "early-warning" in body["paths"]["/events/contact"]["post"]["description"]


def test_a_400_carries_the_documented_list_of_violations(client):
    response = client.post(
        "/score", content=b'{"customer_ids": [""], "zz": 1}', headers={**AUTH, **JSON}
    )
    assert response.status_code == 400
    problem = Problem.model_validate(response.json())
    assert [issue.type for issue in problem.detail] == ["string_too_short", "extra_forbidden"]


JSON = {"Content-Type": "application/json"}


def test_a_400_is_one_warning_line_without_traceback_or_input(client, caplog):
    with caplog.at_level(logging.INFO):
        response = client.post(
            "/score", content=b'{"customer_ids": ["13812345678", ""]}', headers={**AUTH, **JSON}
        )
    assert response.status_code == 400
    records = [r for r in caplog.records if r.name == BENTOML_HTTP_LOGGER]
    assert [r.levelname for r in records] == ["WARNING"]
    assert records[0].exc_info is None and "\n" not in records[0].getMessage()
    assert "string_too_short" in records[0].getMessage()
    assert "13812345678" not in records[0].getMessage()


def test_a_body_without_content_type_is_415(client):
    response = client.post("/score", content=b'{"customer_ids": ["C0000001"]}', headers=AUTH)
    assert response.status_code == 415
    assert response.json()["field"] == "content-type"


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_fuzzed_requests_get_documented_responses(client, caplog, mode):
    schema = schemathesis.openapi.from_dict(client.get("/docs.json", headers=AUTH).json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/score", "/outreach", "/events/contact"}
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and operation.method != "post":
            continue

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def conforms(case):
            request = case.as_transport_kwargs(base_url=str(client.base_url), headers=AUTH)
            request.pop("cookies", None)
            response = client.request(**request)
            case.validate_response(response, checks=CHECKS, headers=request["headers"])

        conforms()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
