"""The API guard: key check, open probe paths, request size limit (also for chunked bodies)."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from serving.api.security import ApiGuard, is_open
from serving.api.settings import ServingSettings


async def echo(request: Request) -> JSONResponse:
    return JSONResponse({"size": len(await request.body())})


def guarded(**settings) -> TestClient:
    app = Starlette(routes=[Route("/score", echo, methods=["POST"]), Route("/readyz", echo)])
    client = TestClient(ApiGuard(app, ServingSettings(**settings)))
    client.headers["Content-Type"] = "application/json"
    return client


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "nope"}, {"x-api-key": "secret "}])
def test_requests_without_the_right_key_are_401(headers):
    response = guarded(api_key="secret").post("/score", content=b"{}", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "X-API-Key"


def test_the_right_key_passes_in_any_header_case():
    client = guarded(api_key="secret")
    assert client.post("/score", content=b"abc", headers={"x-api-key": "secret"}).json() == {
        "size": 3
    }


def test_probes_need_no_key():
    assert guarded(api_key="secret").get("/readyz").status_code == 200
    assert is_open("/metrics") and is_open("/docs.json") and not is_open("/model_info")


def test_dev_mode_without_key_lets_requests_through():
    assert guarded(dev_mode=True).post("/score", content=b"{}").status_code == 200


def test_a_body_over_the_limit_is_413():
    client = guarded(api_key="k", max_request_bytes=1024)
    response = client.post("/score", content=b"x" * 2000, headers={"X-API-Key": "k"})
    assert response.status_code == 413
    assert "1024" in response.json()["error"]
    ok = client.post("/score", content=b"x" * 1000, headers={"X-API-Key": "k"})
    assert ok.json() == {"size": 1000}


def test_a_chunked_body_over_the_limit_is_413_and_a_small_one_is_replayed():
    client = guarded(api_key="k", max_request_bytes=1024)

    def chunks(n):
        for _ in range(n):
            yield b"y" * 300

    big = client.post("/score", content=chunks(5), headers={"X-API-Key": "k"})
    assert big.status_code == 413
    small = client.post("/score", content=chunks(3), headers={"X-API-Key": "k"})
    assert small.json() == {"size": 900}


def test_a_body_without_a_content_type_is_415_and_a_probe_needs_none():
    client = guarded(api_key="k")
    del client.headers["Content-Type"]
    response = client.post("/score", content=b"{}", headers={"X-API-Key": "k"})
    assert response.status_code == 415 and response.json()["field"] == "content-type"
    assert client.get("/readyz").status_code == 200


@pytest.mark.parametrize("media_type", ["multipart/form-data; boundary=x", "text/plain"])
def test_bodies_that_are_not_json_are_415(media_type):
    client = guarded(api_key="k")
    response = client.post(
        "/score", content=b"{}", headers={"X-API-Key": "k", "Content-Type": media_type}
    )
    assert response.status_code == 415
    assert response.json()["field"] == "content-type"
    charset = {"X-API-Key": "k", "Content-Type": "application/json; charset=utf-8"}
    assert client.post("/score", content=b"{}", headers=charset).status_code == 200


def test_metrics_can_require_the_key_and_static_files_always_do():
    app = Starlette(routes=[Route("/metrics", echo), Route("/static_content/x.js", echo)])
    open_metrics = TestClient(ApiGuard(app, ServingSettings(api_key="k")))
    assert open_metrics.get("/metrics").status_code == 200
    assert open_metrics.get("/static_content/x.js").status_code == 401
    keyed = TestClient(ApiGuard(app, ServingSettings(api_key="k", metrics_open=False)))
    assert keyed.get("/metrics").status_code == 401
    assert keyed.get("/metrics", headers={"X-API-Key": "k"}).status_code == 200
    assert not is_open("/metrics", metrics_open=False) and not is_open("/static_content/x.js")


def test_the_413_names_the_setting_to_change():
    client = guarded(api_key="k", max_request_bytes=1024)
    response = client.post("/score", content=b"x" * 2000, headers={"X-API-Key": "k"})
    assert "PROCARE_MAX_REQUEST_BYTES" in response.json()["error"]
