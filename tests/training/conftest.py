"""MLflow points at a temporary SQLite store in every training test, never the real mlruns/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import mlflow
import pytest

from tests.training.world import write_world
from training.tracking import TRACKING_URI_ENV, TrackingSettings


@contextmanager
def temporary_tracking(folder: Path) -> Iterator[TrackingSettings]:
    """Set ``MLFLOW_TRACKING_URI`` and MLflow's URIs to ``sqlite:///{folder}/mlflow.db``."""
    previous_env = os.environ.get(TRACKING_URI_ENV)
    previous_uri = mlflow.get_tracking_uri()
    previous_registry = mlflow.get_registry_uri()
    uri = f"sqlite:///{folder}/mlflow.db"
    os.environ[TRACKING_URI_ENV] = uri
    settings = TrackingSettings.from_env()
    settings.apply()
    try:
        yield settings
    finally:
        while mlflow.active_run() is not None:
            mlflow.end_run()
        if previous_env is None:
            os.environ.pop(TRACKING_URI_ENV, None)
        else:
            os.environ[TRACKING_URI_ENV] = previous_env
        mlflow.set_tracking_uri(previous_uri)
        mlflow.set_registry_uri(previous_registry)


@pytest.fixture
def tracking(tmp_path: Path) -> Iterator[TrackingSettings]:
    """MLflow in ``tmp_path`` for one test."""
    with temporary_tracking(tmp_path) as settings:
        yield settings


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Four labelled snapshots of 1,500 customers (features_dir, world_dir with the oracle)."""
    return write_world(tmp_path_factory.mktemp("world"))
