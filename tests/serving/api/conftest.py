"""Serving fixtures: a loaded service per module on the session's ``served_world``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from serving.api.settings import API_KEY_HEADER, ENV_VARS, ServingSettings
from serving.api.state import ServingState, load_state
from tests.serving.api.world import ServedWorld
from tests.training.conftest import temporary_tracking

API_KEY = "test-key"
AUTH = {API_KEY_HEADER: API_KEY}


@pytest.fixture(scope="module")
def state(served_world: ServedWorld) -> Iterator[ServingState]:
    """The service state loaded in-process (MLflow pointed at the world's store meanwhile)."""
    with temporary_tracking(served_world.mlflow_dir):
        yield load_state(served_world.settings())


def forget_bentoml_metrics() -> None:
    """Unregister BentoML's Prometheus collectors so another in-process app can register them."""
    from prometheus_client import REGISTRY

    for collector, names in list(REGISTRY._collector_to_names.items()):
        if any(name.startswith("bentoml_") for name in names):
            REGISTRY.unregister(collector)


def service_client(
    settings: ServingSettings, mlflow_dir: Path, ready: bool = True
) -> Iterator[TestClient]:
    """A test client of the service's ASGI app configured by ``settings`` through the env."""
    from serving.api.service import ProcareService

    with temporary_tracking(mlflow_dir), pytest.MonkeyPatch.context() as patch:
        for name in ENV_VARS.values():
            patch.delenv(name, raising=False)
        for key, value in settings.environ().items():
            patch.setenv(key, value)
        patch.setenv("BENTOML_DO_NOT_TRACK", "True")
        forget_bentoml_metrics()
        with TestClient(ProcareService.to_asgi()) as client:
            if ready:
                wait_ready(client)
            yield client


def wait_ready(client: TestClient, timeout: float = 120.0) -> None:
    """Poll ``/readyz`` until 200."""
    deadline = time.monotonic() + timeout
    while client.get("/readyz").status_code != 200:
        if time.monotonic() > deadline:
            raise TimeoutError("service not ready")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def client(served_world: ServedWorld) -> Iterator[TestClient]:
    """A ready service (ASGI, in-process) on the served world, API key required."""
    yield from service_client(served_world.settings(max_batch_size=500), served_world.mlflow_dir)
