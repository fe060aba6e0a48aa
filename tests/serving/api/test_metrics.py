"""Request metrics: a fixed label set whatever paths clients send."""

from __future__ import annotations

import uuid

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from serving.api.metrics import (
    OTHER,
    ROUTES,
    RequestMetrics,
    collectors,
    exposition,
    route_label,
)


async def ok(_request) -> PlainTextResponse:
    return PlainTextResponse("ok")


def test_unknown_paths_collapse_into_one_label_and_known_routes_keep_theirs():
    app = RequestMetrics(Starlette(routes=[Route("/score", ok, methods=["POST"])]))
    client = TestClient(app)
    secret_paths = [f"/customers/{uuid.uuid4().hex}" for _ in range(50)]
    for path in secret_paths:
        assert client.get(path).status_code == 404
    assert client.post("/score").status_code == 200
    page = exposition()[0].decode()
    assert not any(path in page for path in secret_paths)
    assert f'procare_request_total{{endpoint="{OTHER}",http_response_code="404"}}' in page
    assert 'endpoint="/score",http_response_code="200"' in page
    labels = {
        sample.labels["endpoint"]
        for metric in collectors().registry.collect()
        for sample in metric.samples
        if "endpoint" in sample.labels
    }
    assert labels <= {*ROUTES, OTHER}


def test_route_labels_are_exact_paths():
    routes = frozenset({"/score"})
    assert route_label("/score", routes) == "/score"
    assert route_label("/score/", routes) == OTHER
    assert route_label("/score?x=1", routes) == OTHER
